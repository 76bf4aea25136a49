import type { PolicyFile } from '../policy/policy-file.js';

/**
 * What a policy change asks of the graph's holdings (docs/contract.md §13, docs/policy-changes.md).
 * Holdings — the earliest time each label can have reached each node — depend on the policy only
 * through which labels are tracked, the skew tolerance and the classification catalog; where a node
 * is allowed to be is judged afresh from them. So a change of `allowed`, of the store catalog, of
 * severities or waivers re-judges, and propagates nothing.
 */
export interface HoldingsChange {
  /** Protected now and not tracked before: propagated from all of their past assertions. */
  newlyProtected: string[];
  /** Tracked before and protected no more: their holdings are dropped, as a fresh tracker would never have made them. */
  noLongerProtected: string[];
  /** The skew tolerance changed (or is not known): every holding is computed again from the assertions. */
  recomputeAll: boolean;
}

/** What the graph was judged under before: the policy file, when the graph recorded it, else only the labels it holds. */
export type JudgedBefore = { file: PolicyFile } | { trackedLabels: readonly string[] };

const protectedBy = (file: PolicyFile): string[] => [...new Set(file.policies.flatMap((p) => p.classifications))].sort();

/** The holdings' part of a change from `before` to `next`. */
export function holdingsChange(before: JudgedBefore, next: PolicyFile): HoldingsChange {
  const now = protectedBy(next);
  const tracked = new Set('file' in before ? protectedBy(before.file) : before.trackedLabels);
  // A graph recorded before fingerprints existed says nothing of its skew: it is taken as today's
  // (the default, and what the tracker that wrote it most likely ran with).
  const recomputeAll = 'file' in before && before.file.clockSkewToleranceMs !== next.clockSkewToleranceMs;
  return {
    newlyProtected: recomputeAll ? now : now.filter((label) => !tracked.has(label)),
    noLongerProtected: recomputeAll ? [...tracked] : [...tracked].filter((label) => !now.includes(label)).sort(),
    recomputeAll,
  };
}
