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
    this.queue.push(...alerts);
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

  private async deliver(alert: Alert): Promise<void> {
    let delay = this.settings.initialDelayMs;
    for (let attempt = 1; attempt <= this.settings.maxAttempts; attempt += 1) {
      let problem: string;
      try {
        const response = await fetch(this.settings.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(this.settings.authorization ? { authorization: this.settings.authorization } : {}),
          },
          body: JSON.stringify(alert),
          signal: AbortSignal.timeout(this.settings.timeoutMs),
        });
        if (response.ok) return;
        problem = `HTTP ${response.status}`;
        if (!retriable(response.status)) {
          this.logger.error({ alertId: alert.alertId, status: alert.status, problem }, 'webhook refused the alert; not retrying');
          return;
        }
      } catch (error) {
        problem = (error as Error).message;
      }
      this.logger.warn({ alertId: alert.alertId, attempt, retryInMs: delay, problem }, 'webhook delivery failed');
      if (attempt < this.settings.maxAttempts) await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 60_000);
    }
    this.logger.error(
      { alertId: alert.alertId, status: alert.status, attempts: this.settings.maxAttempts },
      'webhook delivery gave up; the alert is on the alerts topic',
    );
  }
}
