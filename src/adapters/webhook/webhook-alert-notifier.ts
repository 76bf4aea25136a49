import { appendAll } from '../../collections/append-all.js';
import { BorderlineError } from '../../errors/borderline-error.js';
import { retryRetriable } from '../../errors/retry-retriable.js';
import type { Logger } from '../../observability/create-logger.js';
import type { Alert } from '../../policy/alert.js';
import type { AlertNotifier } from '../../ports/alert-notifier.js';

export interface WebhookSettings {
  url: string;
  /** Sent as the Authorization header (e.g. `Bearer …`); never logged. */
  authorization?: string | undefined;
  maxAttempts: number;
  initialDelayMs: number;
  timeoutMs: number;
}

/** A status worth trying again: the receiver is down, overloaded, or asked us to slow down. */
const retriable = (status: number) => status >= 500 || status === 408 || status === 429;

/**
 * POSTs each alert as JSON to a webhook (Slack- or PagerDuty-style receivers), one at a time in
 * publication order, retrying failures with exponential backoff. The alerts topic remains the
 * guaranteed channel: an alert the webhook still refuses after `maxAttempts` is logged and dropped
 * from this queue, and a queue not yet delivered at shutdown is lost with the process.
 */
export class WebhookAlertNotifier implements AlertNotifier {
  private queue: Alert[] = [];
  private draining: Promise<void> | undefined;

  constructor(
    private readonly settings: WebhookSettings,
    private readonly logger: Logger,
  ) {}

  notify(alerts: readonly Alert[]): void {
    appendAll(this.queue, alerts);
    this.draining ??= this.drain().finally(() => {
      this.draining = undefined;
    });
  }

  async close(timeoutMs: number): Promise<void> {
    if (!this.draining) return;
    await Promise.race([this.draining, new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
  }

  private async drain(): Promise<void> {
    for (let alert = this.queue.shift(); alert; alert = this.queue.shift()) await this.deliver(alert);
  }

  private async post(alert: Alert): Promise<void> {
    let response: Response;
    try {
      response = await fetch(this.settings.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(this.settings.authorization ? { authorization: this.settings.authorization } : {}),
        },
        body: JSON.stringify(alert),
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
    } catch (error) {
      throw new BorderlineError((error as Error).message, { cause: error, retriable: true });
    }
    if (!response.ok) throw new BorderlineError(`HTTP ${response.status}`, { retriable: retriable(response.status) });
  }

  private async deliver(alert: Alert): Promise<void> {
    try {
      await retryRetriable(() => this.post(alert), {
        initialMs: this.settings.initialDelayMs,
        maxMs: 60_000,
        attempts: this.settings.maxAttempts,
        onRetry: (error, attempt, retryInMs) =>
          this.logger.warn({ alertId: alert.alertId, attempt, retryInMs, problem: error.message }, 'webhook delivery failed'),
      });
    } catch (error) {
      const problem = (error as Error).message;
      if (error instanceof BorderlineError && !error.retriable) {
        this.logger.error({ alertId: alert.alertId, status: alert.status, problem }, 'webhook refused the alert; not retrying');
      } else {
        this.logger.error(
          { alertId: alert.alertId, status: alert.status, attempts: this.settings.maxAttempts, problem },
          'webhook delivery gave up; the alert is on the alerts topic',
        );
      }
    }
  }
}
