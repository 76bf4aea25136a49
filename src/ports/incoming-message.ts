/** One message off the events topic, as the pipeline needs it. */
export interface IncomingMessage {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

/**
 * What the pipeline may ask of the consumer while it waits on a slow or absent database. (Group
 * membership needs nothing from it: the consumer goes on fetching, and heart-beating, while a
 * partition's write waits.)
 */
export interface BatchControl {
  /** False once the process is shutting down: stop, commit nothing. */
  isRunning(): boolean;
}
