import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { IngestObserver } from '../ports/ingest-observer.js';
import type { ReevaluationProgress } from '../ports/policy-reevaluation.js';

/** The tracker's Prometheus metrics (served at GET /metrics). */
export class PrometheusMetrics implements IngestObserver {
  readonly registry = new Registry();
  private readonly consumedTotal = new Counter({
    name: 'borderline_events_consumed_total',
    help: 'Messages read from the events topic',
    registers: [this.registry],
  });
  private readonly writtenTotal = new Counter({
    name: 'borderline_events_written_total',
    help: 'Valid events written to the graph',
    registers: [this.registry],
  });
  private readonly deadLetteredTotal = new Counter({
    name: 'borderline_events_dead_lettered_total',
    help: 'Messages sent to the dead-letter topic',
    registers: [this.registry],
  });
  private readonly eventIdConflictsTotal = new Counter({
    name: 'borderline_event_id_conflicts_total',
    help: 'Events dead-lettered because their eventId was already used for a different event (the first version stands)',
    registers: [this.registry],
  });
  private readonly batchSeconds = new Histogram({
    name: 'borderline_ingest_batch_seconds',
    help: 'Time to validate and write one batch, retries included',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  private readonly graphUp = new Gauge({
    name: 'borderline_graph_available',
    help: '1 when the last graph write or check succeeded',
    registers: [this.registry],
  });
  private readonly restarts = new Counter({
    name: 'borderline_consumer_restarts_total',
    help: 'Times the Kafka consumer crashed and was restarted',
    registers: [this.registry],
  });
  private readonly halted = new Gauge({
    name: 'borderline_consumer_halted',
    help: '1 when consumption stopped for good (a record batch that cannot be decoded; see the log)',
    registers: [this.registry],
  });
  private readonly dlqFailures = new Counter({
    name: 'borderline_dead_letter_publish_failures_total',
    help: 'Dead-letter sends the broker refused (retried, or sent shortened)',
    registers: [this.registry],
  });
  private readonly inputWarningsTotal = new Counter({
    name: 'borderline_input_warnings_total',
    help: 'Malformed parts of valid messages that were ignored (e.g. an OpenLineage facet that does not match its schema)',
    registers: [this.registry],
  });
  private readonly inputIgnoredTotal = new Counter({
    name: 'borderline_input_items_ignored_total',
    help: 'Items of input messages that carry no movement and were skipped (OTLP spans without lineage attributes)',
    registers: [this.registry],
  });
  private readonly lag = new Gauge({
    name: 'borderline_consumer_lag',
    help: 'Messages of the partition not yet written: the log end minus the group committed offset, read from the broker',
    labelNames: ['topic', 'partition'],
    registers: [this.registry],
  });

  private readonly reevaluating = new Gauge({
    name: 'borderline_policy_reevaluation_running',
    help: '1 while the graph is re-evaluated under a changed policy (docs/policy-changes.md); nothing is consumed meanwhile',
    registers: [this.registry],
  });
  private readonly reevaluated = new Gauge({
    name: 'borderline_policy_reevaluation_done',
    help: 'Progress of the running re-evaluation: holdings dropped, seeds propagated, holdings judged or open alerts checked, by phase',
    labelNames: ['phase'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'borderline_' });
    this.graphUp.set(0);
    this.halted.set(0);
  }

  consumed(count: number): void {
    this.consumedTotal.inc(count);
  }
  written(count: number): void {
    this.writtenTotal.inc(count);
  }
  deadLettered(count: number): void {
    this.deadLetteredTotal.inc(count);
  }

  eventIdConflicts(count: number): void {
    this.eventIdConflictsTotal.inc(count);
  }
  batchCompleted(seconds: number): void {
    this.batchSeconds.observe(seconds);
  }
  graphAvailable(available: boolean): void {
    this.graphUp.set(available ? 1 : 0);
  }
  consumerLag(topic: string, partition: number, lag: number): void {
    this.lag.set({ topic, partition: String(partition) }, lag);
  }
  consumerRestarted(): void {
    this.restarts.inc();
  }
  consumerHalted(): void {
    this.halted.set(1);
  }
  deadLetterPublishFailed(): void {
    this.dlqFailures.inc();
  }
  inputWarnings(count: number): void {
    this.inputWarningsTotal.inc(count);
  }
  reevaluationProgress(progress: ReevaluationProgress | undefined): void {
    this.reevaluating.set(progress ? 1 : 0);
    if (progress) this.reevaluated.set({ phase: progress.phase }, progress.done);
  }
  inputIgnored(count: number): void {
    this.inputIgnoredTotal.inc(count);
  }
}
