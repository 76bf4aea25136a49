import type { LineageEdge } from './answers.js';

/** One movement between two nodes (by the store's ids), as lineage answers show it. */
export interface LineageStep {
  from: string;
  to: string;
  eventId: string;
  operation: LineageEdge['operation'];
  timeMs: number;
}

export type Direction = 'downstream' | 'upstream';

/** How far an answer may reach: beyond these caps it is cut and marked `truncated`. */
export interface WalkLimits {
  maxNodes: number;
  maxEdges: number;
}

/**
 * The lineage around a node (docs/contract.md §6 `lineage`): breadth first, `depth` hops in each direction,
 * every movement between reached nodes; cut (and `truncated`) at the node or edge cap. `expand`
 * reads the movements out of (downstream) or into (upstream) the frontier, at most `room + 1`.
 */
export async function walkLineage(
  start: string,
  depth: number,
  directions: readonly Direction[],
  limits: WalkLimits,
  expand: (direction: Direction, frontier: string[], room: number) => Promise<LineageStep[]> | LineageStep[],
): Promise<{ nodes: string[]; steps: LineageStep[]; truncated: boolean }> {
  const seen = new Set([start]);
  const steps = new Map<string, LineageStep>();
  let truncated = false;
  for (const direction of directions) {
    const far = direction === 'downstream' ? 'to' : 'from';
    let frontier = [start];
    for (let level = 0; level < depth && frontier.length > 0 && !truncated; level += 1) {
      const found = await expand(direction, frontier, limits.maxEdges - steps.size);
      const next: string[] = [];
      for (const step of found) {
        if (steps.size >= limits.maxEdges) {
          truncated = true;
          break;
        }
        const node = step[far];
        if (!seen.has(node)) {
          if (seen.size >= limits.maxNodes) {
            truncated = true;
            continue;
          }
          seen.add(node);
          next.push(node);
        }
        steps.set(`${step.eventId}\u0000${step.from}\u0000${step.to}`, step);
      }
      frontier = next;
    }
  }
  return { nodes: [...seen], steps: [...steps.values()], truncated };
}
