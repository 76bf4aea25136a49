import type { TriagedAlert } from '../alerts/triage.js';
import type { TriageEntry } from '../alerts/triage.js';

/** Where triage is kept (docs/contract.md §12): with the alert it is about, never on the alerts topic. */
export interface AlertTriageBook {
  /** Appends a change to the alert's triage; `undefined` when there is no such alert. */
  triage(alertId: string, entry: TriageEntry): Promise<TriagedAlert | undefined>;
}
