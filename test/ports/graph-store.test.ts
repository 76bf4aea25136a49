import { InMemoryLineageGraph } from '../../src/adapters/memory/in-memory-lineage-graph.js';
import { CONFORMANCE_POLICIES } from './conformance-estate.js';
import { describeGraphStoreConformance } from './graph-store-conformance.js';

describeGraphStoreConformance('in memory', ({ claimLeaseMs }) => {
  let now = Date.now();
  const store = new InMemoryLineageGraph(CONFORMANCE_POLICIES, { claimLeaseMs, clock: () => new Date(now) });
  return Promise.resolve({ store, now: () => now, elapse: (ms: number) => void (now += ms) });
});
