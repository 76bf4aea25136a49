import { describeIssues } from '../../events/describe-issues.js';
import { parseJsonBytes } from '../../events/parse-data-movement-event.js';
import type { IncomingMessage } from '../../ports/incoming-message.js';
import type { DecodedMessage, EventDecoder } from '../../ports/event-decoder.js';
import { mapRunEvent, type MapRunEventOptions } from './map-run-event.js';
import { OpenLineageDatasetEvent, OpenLineageJobEvent, OpenLineageRunEvent, openLineageKind } from './openlineage-event.js';

const KINDS = {
  run: ['RunEvent', OpenLineageRunEvent],
  dataset: ['DatasetEvent', OpenLineageDatasetEvent],
  job: ['JobEvent', OpenLineageJobEvent],
} as const;

/**
 * Reads one decoded JSON value as an OpenLineage event (docs/contract.md §8) and maps it. Problems name the
 * field and say the value was read as OpenLineage, so a DLQ reader knows which contract it broke.
 */
export function decodeOpenLineageValue(value: unknown, options: MapRunEventOptions): DecodedMessage {
  const kind = openLineageKind(value);
  if (!kind)
    return {
      ok: false,
      problems: ['read as OpenLineage: (event): not a RunEvent, DatasetEvent or JobEvent (it has no run, dataset or job)'],
    };
  const [label, schema] = KINDS[kind];
  const parsed = schema.safeParse(value);
  if (!parsed.success) return { ok: false, problems: describeIssues(parsed.error).map((p) => `read as OpenLineage ${label}: ${p}`) };
  if (kind !== 'run') return { ok: true, events: [] }; // metadata only: no movement
  // The mapping builds valid events by construction (the OpenLineage schema bounds what it copies;
  // test/adapters/openlineage checks every mapped fixture against DataMovementEvent), so they are not
  // parsed a second time on this hot path.
  const mapping = mapRunEvent(parsed.data as OpenLineageRunEvent, options);
  if (mapping.problems.length > 0) return { ok: false, problems: mapping.problems };
  return {
    ok: true,
    events: mapping.events,
    warnings: mapping.warnings,
    ...(mapping.datasets.length > 0 ? { datasets: mapping.datasets } : {}),
  };
}

/** The OpenLineage topic's decoder: one OpenLineage event per message, UTF-8 JSON, key ignored (the OpenLineage Kafka transport). */
export class OpenLineageDecoder implements EventDecoder {
  constructor(
    private readonly maxEventBytes: number,
    private readonly options: MapRunEventOptions,
  ) {}

  decode(message: IncomingMessage): DecodedMessage {
    const json = parseJsonBytes(message.value, this.maxEventBytes);
    return json.ok
      ? decodeOpenLineageValue(json.value, this.options)
      : { ok: false, problems: json.problems.map((p) => `read as OpenLineage: ${p}`) };
  }
}
