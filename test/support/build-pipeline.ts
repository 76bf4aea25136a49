import { CountingIngestObserver } from '../../src/adapters/memory/counting-ingest-observer.js';
import { InMemoryMessagePublisher } from '../../src/adapters/memory/in-memory-message-publisher.js';
import { AlertOutbox, type AlertOutboxOptions } from '../../src/ingest/alert-outbox.js';
import { IngestPipeline, type IngestPipelineOptions } from '../../src/ingest/ingest-pipeline.js';
import { createLogger } from '../../src/observability/create-logger.js';
import type { GraphStore } from '../../src/ports/graph-store.js';
import type { MessagePublisher } from '../../src/ports/message-publisher.js';

/** What a test may set; everything else has a quiet default (in-memory publishers, fast retries). */
export interface PipelineParts {
  graph: GraphStore;
  deadLetters?: MessagePublisher;
  alerts?: MessagePublisher;
  pipeline?: Partial<Omit<IngestPipelineOptions, 'graph' | 'outbox' | 'deadLetters'>>;
  outbox?: Partial<Omit<AlertOutboxOptions, 'graph' | 'publisher'>>;
}

/** An ingest pipeline and its alert outbox wired as the composition root wires them. */
export function buildPipeline(parts: PipelineParts) {
  const logger = parts.pipeline?.logger ?? parts.outbox?.logger ?? createLogger('silent');
  const retry = parts.pipeline?.retry ?? parts.outbox?.retry ?? { initialMs: 1, maxMs: 5 };
  const deadLetters = parts.deadLetters ?? new InMemoryMessagePublisher();
  const alerts = parts.alerts ?? new InMemoryMessagePublisher();
  const outbox = new AlertOutbox({ graph: parts.graph, publisher: alerts, alertsTopic: 'alerts', logger, retry, ...parts.outbox });
  const pipeline = new IngestPipeline({
    graph: parts.graph,
    outbox,
    deadLetters,
    deadLetterTopic: 'dlq',
    observer: new CountingIngestObserver(),
    logger,
    maxEventBytes: 1_048_576,
    retry,
    ...parts.pipeline,
  });
  return { pipeline, outbox, deadLetters, alerts };
}
