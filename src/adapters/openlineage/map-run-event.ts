import { appendAll } from '../../collections/append-all.js';
import type { DatasetRef } from '../../events/dataset-ref.js';
import type { DataMovementEvent } from '../../events/data-movement-event.js';
import type { DatasetObservation } from '../../lineage/plan-graph-write.js';
import { describeAllLimitBreaches } from '../../events/event-limits.js';
import { locateNamespace } from './locate-namespace.js';
import type { OpenLineageDataset, OpenLineageRunEvent } from './openlineage-event.js';
import { FacetReader, type ColumnLineageFacet } from './read-facets.js';

export interface RunEventMapping {
  events: DataMovementEvent[];
  /** Why the run cannot be mapped within the contract's limits (then it goes to the DLQ). */
  problems: string[];
  /** Datasets the run names without a movement: inputs of a read that states no location, outputs of a run without inputs. */
  datasets: DatasetObservation[];
  /** Facets that were present but malformed, and ignored (counted, never dead-lettered). */
  warnings: string[];
}

export interface MapRunEventOptions {
  /**
   * The labels a fully masked output (every column masked, per `columnLineage`) does not carry: the
   * labels the policy knows (its policies and its classification catalog). With the labels the event's
   * own inputs assert, that is every label Borderline can alert on.
   */
  maskableLabels: readonly string[];
}

const name = (d: { namespace: string; name: string }) => `${d.namespace} ${d.name}`;

/** The contract's limits (§2): a label is at most 200 characters, so is a producer or an actor's service. */
const MAX_LABEL = 200;
const MAX_SERVICE = 200;
const MAX_EVENT_ID = 200;

/** The dataset as a native DatasetRef: its OpenLineage identity, its location (rules 1–2 of §8) and the labels its tags assert. */
function toRef(dataset: OpenLineageDataset, facets: FacetReader): DatasetRef {
  const owner = name(dataset);
  const ref: DatasetRef = { namespace: dataset.namespace, name: dataset.name };
  const stated = facets.read(dataset.facets, 'borderline_location', owner);
  const location = stated ?? locateNamespace(dataset.namespace);
  if (location?.region) ref.region = location.region;
  if (location?.provider) ref.provider = location.provider;
  const labels = (facets.read(dataset.facets, 'tags', owner)?.tags ?? [])
    .filter((t) => t.key === 'classification' && t.value.length > 0 && t.value.length <= MAX_LABEL)
    .map((t) => t.value);
  if (labels.length > 0) ref.classifications = [...new Set(labels)];
  return ref;
}

/** True when every input field of every output field is marked `masking: true` (docs/contract.md §8, declassification). */
function fullyMasked(lineage: ColumnLineageFacet | undefined): boolean {
  const fields = Object.values(lineage?.fields ?? {});
  if (fields.length === 0) return false;
  return fields.every(
    (f) =>
      f.inputFields.length > 0 &&
      f.inputFields.every((i) => (i.transformations ?? []).length > 0 && (i.transformations ?? []).every((t) => t.masking === true)),
  );
}

interface Outputs {
  /** Outputs that receive the inputs' data, grouped by the labels they strip (one derive each). */
  derived: Map<string, { removes: string[]; outputs: DatasetRef[] }>;
  deleted: DatasetRef[];
  renamed: Array<{ from: DatasetRef; to: DatasetRef }>;
}

function classifyOutputs(run: OpenLineageRunEvent, inputs: DatasetRef[], facets: FacetReader, options: MapRunEventOptions): Outputs {
  const result: Outputs = { derived: new Map(), deleted: [], renamed: [] };
  const inputLabels = inputs.flatMap((i) => i.classifications ?? []);
  for (const output of run.outputs ?? []) {
    const owner = name(output);
    const ref = toRef(output, facets);
    const lifecycle = facets.read(output.facets, 'lifecycleStateChange', owner);
    if (lifecycle?.lifecycleStateChange === 'DROP' || lifecycle?.lifecycleStateChange === 'TRUNCATE') {
      result.deleted.push(ref);
      continue;
    }
    if (lifecycle?.lifecycleStateChange === 'RENAME' && lifecycle.previousIdentifier) {
      const { namespace, name: previous } = lifecycle.previousIdentifier;
      result.renamed.push({
        from: {
          namespace,
          name: previous,
          ...(ref.region ? { region: ref.region } : {}),
          ...(ref.provider ? { provider: ref.provider } : {}),
        },
        to: ref,
      });
      continue;
    }
    const stated = facets.read(output.outputFacets, 'borderline_removes', owner) ?? facets.read(output.facets, 'borderline_removes', owner);
    const masked = fullyMasked(facets.read(output.facets, 'columnLineage', owner));
    const removes = [...new Set([...(stated?.classifications ?? []), ...(masked ? [...options.maskableLabels, ...inputLabels] : [])])]
      .filter((label) => label.length <= MAX_LABEL)
      .sort();
    const key = removes.join('\u0000');
    const group = result.derived.get(key) ?? { removes, outputs: [] };
    group.outputs.push(ref);
    result.derived.set(key, group);
  }
  return result;
}

/**
 * Maps one OpenLineage RunEvent to data-movement events (docs/contract.md §8): a derive from every input to
 * every output at `eventTime` (one per distinct set of stripped labels); DROP and TRUNCATE outputs
 * are deletes, RENAME a move from the previous identity; a run with inputs and no outputs is an
 * access by the job when the run states its location (run facet `borderline_location`). The first
 * event's id is `openlineage:<runId>:<eventType>:<eventTime>`, the others that id plus
 * `:<operation>:<n>`, so a redelivery maps to the same ids and is a no-op.
 */
export function mapRunEvent(run: OpenLineageRunEvent, options: MapRunEventOptions): RunEventMapping {
  const facets = new FacetReader();
  const base = `openlineage:${run.run.runId}:${run.eventType ?? 'OTHER'}:${run.eventTime}`;
  // A job's namespace/name can be longer than a producer may be: kept whole up to the limit.
  const common = {
    specVersion: '1.0' as const,
    eventTime: run.eventTime,
    producer: `${run.job.namespace}/${run.job.name}`.slice(0, MAX_SERVICE),
  };
  const inputs = (run.inputs ?? []).map((d) => toRef(d, facets));
  const drafts: Array<Omit<DataMovementEvent, 'eventId' | 'specVersion' | 'eventTime' | 'producer'>> = [];

  const outputs = classifyOutputs(run, inputs, facets, options);
  if (inputs.length > 0) {
    for (const { removes, outputs: targets } of outputs.derived.values()) {
      drafts.push({ operation: 'derive', inputs, outputs: targets, ...(removes.length > 0 ? { removesClassifications: removes } : {}) });
    }
  }
  for (const { from, to } of outputs.renamed) drafts.push({ operation: 'move', inputs: [from], outputs: [to] });
  for (const dataset of outputs.deleted) drafts.push({ operation: 'delete', inputs: [dataset] });
  const observed: DatasetRef[] = [];
  if (inputs.length > 0 && (run.outputs ?? []).length === 0) {
    const where = facets.read(run.run.facets, 'borderline_location', `run ${run.run.runId}`);
    // A read with no stated location records lineage only: the datasets, no access (docs/contract.md §8).
    if (where)
      drafts.push({
        operation: 'access',
        inputs,
        actor: { service: common.producer, region: where.region, ...(where.provider ? { provider: where.provider } : {}) },
      });
    else appendAll(observed, inputs);
  }
  if (inputs.length === 0) for (const { outputs: targets } of outputs.derived.values()) appendAll(observed, targets);
  const events = drafts.map(
    (draft, i) => ({ ...common, eventId: i === 0 ? base : `${base}:${draft.operation}:${i}`, ...draft }) as DataMovementEvent,
  );
  const tooLong = events.find((e) => e.eventId.length > MAX_EVENT_ID);
  const problems = tooLong
    ? [
        `read as OpenLineage RunEvent: eventTime: too long for an event id of at most ${MAX_EVENT_ID} characters (${tooLong.eventId.length})`,
      ]
    : [];
  const breaches = new Set(events.flatMap((event) => describeAllLimitBreaches(event)));
  for (const breach of breaches) problems.push(`read as OpenLineage RunEvent: ${breach}`);
  return { events, warnings: facets.warnings, problems, datasets: observed.map((ref) => ({ ref, eventTime: run.eventTime })) };
}
