import pRetry from 'p-retry';
import { BorderlineError } from './borderline-error.js';

/** How to retry: exponential backoff from `initialMs`, doubling up to `maxMs`. */
export interface RetryOptions {
  initialMs: number;
  maxMs: number;
  /** Most attempts in all (default: no limit). */
  attempts?: number;
  /** Abandons the retries (the wait in progress too): rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Told of each failure that will be retried, with the attempt that failed and the wait before the next. */
  onRetry?: (error: BorderlineError, attempt: number, retryInMs: number) => void;
}

/**
 * Runs `action` until it succeeds, retrying what is worth retrying: a BorderlineError marked
 * `retriable` (STYLE.md: one error base, the flag read in one place). Anything else rejects at once,
 * as does the last attempt's failure. The one backoff loop of the tracker (p-retry underneath).
 */
export function retryRetriable<T>(action: () => Promise<T>, options: RetryOptions): Promise<T> {
  const delay = (attempt: number) => Math.min(options.initialMs * 2 ** (attempt - 1), options.maxMs);
  return pRetry(action, {
    retries: options.attempts === undefined ? Infinity : options.attempts - 1,
    factor: 2,
    minTimeout: options.initialMs,
    maxTimeout: options.maxMs,
    ...(options.signal ? { signal: options.signal } : {}),
    shouldRetry: ({ error }) => error instanceof BorderlineError && error.retriable,
    onFailedAttempt: ({ error, attemptNumber, retriesLeft }) => {
      if (error instanceof BorderlineError && error.retriable && retriesLeft > 0)
        options.onRetry?.(error, attemptNumber, delay(attemptNumber));
    },
  });
}
