import type { GraphNode, HeldNode } from '../../lineage/graph-node.js';
import type { EventRow, GraphWritePlan } from '../../lineage/plan-graph-write.js';
import type { Arrival, ArrivalGraph, NodeIds, OutgoingMovement } from '../../lineage/propagate-arrivals.js';
import type { LineageStep } from '../../lineage/walk-lineage.js';

/** A movement as the in-memory graph keeps it: out of `from`, into `to`. */
export interface StoredMovement extends OutgoingMovement {
  from: string;
  operation: LineageStep['operation'];
  removes: string[] | null;
}

interface DatasetState extends GraphNode {
  locationTimeMs: number;
}

const UNSEEN_LOCATION_MS = -8_640_000_000_000_002;

/** Interned ids by two parts (namespace and name, service and region): built once per node, then looked up without building a string. */
function internedIds(tag: string): (a: string, b: string) => string {
  const ids = new Map<string, Map<string, string>>();
  return (a, b) => {
    let byB = ids.get(a);
    if (!byB) ids.set(a, (byB = new Map<string, string>()));
    let id = byB.get(b);
    if (id === undefined) byB.set(b, (id = `${tag}\u0000${a}\u0000${b}`));
    return id;
  };
}

export const memoryNodeIds: NodeIds = { dataset: internedIds('d'), actor: internedIds('a') };

const addTo = <K, V>(map: Map<K, V[]>, key: K, value: V) => {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
};

/**
 * The lineage graph's state in memory: nodes, events, movements, assertions, deletes and the
 * holdings propagation keeps (by node id and label). Plans are written as the Neo4j store writes
 * them (graph-write-statements.ts); this is the ArrivalGraph that `propagateArrivals` runs on.
 */
export class LineageMemory implements ArrivalGraph {
  readonly nodes = new Map<string, GraphNode>();
  private readonly datasetState = new Map<string, DatasetState>();
  readonly events = new Map<string, EventRow>();
  readonly out = new Map<string, StoredMovement[]>();
  readonly in = new Map<string, StoredMovement[]>();
  readonly assertions = new Map<string, Array<{ label: string; timeMs: number }>>();
  readonly deletes = new Map<string, number[]>();
  readonly held = new Map<string, Map<string, Omit<Arrival, 'target' | 'label'>>>();
  /** Node ids holding each label. */
  readonly holders = new Map<string, Set<string>>();

  /** Writes the plan's rows (idempotently); returns the holdings of datasets whose location changed. */
  writeRows(plan: GraphWritePlan): HeldNode[] {
    const relocated: HeldNode[] = [];
    for (const row of plan.datasets) {
      const id = memoryNodeIds.dataset(row.namespace, row.name);
      let state = this.datasetState.get(id);
      if (!state) {
        state = {
          isActor: false,
          namespace: row.namespace,
          name: row.name,
          service: null,
          region: null,
          provider: null,
          locationTimeMs: UNSEEN_LOCATION_MS,
        };
        this.datasetState.set(id, state);
        this.nodes.set(id, state);
      }
      // The location an event states wins over one stated by an older event, whatever the arrival order.
      if (row.timeMs <= state.locationTimeMs) continue;
      const moved = (state.region ?? '') !== (row.region ?? '') || (state.provider ?? '') !== (row.provider ?? '');
      Object.assign(state, { provider: row.provider, region: row.region, locationTimeMs: row.timeMs });
      if (moved) for (const [label, h] of this.held.get(id) ?? []) relocated.push({ ...state, id, label, since: h.since });
    }
    for (const row of plan.actors) {
      const id = memoryNodeIds.actor(row.service, row.region);
      const known = this.nodes.get(id);
      this.nodes.set(id, {
        isActor: true,
        namespace: null,
        name: null,
        service: row.service,
        region: row.region,
        provider: row.provider ?? known?.provider ?? null,
      });
    }
    // A redelivered event is a no-op (CONTRACT §2): the first write of an event id wins, and the rows
    // of an event already written are not written again. A plan carries each event's rows once.
    const fresh = new Set<string>();
    for (const row of plan.events) {
      if (this.events.has(row.eventId)) continue;
      this.events.set(row.eventId, row);
      fresh.add(row.eventId);
    }
    for (const f of plan.flows) {
      if (!fresh.has(f.eventId)) continue;
      this.addMovement(
        memoryNodeIds.dataset(f.fromNamespace, f.fromName),
        memoryNodeIds.dataset(f.toNamespace, f.toName),
        f.eventId,
        f.operation as StoredMovement['operation'],
        f.timeMs,
        f.removes.length === 0 ? null : f.removes,
      );
    }
    for (const r of plan.accesses)
      if (fresh.has(r.eventId))
        this.addMovement(
          memoryNodeIds.dataset(r.namespace, r.name),
          memoryNodeIds.actor(r.service, r.region),
          r.eventId,
          'access',
          r.timeMs,
          null,
        );
    for (const a of plan.assertions) {
      if (fresh.has(a.eventId))
        addTo(this.assertions, memoryNodeIds.dataset(a.namespace, a.name), { label: a.classification, timeMs: a.timeMs });
    }
    for (const d of plan.deletions) {
      if (fresh.has(d.eventId)) addTo(this.deletes, memoryNodeIds.dataset(d.namespace, d.name), d.timeMs);
    }
    return relocated;
  }

  private addMovement(
    from: string,
    to: string,
    eventId: string,
    operation: StoredMovement['operation'],
    timeMs: number,
    removes: string[] | null,
  ): void {
    const movement: StoredMovement = { from, to, eventId, operation, timeMs, removes };
    addTo(this.out, from, movement);
    addTo(this.in, to, movement);
  }

  heldSince(node: string, label: string): number | undefined {
    return this.held.get(node)?.get(label)?.since;
  }

  forEachHolding(node: string, visit: (label: string, since: number) => void): void {
    this.held.get(node)?.forEach((h, label) => visit(label, h.since));
  }

  hold({ target, label, since, via, from }: Arrival): void {
    let held = this.held.get(target);
    if (!held) this.held.set(target, (held = new Map<string, Omit<Arrival, 'target' | 'label'>>()));
    held.set(label, { since, via, from });
    let holders = this.holders.get(label);
    if (!holders) this.holders.set(label, (holders = new Set<string>()));
    holders.add(target);
  }

  movementsOut(node: string): StoredMovement[] {
    return this.out.get(node) ?? [];
  }

  movementsIn(node: string): StoredMovement[] {
    return this.in.get(node) ?? [];
  }

  /** The node with this id, located as its events say. */
  node(id: string): GraphNode | undefined {
    return this.nodes.get(id);
  }
}
