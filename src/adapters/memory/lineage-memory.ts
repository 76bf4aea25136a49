import { EventIdConflictError } from '../../lineage/event-id-conflict.js';
import type { GraphNode, HeldNode } from '../../lineage/graph-node.js';
import type { EventRow, GraphWritePlan } from '../../lineage/plan-graph-write.js';
import type { Arrival, ArrivalGraph, Assertion, OutgoingMovement } from '../../lineage/propagate-arrivals.js';
import type { LineageStep } from '../../lineage/walk-lineage.js';

/** A movement as the in-memory graph keeps it: out of `from`, into `to`. */
export interface StoredMovement extends OutgoingMovement<MemoryNode> {
  from: MemoryNode;
  operation: LineageStep['operation'];
  removes: string[] | null;
}

/** How a label reached a node: since when, by which event, from which node (null where asserted). */
export interface StoredHolding {
  since: number;
  via: string | null;
  from: MemoryNode | null;
}

/**
 * A node with everything the graph knows of it, in one record: propagation reads and changes it
 * without a lookup (the node itself is its handle, `N` of `ArrivalGraph`).
 */
export interface MemoryNode extends GraphNode {
  readonly id: string;
  /** The eventTime of the event that stated the location (the latest statement wins). */
  locationTimeMs: number;
  held: Map<string, StoredHolding> | undefined;
  /** When the node first held each label, by the label's index (LineageMemory.labels): what propagation reads most. */
  heldSinceByLabel: number[];
  out: StoredMovement[];
  in: StoredMovement[];
  assertions: Array<{ label: string; timeMs: number }>;
  deletes: number[];
}

const UNSEEN_LOCATION_MS = -8_640_000_000_000_002;

/** Nodes by two parts (namespace and name, service and region), looked up without building a key. */
class NodeTable {
  private readonly byFirst = new Map<string, Map<string, MemoryNode>>();

  constructor(
    private readonly tag: 'd' | 'a',
    private readonly all: Map<string, MemoryNode>,
  ) {}

  get(a: string, b: string): MemoryNode | undefined {
    return this.byFirst.get(a)?.get(b);
  }

  getOrCreate(a: string, b: string): MemoryNode {
    let bySecond = this.byFirst.get(a);
    if (!bySecond) this.byFirst.set(a, (bySecond = new Map<string, MemoryNode>()));
    let node = bySecond.get(b);
    if (!node) {
      const dataset = this.tag === 'd';
      node = {
        id: `${this.tag}\u0000${a}\u0000${b}`,
        isActor: !dataset,
        namespace: dataset ? a : null,
        name: dataset ? b : null,
        service: dataset ? null : a,
        region: dataset ? null : b,
        provider: null,
        locationTimeMs: UNSEEN_LOCATION_MS,
        held: undefined,
        heldSinceByLabel: [],
        out: [],
        in: [],
        assertions: [],
        deletes: [],
      };
      bySecond.set(b, node);
      this.all.set(node.id, node);
    }
    return node;
  }
}

/**
 * The lineage graph's state in memory: nodes with their movements, assertions, deletes and the
 * holdings propagation keeps, and the events. Plans are written as the Neo4j store writes them
 * (graph-write-statements.ts); this is the ArrivalGraph that `propagateArrivals` runs on.
 */
export class LineageMemory implements ArrivalGraph<MemoryNode> {
  /** Every node by id. */
  readonly nodes = new Map<string, MemoryNode>();
  readonly datasets = new NodeTable('d', this.nodes);
  readonly actors = new NodeTable('a', this.nodes);
  readonly events = new Map<string, EventRow>();
  /** Nodes holding each label. */
  readonly holders = new Map<string, Set<MemoryNode>>();
  /** Each label held anywhere, by its index in `heldSinceByLabel`. */
  private readonly labels = new Map<string, number>();

  /**
   * Writes the plan's rows (idempotently). Returns the holdings of datasets whose location changed,
   * and what the plan adds: the assertions and movements of events not written before (where
   * propagation starts). Writes nothing, and throws EventIdConflictError, when an event id is known
   * with other content.
   */
  writeRows(plan: GraphWritePlan): { relocated: HeldNode[]; assertions: Assertion<MemoryNode>[]; movements: StoredMovement[] } {
    // A redelivered event is a no-op (CONTRACT §2): the first write of an event id wins, and the rows
    // of an event written before are not written again. Each event id is looked up once (the table of
    // events is the graph's largest); `written` holds those known already (none, mostly).
    const written = new Set<string>();
    const conflicts: string[] = [];
    for (const row of plan.events) {
      const known = this.events.get(row.eventId);
      if (known === undefined) continue;
      written.add(row.eventId);
      if (known.digest && row.digest && known.digest !== row.digest) conflicts.push(row.eventId);
    }
    if (conflicts.length > 0) throw new EventIdConflictError(conflicts);
    const fresh = (eventId: string) => written.size === 0 || !written.has(eventId);
    const relocated: HeldNode[] = [];
    for (const row of plan.datasets) {
      const node = this.datasets.getOrCreate(row.namespace, row.name);
      // The location an event states wins over one stated by an older event, whatever the arrival order.
      if (row.timeMs <= node.locationTimeMs) continue;
      const moved = (node.region ?? '') !== (row.region ?? '') || (node.provider ?? '') !== (row.provider ?? '');
      node.provider = row.provider;
      node.region = row.region;
      node.locationTimeMs = row.timeMs;
      if (moved) node.held?.forEach((h, label) => relocated.push(heldNode(node, label, h.since)));
    }
    for (const row of plan.actors) {
      const node = this.actors.getOrCreate(row.service, row.region);
      node.provider = row.provider ?? node.provider;
    }
    // A plan names each event once (planGraphWrite de-duplicates a batch).
    for (const row of plan.events) if (fresh(row.eventId)) this.events.set(row.eventId, row);
    const movements: StoredMovement[] = [];
    for (const f of plan.flows) {
      if (!fresh(f.eventId)) continue;
      const operation = f.operation as StoredMovement['operation'];
      this.addMovement(
        movements,
        this.datasets.getOrCreate(f.fromNamespace, f.fromName),
        this.datasets.getOrCreate(f.toNamespace, f.toName),
        f.eventId,
        operation,
        f.timeMs,
        f.removes.length === 0 ? null : f.removes,
      );
    }
    for (const r of plan.accesses) {
      if (fresh(r.eventId))
        this.addMovement(
          movements,
          this.datasets.getOrCreate(r.namespace, r.name),
          this.actors.getOrCreate(r.service, r.region),
          r.eventId,
          'access',
          r.timeMs,
          null,
        );
    }
    const assertions: Assertion<MemoryNode>[] = [];
    for (const a of plan.assertions) {
      if (!fresh(a.eventId)) continue;
      const target = this.datasets.getOrCreate(a.namespace, a.name);
      target.assertions.push({ label: a.classification, timeMs: a.timeMs });
      assertions.push({ target, label: a.classification, timeMs: a.timeMs });
    }
    for (const d of plan.deletions) if (fresh(d.eventId)) this.datasets.getOrCreate(d.namespace, d.name).deletes.push(d.timeMs);
    return { relocated, assertions, movements };
  }

  private addMovement(
    added: StoredMovement[],
    from: MemoryNode,
    to: MemoryNode,
    eventId: string,
    operation: StoredMovement['operation'],
    timeMs: number,
    removes: string[] | null,
  ): void {
    const movement: StoredMovement = { from, to, eventId, operation, timeMs, removes };
    from.out.push(movement);
    to.in.push(movement);
    added.push(movement);
  }

  heldSince(node: MemoryNode, label: string): number | undefined {
    const index = this.labels.get(label);
    return index === undefined ? undefined : node.heldSinceByLabel[index];
  }

  forEachHolding(node: MemoryNode, visit: (label: string, since: number) => void): void {
    node.held?.forEach((h, label) => visit(label, h.since));
  }

  hold({ target, label, since, via, from }: Arrival<MemoryNode>): void {
    (target.held ??= new Map<string, StoredHolding>()).set(label, { since, via, from });
    let index = this.labels.get(label);
    if (index === undefined) this.labels.set(label, (index = this.labels.size));
    target.heldSinceByLabel[index] = since;
    let holders = this.holders.get(label);
    if (!holders) this.holders.set(label, (holders = new Set<MemoryNode>()));
    holders.add(target);
  }

  movementsOut(node: MemoryNode): StoredMovement[] {
    return node.out;
  }

  /** The node with this id. */
  node(id: string): MemoryNode | undefined {
    return this.nodes.get(id);
  }
}

/** A node's holding as the alert rules take it (located, by id). */
export function heldNode(node: MemoryNode, label: string, since: number, via?: string | null, from?: MemoryNode | null): HeldNode {
  const held: HeldNode = {
    isActor: node.isActor,
    namespace: node.namespace,
    name: node.name,
    service: node.service,
    region: node.region,
    provider: node.provider,
    id: node.id,
    label,
    since,
  };
  if (via !== undefined) {
    held.via = via;
    held.from = from?.id ?? null;
  }
  return held;
}
