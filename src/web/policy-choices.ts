import { $ } from './dom.js';
import { get, type PolicySummary } from './api.js';

interface PolicyStatus {
  fingerprint: string;
  loadedAt: string;
  judged: { fingerprint: string; judgedAt: string } | null;
}

/** Shows in `el` which policy judged what the page shows (docs/policy-changes.md): its fingerprint, when loaded. */
async function showJudgingPolicy(el: HTMLElement): Promise<void> {
  try {
    const status = await get<PolicyStatus>('policy');
    el.textContent = `policy ${status.fingerprint.slice(0, 12)}`;
    el.title = `The policy this tracker judges under: ${status.fingerprint}, loaded ${status.loadedAt}${
      status.judged ? `; the graph was last re-judged under ${status.judged.fingerprint.slice(0, 12)} at ${status.judged.judgedAt}` : ''
    }`;
  } catch {
    el.textContent = '';
  }
}

/** The loaded policies (GET /api/v1/policies), with the header's note of which policy judges (GET /api/v1/policy). */
export async function loadPolicies(): Promise<PolicySummary[]> {
  const [{ policies }] = await Promise.all([get<{ policies: PolicySummary[] }>('policies'), showJudgingPolicy($('policy'))]);
  return policies;
}

/** The alert list's policy filter and the residency panel's label choice, from the loaded policies; `selected` labels preselected. */
export function fillPolicyChoices(
  policies: readonly PolicySummary[],
  policyFilter: HTMLElement,
  labelChoice: HTMLElement,
  selected: readonly string[],
): void {
  policyFilter.append(
    ...policies.map((p) => Object.assign(document.createElement('option'), { value: p.id, textContent: `${p.id} (${p.severity})` })),
  );
  const labels = [...new Set(policies.flatMap((p) => p.classifications))].sort();
  labelChoice.replaceChildren(
    ...labels.map((l) => Object.assign(document.createElement('option'), { value: l, textContent: l, selected: selected.includes(l) })),
  );
}
