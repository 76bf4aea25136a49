import type { LineageEdge } from '../api/api-schemas.js';

/** Repeated movements between the same two nodes, as one edge of the drawing. */
export interface MergedEdge {
  id: string;
  from: string;
  to: string;
  operation: LineageEdge['operation'];
  /** How many movements it stands for, and when the first and the last happened. */
  count: number;
  first: string;
  last: string;
  eventIds: string[];
  /** Each movement it stands for (expand on demand), in the order of the answer. */
  movements: Array<{ eventId: string; eventTime: string }>;
}

/**
 * Merges the movements of a lineage answer that go between the same two nodes by the same operation
 * (58 nightly copies are one edge "copy ×58"), keeping their count, first and last time and event
 * ids. Order: as the first movement of each group came in the answer.
 */
export function mergeEdges(edges: readonly LineageEdge[]): MergedEdge[] {
  const groups = new Map<string, MergedEdge>();
  for (const e of edges) {
    const key = `${e.from}|${e.to}|${e.operation}`;
    const group = groups.get(key);
    if (!group) {
      groups.set(key, {
        id: key,
        from: e.from,
        to: e.to,
        operation: e.operation,
        count: 1,
        first: e.eventTime,
        last: e.eventTime,
        eventIds: [e.eventId],
        movements: [{ eventId: e.eventId, eventTime: e.eventTime }],
      });
      continue;
    }
    group.count += 1;
    if (e.eventTime < group.first) group.first = e.eventTime;
    if (e.eventTime > group.last) group.last = e.eventTime;
    group.eventIds.push(e.eventId);
    group.movements.push({ eventId: e.eventId, eventTime: e.eventTime });
  }
  return [...groups.values()];
}

/** The label of a merged edge: the operation, and how many movements when more than one. */
export const edgeLabel = (e: MergedEdge): string => (e.count > 1 ? `${e.operation} ×${e.count}` : e.operation);

/** What a merged edge says when picked: how many movements, between which times. */
export function describeMergedEdge(e: MergedEdge, name: (id: string) => string): string {
  const times = e.count > 1 ? `first ${e.first}, last ${e.last}` : e.first;
  return `${e.count} ${e.operation}${e.count > 1 ? ' movements' : ''} from ${name(e.from)} to ${name(e.to)}: ${times}`;
}
