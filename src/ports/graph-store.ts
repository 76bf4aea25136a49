import type { GraphWritePlan } from '../ingest/plan-graph-write.js';

/**
 * The lineage graph. `write` applies a plan atomically and idempotently (a plan written twice
 * leaves the graph as written once); it rejects with a retriable error when the store is
 * unreachable or busy, and nothing of the plan is then written.
 */
export interface GraphStore {
  /** Creates constraints and indexes; safe to call at every start. */
  ensureSchema(): Promise<void>;
  write(plan: GraphWritePlan): Promise<void>;
  /** Resolves when the store answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
