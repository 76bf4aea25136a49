import type { IngestObserver } from '../../ports/ingest-observer.js';

/** Counts what the pipeline and consumer report: the observer unit tests use (Prometheus in production). */
export class CountingIngestObserver implements IngestObserver {
  readonly counts = {
    consumed: 0,
    written: 0,
    deadLettered: 0,
    batches: 0,
    graphDown: 0,
    restarts: 0,
    halted: 0,
    deadLetterFailures: 0,
    inputWarnings: 0,
    inputIgnored: 0,
    eventIdConflicts: 0,
  };
  readonly lag = new Map<string, number>();

  consumed(count: number): void {
    this.counts.consumed += count;
  }
  written(count: number): void {
    this.counts.written += count;
  }
  deadLettered(count: number): void {
    this.counts.deadLettered += count;
  }
  batchCompleted(): void {
    this.counts.batches += 1;
  }
  graphAvailable(available: boolean): void {
    if (!available) this.counts.graphDown += 1;
  }
  consumerLag(topic: string, partition: number, lag: number): void {
    this.lag.set(`${topic}/${partition}`, lag);
  }
  consumerRestarted(): void {
    this.counts.restarts += 1;
  }
  consumerHalted(): void {
    this.counts.halted += 1;
  }
  deadLetterPublishFailed(): void {
    this.counts.deadLetterFailures += 1;
  }
  inputWarnings(count: number): void {
    this.counts.inputWarnings += count;
  }
  inputIgnored(count: number): void {
    this.counts.inputIgnored += count;
  }
  eventIdConflicts(count: number): void {
    this.counts.eventIdConflicts += count;
  }
}
