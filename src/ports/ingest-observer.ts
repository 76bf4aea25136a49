/** What the ingest pipeline reports as it works (Prometheus metrics in production). */
export interface IngestObserver {
  consumed(count: number): void;
  written(count: number): void;
  deadLettered(count: number): void;
  batchCompleted(seconds: number): void;
  graphAvailable(available: boolean): void;
  consumerLag(topic: string, partition: number, lag: number): void;
}
