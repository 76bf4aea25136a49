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

export const memoryNodeIds: NodeIds = {
  dataset: (namespace, name) => `d\u0000${namespace}\u0000${name}`,
  actor: (service, region) => `a\u0000${service}\u0000${region}`,
};

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
  private readonly movementKeys = new Set<string>();
  readonly assertions = new Map<string, Array<{ label: string; timeMs: number }>>();
  private readonly assertionKeys = new Set<string>();
  readonly deletes = new Map<string, number[]>();
  private readonly deleteKeys = new Set<string>();
  readonly held = new Map<string, Map<string, Omit<Arrival, 'target' | 'label'>>>();
  /** Node ids holding each label. */
  readonly holders = new Map<string, Set<string>>();

  /** Writes the plan's rows (idempotently); returns the holdings of datasets whose location changed. */
  writeRows(plan: GraphWritePlan): HeldNode[] {
    const relocated: HeldNode[] = [];
    for (const row of plan.datasets) {
      const id = memoryNodeIds.dataset(row.namespace, row.name);
      const state = this.datasetState.get(id) ?? { isActor: false, namespace: row.namespace, name: row.name, service: null, region: null, provider: null, locationTimeMs: UNSEEN_LOCATION_MS };
      this.datasetState.set(id, state);
      this.nodes.set(id, state);
      // The location an event states wins over one stated by an older event, whatever the arrival order.
      if (row.timeMs <= state.locationTimeMs) continue;
      const moved = (state.region ?? '') !== (row.region ?? '') || (state.provider ?? '') !== (row.provider ?? '');
      Object.assign(state, { provider: row.provider, region: row.region, locationTimeMs: row.timeMs });
      if (moved) for (const [label, h] of this.held.get(id) ?? []) relocated.push({ ...state, id, label, since: h.since });
    }
    for (const row of plan.actors) {
      const id = memoryNodeIds.actor(row.service, row.region);
      const known = this.nodes.get(id);
      this.nodes.set(id, { isActor: true, namespace: null, name: null, service: row.service, region: row.region, provider: row.provider ?? known?.provider ?? null });
    }
    for (const row of plan.events) if (!this.events.has(row.eventId)) this.events.set(row.eventId, row);
    for (const f of plan.flows) {
      this.addMovement(memoryNodeIds.dataset(f.fromNamespace, f.fromName), memoryNodeIds.dataset(f.toNamespace, f.toName), f.eventId, f.operation as StoredMovement['operation'], f.timeMs, f.removes.length === 0 ? null : f.removes);
    }
    for (const r of plan.accesses) this.addMovement(memoryNodeIds.dataset(r.namespace, r.name), memoryNodeIds.actor(r.service, r.region), r.eventId, 'access', r.timeMs, null);
    for (const a of plan.assertions) {
      const id = memoryNodeIds.dataset(a.namespace, a.name);
      const key = `${a.eventId}\u0000${a.classification}\u0000${id}`;
      if (this.assertionKeys.has(key)) continue;
      this.assertionKeys.add(key);
      addTo(this.assertions, id, { label: a.classification, timeMs: a.timeMs });
    }
    for (const d of plan.deletions) {
      const id = memoryNodeIds.dataset(d.namespace, d.name);
      const key = `${d.eventId}\u0000${id}`;
      if (this.deleteKeys.has(key)) continue;
      this.deleteKeys.add(key);
      addTo(this.deletes, id, d.timeMs);
    }
    return relocated;
  }

  private addMovement(from: string, to: string, eventId: string, operation: StoredMovement['operation'], timeMs: number, removes: string[] | null): void {
    const key = `${eventId}\u0000${from}\u0000${to}`;
    if (this.movementKeys.has(key)) return;
    this.movementKeys.add(key);
    const movement: StoredMovement = { from, to, eventId, operation, timeMs, removes };
    addTo(this.out, from, movement);
    addTo(this.in, to, movement);
  }

  heldSince(node: string, label: string): number | undefined {
    return this.held.get(node)?.get(label)?.since;
  }

  holdings(node: string): Iterable<readonly [string, number]> {
    const held = this.held.get(node);
    return held ? [...held].map(([label, h]) => [label, h.since] as const) : [];
  }

  hold({ target, label, since, via, from }: Arrival): void {
    const held = this.held.get(target) ?? new Map<string, Omit<Arrival, 'target' | 'label'>>();
    this.held.set(target, held);
    held.set(label, { since, via, from });
    const holders = this.holders.get(label) ?? new Set<string>();
    this.holders.set(label, holders);
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
