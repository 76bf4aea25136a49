import type { Alert } from '../policy/alert.js';

/** Somewhere alerts are also pushed after they are published (a webhook); best effort, in order. */
export interface AlertNotifier {
  notify(alerts: readonly Alert[]): void;
  /** Waits for what is queued, at most `timeoutMs`. */
  close(timeoutMs: number): Promise<void>;
}
