import { BorderlineError } from '../errors/borderline-error.js';
import { retryRetriable } from '../errors/retry-retriable.js';
import type { Logger } from '../observability/create-logger.js';
import type { BatchControl } from '../ports/incoming-message.js';

/** Raised when a batch is abandoned because the process is stopping: nothing of it may be committed. */
export class IngestAbortedError extends BorderlineError {}

/** The backoff of the ingest path's retries: from `initialMs`, doubling up to `maxMs`. */
export interface RetryTiming {
  initialMs: number;
  maxMs: number;
}

export interface RetryWhileRunningOptions {
  timing: RetryTiming;
  logger: Logger;
  /** Told false at each retried failure and true once the action succeeds (e.g. the graph's availability). */
  reportAvailable?: (up: boolean) => void;
}

/**
 * Runs `action` until it succeeds; retriable failures wait with exponential backoff for as long as it
 * takes (an outage pauses, it never drops), abandoned with IngestAbortedError once `control` says the
 * process is stopping. `what` names the action in the log.
 */
export async function retryWhileRunning(
  what: string,
  control: BatchControl,
  action: () => Promise<unknown>,
  options: RetryWhileRunningOptions,
): Promise<void> {
  const abandoned = new AbortController();
  const abandon = () => abandoned.abort(new IngestAbortedError(`${what} abandoned: the consumer is stopping`));
  if (!control.isRunning()) abandon();
  const watch = setInterval(() => control.isRunning() || abandon(), 250).unref();
  try {
    await retryRetriable(action, {
      ...options.timing,
      signal: abandoned.signal,
      onRetry: (error, attempt, retryInMs) => {
        options.reportAvailable?.(false);
        options.logger.warn({ attempt, retryInMs, err: error.message }, `${what} failed; consumption paused, retrying`);
      },
    });
    options.reportAvailable?.(true);
  } finally {
    clearInterval(watch);
  }
}
