import type { Alert } from '../policy/alert.js';
import type { Triage, TriageEntry } from '../policy/triage.js';

/** An alert with its triage, when anyone has triaged it (docs/contract.md §12). */
export type TriagedAlert = Alert & { triage?: Triage };

/**
 * An alert's triage after one more change (docs/contract.md §12): the change's state; its assignee, or the
 * one before; the change appended to the history (nothing is ever dropped).
 */
export function applyTriage(previous: Triage | undefined, entry: TriageEntry): Triage {
  const assignee = entry.assignee ?? previous?.assignee;
  return { state: entry.state, ...(assignee !== undefined ? { assignee } : {}), history: [...(previous?.history ?? []), entry] };
}

/** The triage state an alert is filtered by: `open` until someone acknowledges it. */
export const triageStateOf = (alert: { triage?: Triage | undefined }) => alert.triage?.state ?? 'open';
