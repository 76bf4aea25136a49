import { renameSync, writeFileSync } from 'node:fs';
import type { PolicyApplyResponse, PolicyStatusResponse, ReevaluationResponse } from '../api/api-schemas.js';
import { PolicyChangeRefused, type PolicyControl } from '../http/policy-routes.js';
import { parsePolicyFile } from '../policy/load-policy-file.js';
import type { PolicyFile } from '../policy/policy-file.js';
import { policyFingerprint } from '../policy/policy-fingerprint.js';
import type { PolicyReevaluation } from '../ports/policy-reevaluation.js';

/** What the policy endpoints of a running tracker act on (docs/policy-changes.md). */
export interface PolicyControlDeps {
  /** The policy file the tracker loads (BORDERLINE_POLICY): apply writes over it. */
  path: string;
  loaded: PolicyFile;
  loadedAt: Date;
  store: PolicyReevaluation;
  /** Restarts the tracker under the policy file as it now is (what SIGHUP does). */
  requestReload: () => void;
}

/**
 * The policy endpoints of `borderline serve`: the file stays the one source of truth — apply writes
 * the new policy over it (atomically: a temporary file renamed over it) and reloads, so that a
 * restart loads what was applied. Where the file is read-only (a Kubernetes ConfigMap) apply is
 * refused with what to do instead. One preview at a time: it holds one transaction open.
 */
export function createPolicyControl({ path, loaded, loadedAt, store, requestReload }: PolicyControlDeps): PolicyControl {
  const fingerprint = policyFingerprint(loaded);
  let previewing = false;
  return {
    async status(): Promise<PolicyStatusResponse> {
      const judged = await store.judgedPolicy();
      return {
        fingerprint,
        loadedAt: loadedAt.toISOString(),
        judged: judged ? { fingerprint: judged.fingerprint, judgedAt: judged.judgedAt } : null,
      };
    },
    async preview(text, file): Promise<ReevaluationResponse> {
      const parsed = parsePolicyFile(text, file);
      if (previewing) throw new PolicyChangeRefused('a preview is running; ask again when it has ended');
      previewing = true;
      try {
        return { dryRun: true, ...(await store.preview(parsed)) };
      } finally {
        previewing = false;
      }
    },
    apply(text, file): Promise<PolicyApplyResponse> {
      const parsed = parsePolicyFile(text, file);
      const next = policyFingerprint(parsed);
      if (next === fingerprint)
        throw new PolicyChangeRefused(`${file} is the policy this tracker runs under (${next.slice(0, 12)}): nothing to apply`);
      const temporary = `${path}.${process.pid}.applying`;
      try {
        writeFileSync(temporary, text);
        renameSync(temporary, path);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? 'error';
        throw new PolicyChangeRefused(
          `cannot write the policy file ${path} (${code}): change it where it is deployed (a ConfigMap, say), then send the tracker SIGHUP`,
        );
      }
      setImmediate(requestReload);
      return Promise.resolve({ status: 're-evaluating', fingerprint: next, previous: fingerprint });
    },
  };
}
