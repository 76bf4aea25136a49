import { isoInstant } from '../events/event-instant.js';
import type { LineageEdge, LineageNode, PathsAnswer } from './answers.js';
import { searchEarliestPath, type PathMovement, type Reached } from './search-earliest-path.js';
import type { LineageStep } from './walk-lineage.js';

/** Most nodes a path search visits before it gives up (the answer says `truncated`). */
export const PATH_VISIT_CAP = 200_000;

/** A movement as an answer's edge: its ends by their answer ids (the store's id where a node is not described). */
export function lineageEdge(step: LineageStep, nodes: ReadonlyMap<string, LineageNode>, traceId?: string | null): LineageEdge {
  return {
    from: nodes.get(step.from)?.id ?? step.from,
    to: nodes.get(step.to)?.id ?? step.to,
    eventId: step.eventId,
    operation: step.operation,
    eventTime: isoInstant(step.timeMs),
    ...(traceId ? { traceId } : {}),
  };
}

/** What a store gives the path search (the one part each store does its own way). */
export interface PathSource {
  /** When the node first held the label (undefined: it never did). */
  heldSince(id: string, label: string): Promise<number | undefined>;
  /** The earliest carrying movement into each node one hop from the frontier, earlier than `before` (see searchEarliestPath). */
  expand(frontier: Reached[], label: string | null, before: number | null): Promise<PathMovement[]>;
  /** The nodes by id, described, and the trace ids of the events that have one. */
  describe(ids: string[], eventIds: string[]): Promise<{ nodes: ReadonlyMap<string, LineageNode>; traces: ReadonlyMap<string, string> }>;
}

/**
 * The `/paths` answer (docs/api.md): the earliest-arriving time-respecting path from `from` to `to`,
 * following only movements that carry `classification` when one is given (from when `from` held it).
 */
export async function answerPaths(
  ends: { from: string; to: string },
  question: { classification?: string | undefined; maxDepth: number },
  maxNodes: number,
  source: PathSource,
): Promise<PathsAnswer> {
  const label = question.classification ?? null;
  const held = label ? await source.heldSince(ends.from, label) : undefined;
  const found = await searchEarliestPath(
    { ...ends, startAt: held ?? Number.MIN_SAFE_INTEGER, maxDepth: question.maxDepth, visitCap: PATH_VISIT_CAP },
    (frontier, before) => source.expand(frontier, label, before),
  );
  if (!found.chain) return { paths: [], truncated: found.truncated };
  const { chain } = found;
  const ids = [ends.from, ...chain.map((s) => s.to)];
  const { nodes, traces } = await source.describe(
    ids,
    chain.map((s) => s.eventId),
  );
  const pathNodes = ids.map((id) => nodes.get(id)).filter((n): n is LineageNode => n !== undefined);
  return {
    paths: [
      {
        nodes: pathNodes.slice(0, maxNodes),
        edges: chain.map((s) => lineageEdge(s, nodes, traces.get(s.eventId))),
        arrivesAt: isoInstant(found.arrivesAt),
      },
    ],
    truncated: found.truncated,
  };
}
