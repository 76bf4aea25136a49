import { randomUUID } from 'node:crypto';
import { appendAll } from '../collections/append-all.js';
import type { Logger } from '../observability/create-logger.js';
import type { AlertNotifier } from '../ports/alert-notifier.js';
import type { GraphStore, OutboxClaimant, PendingAlert } from '../ports/graph-store.js';
import type { BatchControl } from '../ports/incoming-message.js';
import type { MessagePublisher } from '../ports/message-publisher.js';
import { alertMessageValue } from './fit-alert.js';
import { holdWaivedAlerts, publishedStatuses, type RunStep, type WaivedUntil } from './hold-waived-alerts.js';
import { retryWhileRunning, type RetryTiming } from './retry-while-running.js';

/** The outbox's half of the graph store: claims, leases, holds and marks. */
export type OutboxStore = Pick<GraphStore, 'claimPendingAlerts' | 'renewClaims' | 'holdAlerts' | 'markAlertsPublished'>;

export interface AlertOutboxOptions {
  graph: OutboxStore;
  publisher: MessagePublisher;
  alertsTopic: string;
  logger: Logger;
  retry: RetryTiming;
  /** Told of every state published (the webhook). */
  notifier?: AlertNotifier;
  /** Largest alert state published whole (default MAX_ALERT_BYTES); a larger one has its witness path cut (`pathTruncated`). */
  maxAlertBytes?: number;
  /** How often a publish in flight renews its claim on the alerts (default 10 s; the lease is 30 s). */
  claimRenewMs?: number;
  /** Waivers (docs/api.md, "Waivers and triage"): the alerts they cover are recorded but held back. */
  waivedUntil?: WaivedUntil;
  /** The time waivers are judged at (tests); Date.now by default. */
  now?: () => number;
}

/** How many times in a row a publish takes up the states others recorded while it held their claim. */
const MAX_FOLLOW_UP_ROUNDS = 3;
/** Alerts claimed (and published) per round of the sweep. */
const CLAIM_ROUND = 1_000;

/**
 * The second half of the alert outbox (docs/graph-model.md): a graph write records alert states and
 * claims them for this process in its transaction; the outbox publishes them keyed by alertId, then
 * marks them published. Each step is retried on its own, so a mark that fails does not send the
 * states again. The sweep publishes states whose writer could not (it crashed, or someone else held
 * the claim), one sweep at a time.
 */
export class AlertOutbox {
  /** Who this process is when it claims alerts: its alerts topic's outbox. */
  readonly claimant: OutboxClaimant;
  private shuttingDown = false;
  private readonly untilShutdown: BatchControl = { isRunning: () => !this.shuttingDown };
  private sweepTimer: NodeJS.Timeout | undefined;
  private sweeping = false;

  constructor(private readonly options: AlertOutboxOptions) {
    this.claimant = { id: `${process.pid}-${randomUUID()}`, outbox: options.alertsTopic };
  }

  /** The process is stopping: publishes still retrying give up (their states stay in the outbox); the sweep stops. */
  shutdown(): void {
    this.shuttingDown = true;
    this.stopSweep();
  }

  /**
   * Publishes what a write claimed, retrying until it is done or the process stops — even when the
   * batch is abandoned meanwhile: a send kafkajs still has in flight could land later, and a sweep
   * sending the same states again would publish them twice.
   */
  async publishWritten(claimed: readonly PendingAlert[]): Promise<number> {
    return this.publishClaimed(claimed, (what, action) =>
      retryWhileRunning(what, this.untilShutdown, action, { timing: this.options.retry, logger: this.options.logger }),
    );
  }

  /** The sweep: publishes the unpublished states of these alerts (all pending ones when no ids are given). */
  async publishPending(alertIds?: string[]): Promise<number> {
    let published = 0;
    // Again until nothing is left: a backlog comes in rounds of CLAIM_ROUND alerts, and a state
    // recorded while a claim was held is published in the next round. Rounds are bounded so that
    // one sweep never runs on an endless stream of new states; the next sweep takes the rest.
    for (let round = 0; round < 1_000; round += 1) {
      const pending = await this.options.graph.claimPendingAlerts(this.claimant, alertIds, CLAIM_ROUND);
      if (pending.length === 0) break;
      published += await this.publishClaimed(pending, (_what, action) => action());
    }
    return published;
  }

  /** Sweeps every `everyMs`; a sweep still waiting on the brokers is not joined by another that would send the same states. */
  startSweep(everyMs: number): void {
    this.stopSweep();
    this.sweepTimer = setInterval(() => {
      if (this.sweeping) return;
      this.sweeping = true;
      this.publishPending()
        .catch((error: unknown) => this.options.logger.warn({ err: (error as Error).message }, 'alert outbox sweep failed'))
        .finally(() => {
          this.sweeping = false;
        });
    }, everyMs);
  }

  stopSweep(): void {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
  }

  private async publishClaimed(claimed: readonly PendingAlert[], run: RunStep, round = 0): Promise<number> {
    const { graph, logger, waivedUntil } = this.options;
    const stillPending: string[] = [];
    const nowMs = (this.options.now ?? Date.now)();
    const pending = waivedUntil
      ? await holdWaivedAlerts(claimed, { graph, claimant: this.claimant, logger, waivedUntil, nowMs, run }, stillPending)
      : claimed;
    const messages = pending.flatMap((p) =>
      p.messages.map((alert) => ({ key: alert.alertId, value: alertMessageValue(alert, this.options.maxAlertBytes), headers: {} })),
    );
    if (messages.length > 0) {
      await this.sendRenewingClaims(
        pending.map((p) => p.alertId),
        () => run('alert publish', () => this.options.publisher.send(this.options.alertsTopic, messages)),
      );
      await run('alert outbox update', async () => {
        appendAll(stillPending, await graph.markAlertsPublished(this.claimant, pending.map(publishedStatuses)));
      });
      this.options.notifier?.notify(pending.flatMap((p) => p.messages));
      for (const p of pending)
        for (const alert of p.messages)
          logger.warn(
            { alertId: alert.alertId, status: alert.status, policyId: alert.policyId, node: alert.node, path: alert.path.length },
            'alert published',
          );
    }
    // States another batch recorded while this claim was held (it could not claim them, and left them
    // to the holder): published now rather than at the next sweep. Each alert has at most two states,
    // so this ends; the bound only guards against a store that keeps answering the same ids.
    if (stillPending.length === 0 || round >= MAX_FOLLOW_UP_ROUNDS) return messages.length;
    let next: PendingAlert[] = [];
    await run('alert outbox claim', async () => {
      next = await graph.claimPendingAlerts(this.claimant, stillPending);
    });
    return messages.length + (next.length > 0 ? await this.publishClaimed(next, run, round + 1) : 0);
  }

  /**
   * The claim lasts a lease; a publish still in flight (the brokers away, retried) renews it, so that
   * no sweep takes these states meanwhile and sends them a second time.
   */
  private async sendRenewingClaims(alertIds: string[], send: () => Promise<unknown>): Promise<void> {
    const renewing = setInterval(() => {
      this.options.graph
        .renewClaims(this.claimant, alertIds)
        .catch((error: unknown) => this.options.logger.warn({ err: (error as Error).message }, 'alert claim renewal failed'));
    }, this.options.claimRenewMs ?? 10_000).unref();
    try {
      await send();
    } finally {
      clearInterval(renewing);
    }
  }
}
