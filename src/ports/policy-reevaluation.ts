import type { PolicyFile } from '../policy/policy-file.js';

/** The policy a graph was last judged under (docs/contract.md §13): its fingerprint, content and when. */
export interface JudgedPolicy {
  fingerprint: string;
  file: PolicyFile | undefined;
  judgedAt: string;
}

/** How far a re-evaluation has come (docs/policy-changes.md): in the log, on /metrics and on /healthz. */
export interface ReevaluationProgress {
  phase: 'dropping' | 'propagating' | 'judging' | 'remediating' | 'publishing';
  /** Holdings seeded and propagated, holdings judged, open alerts checked: in the phase's own unit. */
  done: number;
  /** How many the phase has in all, when known. */
  total: number | null;
}

/** What a re-evaluation changed. */
export interface ReevaluationOutcome {
  fingerprint: string;
  previous: string | null;
  newlyProtected: string[];
  noLongerProtected: string[];
  holdingsDropped: number;
  /** Holdings propagation made or made earlier (a holding lowered twice counts twice). */
  holdingsGained: number;
  nodesJudged: number;
  /** Alerts raised (open, or open then remediated where a delete already removed the data). */
  opened: number;
  /** Alerts remediated by policy earlier that the new policy opens again. */
  reopened: number;
  /** Open alerts the new policy allows: remediated, remediatedBy "policy". */
  remediated: number;
  ms: number;
}

/**
 * Re-judges the whole graph under a policy (docs/contract.md §13): holdings of newly protected labels
 * propagated from every past assertion, those of labels no longer protected dropped, every holding
 * judged, alerts opened and remediated to match. The states it records are left in the outbox for
 * the caller to publish. Interrupted, it leaves the previous fingerprint in place, and running it
 * again completes it.
 */
export interface PolicyReevaluation {
  judgedPolicy(): Promise<JudgedPolicy | undefined>;
  /** What `reevaluate` would change, computed exactly, with nothing changed. */
  preview(file: PolicyFile): Promise<ReevaluationOutcome>;
  reevaluate(
    file: PolicyFile,
    options: { outbox: string; onProgress?: (progress: ReevaluationProgress) => void },
  ): Promise<ReevaluationOutcome>;
}
