import { InMemoryLineageGraph } from '../../src/adapters/memory/in-memory-lineage-graph.js';
import { CONFORMANCE_POLICIES } from './conformance-estate.js';
import { describeLineageQueriesConformance } from './lineage-queries-conformance.js';

describeLineageQueriesConformance('in memory', () => {
  const graph = new InMemoryLineageGraph(CONFORMANCE_POLICIES);
  return Promise.resolve({ store: graph, queries: graph.queries, close: () => graph.close() });
});
