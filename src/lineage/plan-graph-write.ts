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
/** Region codes compare case-insensitively (CONTRACT §2); they are stored lower-case. */
const normalizeRegion = (region: string | undefined) => (region === undefined ? null : region.toLowerCase());

/**
 * Datasets by namespace, then name (no key string is built per reference: a batch names each dataset
 * many times), and the rows in the order they were first named.
 */
interface DatasetRows {
  byNamespace: Map<string, Map<string, DatasetRow>>;
  rows: DatasetRow[];
}

function addDataset(datasets: DatasetRows, ref: DatasetRef, timeMs: number): void {
  const located = ref.region !== undefined || ref.provider !== undefined;
  const rowTime = located ? timeMs : UNLOCATED_MS;
  let byName = datasets.byNamespace.get(ref.namespace);
  if (!byName) datasets.byNamespace.set(ref.namespace, (byName = new Map<string, DatasetRow>()));
  const existing = byName.get(ref.name);
  if (!existing) {
    const row = {
      namespace: ref.namespace,
      name: ref.name,
      provider: ref.provider ?? null,
      region: normalizeRegion(ref.region),
      timeMs: rowTime,
    };
    byName.set(ref.name, row);
    datasets.rows.push(row);
  } else if (rowTime > existing.timeMs) {
    // A later statement of the location wins (the row is the plan's own: changed in place).
    existing.provider = ref.provider ?? null;
    existing.region = normalizeRegion(ref.region);
    existing.timeMs = rowTime;
  }
}

/** Adds each dataset a list names, and the labels it asserts. */
function addRefs(datasets: DatasetRows, assertions: AssertionRow[], refs: readonly DatasetRef[], eventId: string, timeMs: number): void {
  for (const ref of refs) {
    addDataset(datasets, ref, timeMs);
    if (ref.classifications)
      for (const classification of ref.classifications)
        assertions.push({ eventId, namespace: ref.namespace, name: ref.name, classification, timeMs });
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
  const datasets: DatasetRows = { byNamespace: new Map(), rows: [] };
  for (const { ref, eventTime } of observed) addDataset(datasets, ref, Date.parse(eventTime));
  const actors = new Map<string, ActorRow>();
  const eventRows = new Map<string, EventRow>();
  const flows: FlowRow[] = [];
  const accesses: AccessRow[] = [];
  const assertions: AssertionRow[] = [];
  const deletions: DeletionRow[] = [];

  for (const event of events) {
    if (eventRows.has(event.eventId)) continue; // a duplicate inside the batch
    const timeMs = Date.parse(event.eventTime);
    eventRows.set(event.eventId, {
      eventId: event.eventId,
      digest: digestOf(event) ?? null,
      operation: event.operation,
      eventTime: event.eventTime,
      timeMs,
      traceId: event.trace?.traceId ?? null,
      producer: event.producer ?? null,
      actorService: event.actor?.service ?? null,
      actorRegion: normalizeRegion(event.actor?.region),
      actorProvider: event.actor?.provider ?? null,
    });
    const outputs = event.outputs ?? [];
    addRefs(datasets, assertions, event.inputs, event.eventId, timeMs);
    addRefs(datasets, assertions, outputs, event.eventId, timeMs);
    if (event.operation === 'access') {
      const actor = { service: event.actor.service, region: event.actor.region.toLowerCase(), provider: event.actor.provider ?? null };
      actors.set(`${actor.service}\u0000${actor.region}`, actor);
      for (const input of event.inputs) {
        accesses.push({
          eventId: event.eventId,
          namespace: input.namespace,
          name: input.name,
          service: actor.service,
          region: actor.region,
          timeMs,
        });
      }
    } else if (event.operation === 'delete') {
      for (const input of event.inputs) deletions.push({ eventId: event.eventId, namespace: input.namespace, name: input.name, timeMs });
    } else {
      const removes = event.operation === 'derive' ? (event.removesClassifications ?? []) : [];
      for (const input of event.inputs) {
        for (const output of outputs) {
          flows.push({
            eventId: event.eventId,
            fromNamespace: input.namespace,
            fromName: input.name,
            toNamespace: output.namespace,
            toName: output.name,
            operation: event.operation,
            timeMs,
            removes,
          });
        }
      }
    }
  }
  return {
    datasets: datasets.rows,
    actors: [...actors.values()],
    events: [...eventRows.values()],
    flows,
    accesses,
    assertions,
    deletions,
  };
}
