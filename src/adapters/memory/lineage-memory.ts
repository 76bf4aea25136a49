import { EventIdConflictError } from '../../lineage/event-id-conflict.js';
import type { GraphNode, HeldNode } from '../../lineage/graph-node.js';
import type { EventRow, GraphWritePlan } from '../../lineage/plan-graph-write.js';
import type { Arrival, ArrivalGraph, NodeIds, OutgoingMovement } from '../../lineage/propagate-arrivals.js';
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
  /** Nodes as seedArrivals names them (every node of a plan exists once its rows are written). */
  readonly ids: NodeIds<MemoryNode> = {
    dataset: (namespace, name) => this.datasets.getOrCreate(namespace, name),
    actor: (service, region) => this.actors.getOrCreate(service, region),
  };

  /**
   * Writes the plan's rows (idempotently); returns the holdings of datasets whose location changed.
   * Writes nothing, and throws EventIdConflictError, when an event id is known with other content.
   */
  writeRows(plan: GraphWritePlan): HeldNode[] {
    // Each event id looked up once (the table of events is the graph's largest).
    const known = plan.events.map((row) => this.events.get(row.eventId));
    const conflicts = plan.events.filter((row, i) => {
      const digest = known[i]?.digest;
      return digest && row.digest && digest !== row.digest;
    });
    if (conflicts.length > 0) throw new EventIdConflictError(conflicts.map((row) => row.eventId));
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
    // A redelivered event is a no-op (CONTRACT §2): the first write of an event id wins, and the rows
    // of an event already written are not written again. A plan carries each event's rows once.
    const fresh = new Set<string>();
    for (const [i, row] of plan.events.entries()) {
      if (known[i] !== undefined || fresh.has(row.eventId)) continue;
      this.events.set(row.eventId, row);
      fresh.add(row.eventId);
    }
    for (const f of plan.flows) {
      if (!fresh.has(f.eventId)) continue;
      const operation = f.operation as StoredMovement['operation'];
      this.addMovement(
        this.datasets.getOrCreate(f.fromNamespace, f.fromName),
        this.datasets.getOrCreate(f.toNamespace, f.toName),
        f.eventId,
        operation,
        f.timeMs,
        f.removes.length === 0 ? null : f.removes,
      );
    }
    for (const r of plan.accesses) {
      if (fresh.has(r.eventId))
        this.addMovement(
          this.datasets.getOrCreate(r.namespace, r.name),
          this.actors.getOrCreate(r.service, r.region),
          r.eventId,
          'access',
          r.timeMs,
          null,
        );
    }
    for (const a of plan.assertions) {
      if (fresh.has(a.eventId))
        this.datasets.getOrCreate(a.namespace, a.name).assertions.push({ label: a.classification, timeMs: a.timeMs });
    }
    for (const d of plan.deletions) if (fresh.has(d.eventId)) this.datasets.getOrCreate(d.namespace, d.name).deletes.push(d.timeMs);
    return relocated;
  }

  private addMovement(
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
  }

  heldSince(node: MemoryNode, label: string): number | undefined {
    return node.held?.get(label)?.since;
  }

  forEachHolding(node: MemoryNode, visit: (label: string, since: number) => void): void {
    node.held?.forEach((h, label) => visit(label, h.since));
  }

  hold({ target, label, since, via, from }: Arrival<MemoryNode>): void {
    (target.held ??= new Map<string, StoredHolding>()).set(label, { since, via, from });
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
