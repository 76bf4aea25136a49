import type { DataMovementEvent } from '../events/data-movement-event.js';
import type { DatasetRef } from '../events/dataset-ref.js';

/** A dataset's identity and, when an event states it, its location as of `timeMs`. */
export interface DatasetRow {
  namespace: string;
  name: string;
  provider: string | null;
  region: string | null;
  /** The eventTime of the event that stated the location: the latest statement wins, whatever the arrival order. */
  timeMs: number;
}
export interface ActorRow {
  service: string;
  region: string;
  provider: string | null;
}
export interface EventRow {
  eventId: string;
  /** The event's content fingerprint (`eventDigest`), when its decoder gave one: a used id with another digest is a conflict. */
  digest: string | null;
  operation: string;
  eventTime: string;
  timeMs: number;
  traceId: string | null;
  producer: string | null;
  actorService: string | null;
  actorRegion: string | null;
  actorProvider: string | null;
}
/** A movement from one dataset to another (copy, move, derive). */
export interface FlowRow {
  eventId: string;
  fromNamespace: string;
  fromName: string;
  toNamespace: string;
  toName: string;
  operation: string;
  timeMs: number;
  removes: string[];
}
export interface AccessRow {
  eventId: string;
  namespace: string;
  name: string;
  service: string;
  region: string;
  timeMs: number;
}
export interface AssertionRow {
  eventId: string;
  namespace: string;
  name: string;
  classification: string;
  timeMs: number;
}
export interface DeletionRow {
  eventId: string;
  namespace: string;
  name: string;
  timeMs: number;
}

/**
 * Everything one batch of events writes, de-duplicated, in the order the batch names it (a store that
 * locks puts the rows in its own lock order: src/adapters/neo4j/lock-order.ts).
 */
export interface GraphWritePlan {
  datasets: DatasetRow[];
  actors: ActorRow[];
  events: EventRow[];
  flows: FlowRow[];
  accesses: AccessRow[];
  assertions: AssertionRow[];
  deletions: DeletionRow[];
}

/**
 * The `timeMs` of a dataset row whose event states no location: earlier than any instant an event can
 * have (JavaScript dates reach back to -8.64e15 ms, years before 0001), so that a located statement of
 * any time — 1969 included — wins over it. graph-write-statements.ts compares against one less.
 */
export const UNLOCATED_MS = -8_640_000_000_000_001;
/** Region codes compare case-insensitively (docs/contract.md §2); they are stored lower-case. */
const normalizeRegion = (region: string | undefined) => (region === undefined ? null : region.toLowerCase());

/**
 * Where the rows of an event go as they are found: `planGraphWrite` collects them into a plan (the
 * Neo4j store writes plans); the in-memory graph writes them straight into its nodes, without rows.
 * `D` and `A` are how the receiver names a dataset and an actor once it has been told of it.
 */
export interface RowVisitor<D, A> {
  /** A dataset the event names; `timeMs` is UNLOCATED_MS when the reference states no location. */
  dataset(namespace: string, name: string, provider: string | null, region: string | null, timeMs: number): D;
  /** A label an event asserts on a dataset it names (docs/contract.md §2). */
  assertion(dataset: D, classification: string, eventId: string, timeMs: number): void;
  actor(service: string, region: string, provider: string | null): A;
  access(dataset: D, actor: A, eventId: string, timeMs: number): void;
  deletion(dataset: D, eventId: string, timeMs: number): void;
  /** A copy, move or derive from one dataset to another; `removes` the labels a derive strips. */
  flow(from: D, to: D, eventId: string, operation: string, timeMs: number, removes: string[]): void;
}

/** The event row of an event (docs/contract.md §2: regions compare case-insensitively). */
export function eventRowOf(event: DataMovementEvent, timeMs: number, digest: string | null): EventRow {
  return {
    eventId: event.eventId,
    digest,
    operation: event.operation,
    eventTime: event.eventTime,
    timeMs,
    traceId: event.trace?.traceId ?? null,
    producer: event.producer ?? null,
    actorService: event.actor?.service ?? null,
    actorRegion: normalizeRegion(event.actor?.region),
    actorProvider: event.actor?.provider ?? null,
  };
}

/** Tells `visitor` of a dataset a reference names, located as of `timeMs` when it says where. */
export function visitDataset<D>(visitor: RowVisitor<D, unknown>, ref: DatasetRef, timeMs: number): D {
  const located = ref.region !== undefined || ref.provider !== undefined;
  return visitor.dataset(ref.namespace, ref.name, ref.provider ?? null, normalizeRegion(ref.region), located ? timeMs : UNLOCATED_MS);
}

function visitRefs<D>(visitor: RowVisitor<D, unknown>, refs: readonly DatasetRef[], eventId: string, timeMs: number): D[] {
  const datasets: D[] = [];
  for (const ref of refs) {
    const dataset = visitDataset(visitor, ref, timeMs);
    datasets.push(dataset);
    if (ref.classifications) for (const classification of ref.classifications) visitor.assertion(dataset, classification, eventId, timeMs);
  }
  return datasets;
}

/**
 * The rows one event writes (docs/contract.md §2–3), in the order a plan lists them: each dataset it names
 * (inputs, then outputs) with the labels asserted there; then, by operation, an access of each input
 * by the actor, a deletion of each input, or a flow for every input and output pair (a derive's with
 * the labels it strips). `timeMs` is the event's parsed eventTime.
 */
export function visitEventRows<D, A>(visitor: RowVisitor<D, A>, event: DataMovementEvent, timeMs: number): void {
  const inputs = visitRefs(visitor, event.inputs, event.eventId, timeMs);
  const outputs = visitRefs(visitor, event.outputs ?? [], event.eventId, timeMs);
  if (event.operation === 'access') {
    const actor = visitor.actor(event.actor.service, event.actor.region.toLowerCase(), event.actor.provider ?? null);
    for (const input of inputs) visitor.access(input, actor, event.eventId, timeMs);
  } else if (event.operation === 'delete') {
    for (const input of inputs) visitor.deletion(input, event.eventId, timeMs);
  } else {
    const removes = event.operation === 'derive' ? (event.removesClassifications ?? []) : [];
    for (const from of inputs) for (const to of outputs) visitor.flow(from, to, event.eventId, event.operation, timeMs, removes);
  }
}

/**
 * Collects rows into a plan, de-duplicated: datasets by namespace, then name (no key string is built
 * per reference: a batch names each dataset many times), in the order first named, the latest
 * statement of a location winning; actors by (service, region).
 */
class PlanCollector implements RowVisitor<DatasetRow, ActorRow> {
  private readonly byNamespace = new Map<string, Map<string, DatasetRow>>();
  private readonly actorsByKey = new Map<string, ActorRow>();
  readonly plan: GraphWritePlan = { datasets: [], actors: [], events: [], flows: [], accesses: [], assertions: [], deletions: [] };

  dataset(namespace: string, name: string, provider: string | null, region: string | null, timeMs: number): DatasetRow {
    let byName = this.byNamespace.get(namespace);
    if (!byName) this.byNamespace.set(namespace, (byName = new Map<string, DatasetRow>()));
    const existing = byName.get(name);
    if (!existing) {
      const row = { namespace, name, provider, region, timeMs };
      byName.set(name, row);
      this.plan.datasets.push(row);
      return row;
    }
    if (timeMs > existing.timeMs) {
      // A later statement of the location wins (the row is the plan's own: changed in place).
      existing.provider = provider;
      existing.region = region;
      existing.timeMs = timeMs;
    }
    return existing;
  }

  assertion(dataset: DatasetRow, classification: string, eventId: string, timeMs: number): void {
    this.plan.assertions.push({ eventId, namespace: dataset.namespace, name: dataset.name, classification, timeMs });
  }

  actor(service: string, region: string, provider: string | null): ActorRow {
    const actor = { service, region, provider };
    this.actorsByKey.set(`${service}\u0000${region}`, actor); // the batch's latest row of the actor wins, in the place first named
    return actor;
  }

  /** The plan, once every row is in. */
  finish(): GraphWritePlan {
    this.plan.actors = [...this.actorsByKey.values()];
    return this.plan;
  }

  access(dataset: DatasetRow, actor: ActorRow, eventId: string, timeMs: number): void {
    this.plan.accesses.push({
      eventId,
      namespace: dataset.namespace,
      name: dataset.name,
      service: actor.service,
      region: actor.region,
      timeMs,
    });
  }

  deletion(dataset: DatasetRow, eventId: string, timeMs: number): void {
    this.plan.deletions.push({ eventId, namespace: dataset.namespace, name: dataset.name, timeMs });
  }

  flow(from: DatasetRow, to: DatasetRow, eventId: string, operation: string, timeMs: number, removes: string[]): void {
    this.plan.flows.push({
      eventId,
      fromNamespace: from.namespace,
      fromName: from.name,
      toNamespace: to.namespace,
      toName: to.name,
      operation,
      timeMs,
      removes,
    });
  }
}

/** A dataset an input names without a movement (an OpenLineage run that only reads, and states no location): recorded, located if it says where. */
export interface DatasetObservation {
  ref: DatasetRef;
  eventTime: string;
}

/** Turns a batch of valid events (and datasets seen without a movement) into the rows the graph store writes. Pure. */
export function planGraphWrite(
  events: readonly DataMovementEvent[],
  observed: ReadonlyArray<DatasetObservation> = [],
  digestOf: (event: DataMovementEvent) => string | undefined = () => undefined,
): GraphWritePlan {
  const collector = new PlanCollector();
  for (const { ref, eventTime } of observed) visitDataset(collector, ref, Date.parse(eventTime));
  const eventIds = new Set<string>();
  for (const event of events) {
    if (eventIds.has(event.eventId)) continue; // a duplicate inside the batch
    eventIds.add(event.eventId);
    const timeMs = Date.parse(event.eventTime);
    collector.plan.events.push(eventRowOf(event, timeMs, digestOf(event) ?? null));
    visitEventRows(collector, event, timeMs);
  }
  return collector.finish();
}
