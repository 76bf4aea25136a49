/** What the ingest pipeline reports as it works (Prometheus metrics in production). */
export interface IngestObserver {
  consumed(count: number): void;
  written(count: number): void;
  deadLettered(count: number): void;
  batchCompleted(seconds: number): void;
  graphAvailable(available: boolean): void;
  consumerLag(topic: string, partition: number, lag: number): void;
  /** The Kafka consumer crashed and kafkajs restarts it. */
  consumerRestarted(): void;
  /** Consumption stopped for good while the process stays up (a batch that cannot be decoded). */
  consumerHalted(): void;
  /** Parts of valid messages were ignored (e.g. a malformed OpenLineage facet). */
  inputWarnings(count: number): void;
  /** Items of input messages that carry no movement were skipped (OTLP spans without lineage). */
  inputIgnored(count: number): void;
  /** The dead-letter topic refused a dead letter (it is retried, or sent shortened). */
  deadLetterPublishFailed(): void;
  /** Events were dead-lettered because their ids were already used for different content (a producer bug). */
  eventIdConflicts(count: number): void;
}
