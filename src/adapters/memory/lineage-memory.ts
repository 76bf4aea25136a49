import { EventIdConflictError } from '../../lineage/event-id-conflict.js';
import type { GraphNode, HeldNode } from '../../lineage/graph-node.js';
import type { DataMovementEvent } from '../../events/data-movement-event.js';
import {
  visitDataset,
  visitEventRows,
  type DatasetObservation,
  type GraphWritePlan,
  type RowVisitor,
} from '../../lineage/plan-graph-write.js';
import type { Arrival, ArrivalGraph, Assertion, OutgoingMovement } from '../../lineage/propagate-arrivals.js';
import type { LineageStep } from '../../lineage/walk-lineage.js';
import type { AlertRecord } from './alert-record.js';

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
  /** Movements out, in the order written (what the queries walk). */
  out: StoredMovement[];
  /** The same movements in time order (what propagation reads): the first `outSorted` are; those written since are sorted in when read. */
  outByTime: StoredMovement[];
  outSorted: number;
  in: StoredMovement[];
  assertions: Array<{ label: string; timeMs: number }>;
  deletes: number[];
  /** The alerts raised at this node (InMemoryAlertBook), in the order raised. */
  alerts: AlertRecord[];
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
        outByTime: [],
        outSorted: 0,
        in: [],
        assertions: [],
        deletes: [],
        alerts: [],
      };
      bySecond.set(b, node);
      this.all.set(node.id, node);
    }
    return node;
  }
}

/**
 * What the graph keeps of an event once its rows are written: what a witness path shows of it and
 * what tells a redelivery from a conflict. Three fields, not the event row's eleven: a million
 * events are a large part of the graph's memory.
 */
export interface KnownEvent {
  /** The event's content fingerprint (`eventDigest`), when its decoder gave one. */
  digest: string | null;
  traceId: string | null;
  eventTime: string;
}

/** How `LineageMemory.writeEvents` takes its events. */
export interface EventWriteOptions {
  /** Each event's content fingerprint: a known id with another is a conflict. */
  digestOf?: (event: DataMovementEvent) => string | undefined;
  /** Each event's parsed eventTime, by index (`Date.parse(events[i].eventTime)`), when the caller has them. */
  timesMs?: ArrayLike<number>;
}

/** What one write adds: where propagation and the alert rules start. */
export interface WriteAdded {
  /** The holdings of datasets whose location the write changed. */
  relocated: HeldNode[];
  /** The assertions, movements and deletes of events not written before. */
  assertions: Assertion<MemoryNode>[];
  movements: StoredMovement[];
  deletions: Array<{ node: MemoryNode; timeMs: number }>;
}

/**
 * One write's rows, written into the nodes as they are found (a RowVisitor). A dataset's location is
 * the latest an event states, whatever the arrival order; it is relocated when, at the end of the
 * write, it is somewhere else than before.
 */
class MemoryWrite implements RowVisitor<MemoryNode, MemoryNode> {
  private readonly added: WriteAdded = { relocated: [], assertions: [], movements: [], deletions: [] };
  /** Where each dataset the write locates was before it. */
  private readonly before = new Map<MemoryNode, { provider: string | null; region: string | null }>();

  constructor(private readonly memory: LineageMemory) {}

  dataset(namespace: string, name: string, provider: string | null, region: string | null, timeMs: number): MemoryNode {
    const node = this.memory.datasets.getOrCreate(namespace, name);
    if (timeMs > node.locationTimeMs) {
      if (!this.before.has(node)) this.before.set(node, { provider: node.provider, region: node.region });
      node.provider = provider;
      node.region = region;
      node.locationTimeMs = timeMs;
    }
    return node;
  }

  assertion(target: MemoryNode, label: string, _eventId: string, timeMs: number): void {
    const assertion = { target, label, timeMs };
    target.assertions.push(assertion);
    this.added.assertions.push(assertion);
  }

  actor(service: string, region: string, provider: string | null): MemoryNode {
    const node = this.memory.actors.getOrCreate(service, region);
    node.provider = provider ?? node.provider;
    return node;
  }

  access(dataset: MemoryNode, actor: MemoryNode, eventId: string, timeMs: number): void {
    this.flow(dataset, actor, eventId, 'access', timeMs, []);
  }

  deletion(node: MemoryNode, _eventId: string, timeMs: number): void {
    node.deletes.push(timeMs);
    this.added.deletions.push({ node, timeMs });
  }

  flow(from: MemoryNode, to: MemoryNode, eventId: string, operation: string, timeMs: number, removes: string[]): void {
    const movement: StoredMovement = {
      from,
      to,
      eventId,
      operation: operation as StoredMovement['operation'],
      timeMs,
      removes: removes.length === 0 ? null : removes,
    };
    from.out.push(movement);
    from.outByTime.push(movement);
    to.in.push(movement);
    this.added.movements.push(movement);
  }

  finish(): WriteAdded {
    for (const [node, was] of this.before) {
      const moved = (node.region ?? '') !== (was.region ?? '') || (node.provider ?? '') !== (was.provider ?? '');
      if (moved) node.held?.forEach((h, label) => this.added.relocated.push(heldNode(node, label, h.since)));
    }
    return this.added;
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
  /** What is kept of each event written, by id (the rest of it is in the nodes' rows). */
  readonly events = new Map<string, KnownEvent>();
  /** Nodes holding each label. */
  readonly holders = new Map<string, Set<MemoryNode>>();
  /** Each label held anywhere, by its number (its index in `heldSinceByLabel`). */
  private readonly labels = new Map<string, number>();
  /** The labels by number (`labels` reversed). */
  readonly labelNames: string[] = [];

  /**
   * Writes the plan's rows (idempotently), as the Neo4j store writes a plan. Returns what the plan
   * adds (see `WriteAdded`). Writes nothing, and throws EventIdConflictError, when an event id is
   * known with other content.
   */
  writeRows(plan: GraphWritePlan): WriteAdded {
    // A redelivered event is a no-op (docs/contract.md §2): the first write of an event id wins, and the rows
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
    const write = new MemoryWrite(this);
    for (const row of plan.datasets) write.dataset(row.namespace, row.name, row.provider, row.region, row.timeMs);
    for (const row of plan.actors) write.actor(row.service, row.region, row.provider);
    // A plan names each event once (planGraphWrite de-duplicates a batch).
    for (const row of plan.events)
      if (fresh(row.eventId)) this.events.set(row.eventId, { digest: row.digest, traceId: row.traceId, eventTime: row.eventTime });
    const dataset = (namespace: string, name: string) => this.datasets.getOrCreate(namespace, name);
    for (const f of plan.flows) {
      if (fresh(f.eventId))
        write.flow(dataset(f.fromNamespace, f.fromName), dataset(f.toNamespace, f.toName), f.eventId, f.operation, f.timeMs, f.removes);
    }
    for (const r of plan.accesses) {
      if (fresh(r.eventId)) write.access(dataset(r.namespace, r.name), this.actors.getOrCreate(r.service, r.region), r.eventId, r.timeMs);
    }
    for (const a of plan.assertions)
      if (fresh(a.eventId)) write.assertion(dataset(a.namespace, a.name), a.classification, a.eventId, a.timeMs);
    for (const d of plan.deletions) if (fresh(d.eventId)) write.deletion(dataset(d.namespace, d.name), d.eventId, d.timeMs);
    return write.finish();
  }

  /**
   * Writes events (and datasets seen without a movement) straight into the nodes, without building a
   * plan: the rows `planGraphWrite` would plan (`visitEventRows`, the same rules), each dataset looked
   * up once per reference. What `borderline check` uses; the result is the plan's. Events are taken
   * in order, the first of an event id winning (a later one is a redelivery, docs/contract.md §2); with
   * `digestOf`, a known id with other content throws EventIdConflictError and nothing is written.
   * `timesMs[i]`, when given, is `Date.parse(events[i].eventTime)` (a caller that parsed them already).
   */
  writeEvents(
    events: readonly DataMovementEvent[],
    observed: ReadonlyArray<DatasetObservation> = [],
    { digestOf, timesMs }: EventWriteOptions = {},
  ): WriteAdded {
    const digests = digestOf ? this.digestsWithoutConflict(events, digestOf) : undefined;
    const write = new MemoryWrite(this);
    for (const { ref, eventTime } of observed) visitDataset(write, ref, Date.parse(eventTime));
    for (let i = 0; i < events.length; i++) {
      const event = events[i]!;
      if (this.events.has(event.eventId)) continue;
      const timeMs = timesMs ? timesMs[i]! : Date.parse(event.eventTime);
      this.events.set(event.eventId, { digest: digests?.[i] ?? null, traceId: event.trace?.traceId ?? null, eventTime: event.eventTime });
      visitEventRows(write, event, timeMs);
    }
    return write.finish();
  }

  /** The digest of each event; throws EventIdConflictError when a known event id (before or in `events`) has another. */
  private digestsWithoutConflict(events: readonly DataMovementEvent[], digestOf: (event: DataMovementEvent) => string | undefined) {
    const digests = events.map((e) => digestOf(e) ?? null);
    const first = new Map<string, string | null>();
    const conflicts = new Set<string>();
    events.forEach((event, i) => {
      if (!first.has(event.eventId)) first.set(event.eventId, this.events.get(event.eventId)?.digest ?? digests[i]!);
      const known = first.get(event.eventId);
      if (known && digests[i] && known !== digests[i]) conflicts.add(event.eventId);
    });
    if (conflicts.size > 0) throw new EventIdConflictError([...conflicts]);
    return digests;
  }

  heldSince(node: MemoryNode, label: string): number | undefined {
    const index = this.labels.get(label);
    return index === undefined ? undefined : node.heldSinceByLabel[index];
  }

  labelNumber(label: string): number | undefined {
    return this.labels.get(label);
  }

  holdingTimes(node: MemoryNode): readonly (number | undefined)[] {
    return node.heldSinceByLabel;
  }

  /** Forgets every holding (a re-evaluation computes them again from the assertions). */
  forgetHoldings(): void {
    for (const node of this.nodes.values()) {
      node.held = undefined;
      node.heldSinceByLabel = [];
    }
  }

  /** Every label asserted on a node, and when: what a re-evaluation seeds from. */
  *assertions(): Generator<Assertion<MemoryNode>> {
    for (const node of this.nodes.values()) for (const a of node.assertions) yield { target: node, label: a.label, timeMs: a.timeMs };
  }

  /** When the first event that names a dataset happened (its movements, assertions and deletes), if any did. */
  firstSeen(node: MemoryNode): number | undefined {
    let first: number | undefined;
    const see = (t: number) => (first = first === undefined || t < first ? t : first);
    for (const m of node.out) see(m.timeMs);
    for (const m of node.in) see(m.timeMs);
    for (const a of node.assertions) see(a.timeMs);
    for (const t of node.deletes) see(t);
    return first;
  }

  hold({ target, label, since, via, from }: Arrival<MemoryNode>): void {
    (target.held ??= new Map<string, StoredHolding>()).set(label, { since, via, from });
    let index = this.labels.get(label);
    if (index === undefined) {
      this.labels.set(label, (index = this.labels.size));
      this.labelNames.push(label);
    }
    target.heldSinceByLabel[index] = since;
    let holders = this.holders.get(label);
    if (!holders) this.holders.set(label, (holders = new Set<MemoryNode>()));
    holders.add(target);
  }

  movementsOut(node: MemoryNode): StoredMovement[] {
    if (node.outSorted < node.outByTime.length) sortInByTime(node.outByTime, node.outSorted);
    node.outSorted = node.outByTime.length;
    return node.outByTime;
  }

  /** The node with this id. */
  node(id: string): MemoryNode | undefined {
    return this.nodes.get(id);
  }
}

/**
 * Puts movements in time order, the first `sorted` of them being so already. A node gains a few
 * movements per write: each is inserted where it belongs (no comparator calls), unless that would
 * move more than a sort costs (a busy node, or many new movements), when all are sorted.
 */
function sortInByTime(movements: StoredMovement[], sorted: number): void {
  if ((movements.length - sorted) * movements.length > 65_536) {
    movements.sort((a, b) => a.timeMs - b.timeMs);
    return;
  }
  for (let j = sorted; j < movements.length; j++) {
    const movement = movements[j]!;
    let low = 0;
    let high = j;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (movements[middle]!.timeMs <= movement.timeMs) low = middle + 1;
      else high = middle;
    }
    for (let k = j; k > low; k--) movements[k] = movements[k - 1]!;
    movements[low] = movement;
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
