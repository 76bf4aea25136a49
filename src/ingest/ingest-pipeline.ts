import { appendAll } from '../collections/append-all.js';
import { randomUUID } from 'node:crypto';
import { BorderlineError } from '../errors/borderline-error.js';
import type { DataMovementEvent } from '../events/data-movement-event.js';
import type { Logger } from '../observability/create-logger.js';
import type { Alert } from '../policy/alert.js';
import type { AlertNotifier } from '../ports/alert-notifier.js';
import type { GraphStore, OutboxClaimant, PendingAlert } from '../ports/graph-store.js';
import type { EventDecoder } from '../ports/event-decoder.js';
import type { IngestObserver } from '../ports/ingest-observer.js';
import type { MessagePublisher, OutgoingMessage } from '../ports/message-publisher.js';
import { deadLetter } from './dead-letter.js';
import { sendDeadLetters } from './send-dead-letters.js';
import type { BatchControl, IncomingMessage } from '../ports/incoming-message.js';
import { NativeEventDecoder } from './native-event-decoder.js';
import { retryRetriable } from '../errors/retry-retriable.js';
import { alertMessageValue } from './fit-alert.js';
import { eventDigest } from '../events/event-digest.js';
import { conflictReason, EventIdConflictError } from '../lineage/event-id-conflict.js';
import { planGraphWrite, type DatasetObservation } from '../lineage/plan-graph-write.js';
import { withTraceFromHeaders } from './trace-from-headers.js';

export interface IngestPipelineOptions {
  deadLetterTopic: string;
  alertsTopic: string;
  maxEventBytes: number;
  retryInitialMs: number;
  retryMaxMs: number;
  /** How each input topic's messages are read; a topic not named here carries native events (CONTRACT §2). */
  decoders?: ReadonlyMap<string, EventDecoder>;
  /**
   * Most events per graph transaction (BORDERLINE_EVENTS_PER_WRITE). The consumer hands over messages;
   * a message may carry many events (an OTLP record is a whole exported batch of spans), so a batch's
   * events are written in transactions of at most this many, all before the batch counts as written.
   */
  maxEventsPerWrite?: number;
  /** Applied to every decoded event before it is written (the policy's classification catalog, CONTRACT §10). */
  enrich?: (event: DataMovementEvent) => DataMovementEvent;
  /** Largest alert state published whole (default MAX_ALERT_BYTES); a larger one has its witness path cut (`pathTruncated`). */
  maxAlertBytes?: number;
  /** How often a publish in flight renews its claim on the alerts (default 10 s; the lease is 30 s). */
  claimRenewMs?: number;
  /**
   * When an unexpired waiver covers this open alert at `nowMs` (CONTRACT §12), when it expires: the
   * alert is recorded but not published until then. Undefined: publish.
   */
  waivedUntil?: (alert: Alert, nowMs: number) => number | undefined;
  /** The time waivers are judged at (tests); Date.now by default. */
  now?: () => number;
}

/**
 * A waived alert is held at most this long before its waiver is judged again: a waiver removed from
 * the policy file (and the tracker restarted) releases it within this time.
 */
export const WAIVER_RECHECK_MS = 10 * 60_000;

/** Raised when a batch is abandoned because the process is stopping: nothing of it may be committed. */
export class IngestAbortedError extends BorderlineError {}

interface Valid {
  message: IncomingMessage;
  event: DataMovementEvent;
  /** The event's content as decoded, before enrichment (`eventDigest`): what a redelivery repeats. */
  digest: string;
}

/** Dead-letters a message once, however many of its events were refused (an OpenLineage run carries several). */
function rejectOnce(rejected: OutgoingMessage[], message: IncomingMessage, reason: string): void {
  const already = rejected.some(
    (r) =>
      r.headers['x-dlq-source-offset'] === message.offset &&
      r.headers['x-dlq-source-topic'] === message.topic &&
      r.headers['x-dlq-source-partition'] === String(message.partition),
  );
  if (!already) rejected.push(deadLetter(message, reason));
}

/** How many times in a row a publish takes up the states others recorded while it held their claim. */
const MAX_FOLLOW_UP_ROUNDS = 3;
/** Alerts claimed (and published) per round of the outbox. */
const CLAIM_ROUND = 1_000;

/**
 * Turns a batch of raw messages into graph writes. Invalid messages go to the dead-letter topic;
 * valid events are written in one transaction. When the graph or the broker is away it retries
 * with backoff for as long as it takes (the partition's queue fills meanwhile and the consumer pauses
 * it), so that the caller commits offsets only after everything is durably somewhere.
 */
export class IngestPipeline {
  /** Who this pipeline is when it claims alerts in the outbox: its alerts topic's. */
  private readonly claimant: OutboxClaimant;
  private readonly nativeDecoder: EventDecoder;

  constructor(
    private readonly graph: GraphStore,
    private readonly deadLetters: MessagePublisher,
    private readonly alerts: MessagePublisher,
    private readonly observer: IngestObserver,
    private readonly logger: Logger,
    private readonly options: IngestPipelineOptions,
    private readonly notifier?: AlertNotifier,
  ) {
    this.claimant = { id: `${process.pid}-${randomUUID()}`, outbox: options.alertsTopic };
    this.nativeDecoder = new NativeEventDecoder(options.maxEventBytes);
  }

  private shuttingDown = false;
  private readonly untilShutdown: BatchControl = { isRunning: () => !this.shuttingDown };

  /** The process is shutting down: retries of alert publishes still in flight give up (their states stay in the outbox). */
  shutdown(): void {
    this.shuttingDown = true;
  }

  async process(messages: readonly IncomingMessage[], control: BatchControl): Promise<void> {
    const started = performance.now();
    this.observer.consumed(messages.length);
    const valid: Valid[] = [];
    const rejected: OutgoingMessage[] = [];
    const warnings: string[] = [];
    let ignored = 0;
    const observed: DatasetObservation[] = [];
    const enrich = this.options.enrich ?? ((event: DataMovementEvent) => event);
    // A second version of an event id in one batch: the first stands (CONTRACT §2).
    const firstDigest = new Map<string, string>();
    let conflicts = 0;
    for (const message of messages) {
      const decoded = (this.options.decoders?.get(message.topic) ?? this.nativeDecoder).decode(message);
      if (!decoded.ok) {
        rejected.push(deadLetter(message, decoded.problems.join('; ')));
        continue;
      }
      for (const event of decoded.events) {
        const digest = eventDigest(event);
        const first = firstDigest.get(event.eventId);
        if (first !== undefined && first !== digest) {
          conflicts += 1;
          rejectOnce(rejected, message, conflictReason(event.eventId));
          continue;
        }
        firstDigest.set(event.eventId, digest);
        valid.push({ message, event: enrich(withTraceFromHeaders(event, message.headers)), digest });
      }
      appendAll(warnings, decoded.warnings ?? []);
      if (decoded.rejected?.length) rejected.push(deadLetter(message, decoded.rejected.join('; ')));
      appendAll(observed, decoded.datasets ?? []);
      ignored += decoded.ignored ?? 0;
    }
    if (ignored > 0) this.observer.inputIgnored(ignored);
    if (conflicts > 0) this.observer.eventIdConflicts(conflicts);
    if (warnings.length > 0) {
      this.observer.inputWarnings(warnings.length);
      this.logger.warn({ count: warnings.length, first: warnings[0] }, 'ignored malformed parts of valid messages');
    }
    const claimed: PendingAlert[] = [];
    const perWrite = this.options.maxEventsPerWrite ?? Number.POSITIVE_INFINITY;
    for (let i = 0; i < valid.length; i += perWrite) await this.writeOrIsolate(valid.slice(i, i + perWrite), rejected, claimed, control);
    if (observed.length > 0) await this.recordDatasets(observed, claimed, control);
    // The states this write claimed are published even when the batch is abandoned meanwhile (the
    // consumer crashed or rebalanced with the brokers away): a send kafkajs still has in flight could
    // land later, and a sweep sending the same states again would publish them twice. Only a shutdown stops it.
    if (claimed.length > 0) await this.publishClaimed(claimed, (what, action) => this.retrying(what, this.untilShutdown, action));
    if (rejected.length > 0) {
      await sendDeadLetters(
        rejected,
        (batch) => this.retrying('dead-letter publish', control, () => this.deadLetters.send(this.options.deadLetterTopic, batch)),
        this.observer,
        this.logger,
      );
      this.observer.deadLettered(rejected.length);
      this.logger.warn({ count: rejected.length, firstReason: rejected[0]?.headers['x-dlq-reason'] }, 'dead-lettered invalid events');
    }
    this.observer.batchCompleted((performance.now() - started) / 1000);
  }

  /** Records datasets seen without a movement (their identity, and location when stated); a refusal for good is logged, not dead-lettered: nothing moved. */
  private async recordDatasets(observed: DatasetObservation[], claimed: PendingAlert[], control: BatchControl): Promise<void> {
    try {
      await this.retrying('graph write', control, async () => {
        appendAll(claimed, (await this.graph.write(planGraphWrite([], observed), this.claimant)).claimed);
      });
    } catch (error) {
      if (error instanceof IngestAbortedError) throw error;
      this.logger.error(
        { count: observed.length, err: (error as Error).message },
        'the graph refused datasets seen without a movement; they are not recorded',
      );
    }
  }

  /**
   * Writes the events; if the database refuses them for a reason retrying cannot fix, halves the
   * batch until the event at fault is alone, and dead-letters that one with the database's reason.
   */
  private async writeOrIsolate(valid: Valid[], rejected: OutgoingMessage[], claimed: PendingAlert[], control: BatchControl): Promise<void> {
    if (valid.length === 0) return;
    try {
      const reportGraph = (up: boolean) => this.observer.graphAvailable(up);
      await this.retrying(
        'graph write',
        control,
        async () => {
          const digests = new Map(valid.map((v) => [v.event, v.digest]));
          const outcome = await this.graph.write(
            planGraphWrite(
              valid.map((v) => v.event),
              [],
              (e) => digests.get(e),
            ),
            this.claimant,
          );
          appendAll(claimed, outcome.claimed);
        },
        reportGraph,
      );
      this.observer.written(valid.length);
    } catch (error) {
      if (error instanceof IngestAbortedError) throw error;
      if (error instanceof EventIdConflictError) {
        const ids = new Set(error.eventIds);
        for (const v of valid.filter((v) => ids.has(v.event.eventId))) rejectOnce(rejected, v.message, conflictReason(v.event.eventId));
        this.observer.eventIdConflicts(ids.size);
        this.logger.error(
          { eventIds: [...ids].slice(0, 10), count: ids.size },
          'event ids already used for different events; dead-lettered, the first versions stand',
        );
        await this.writeOrIsolate(
          valid.filter((v) => !ids.has(v.event.eventId)),
          rejected,
          claimed,
          control,
        );
        return;
      }
      if (valid.length === 1) {
        rejectOnce(rejected, valid[0]!.message, `graph write refused: ${(error as Error).message}`);
        return;
      }
      const half = Math.ceil(valid.length / 2);
      await this.writeOrIsolate(valid.slice(0, half), rejected, claimed, control);
      await this.writeOrIsolate(valid.slice(half), rejected, claimed, control);
    }
  }

  /**
   * Publishes the unpublished states of these alerts (all pending ones when no ids are given): the
   * outbox sweep, for states whose writer could not publish them (it crashed, or someone else held
   * the claim). A write publishes what it recorded itself, without this.
   */
  async publishAlerts(alertIds?: string[]): Promise<number> {
    let published = 0;
    // Again until nothing is left: a backlog comes in rounds of CLAIM_ROUND alerts, and a state
    // recorded while a claim was held is published in the next round. Rounds are bounded so that
    // one sweep never runs on an endless stream of new states; the next sweep takes the rest.
    for (let round = 0; round < 1_000; round += 1) {
      const pending = await this.graph.claimPendingAlerts(this.claimant, alertIds, CLAIM_ROUND);
      if (pending.length === 0) break;
      published += await this.publishClaimed(pending, (_what, action) => action());
    }
    return published;
  }

  /**
   * Publishes claimed states keyed by alertId, then marks them published: the outbox's second half.
   * Each step is retried on its own, so a mark that fails does not send the states again; a crash
   * between the broker's acknowledgement and the mark publishes them once more after restart.
   */
  private async publishClaimed(
    claimed: readonly PendingAlert[],
    run: (what: string, action: () => Promise<unknown>) => Promise<unknown>,
    round = 0,
  ): Promise<number> {
    const stillPending: string[] = [];
    const pending = await this.applyWaivers(claimed, run, stillPending);
    const messages = pending.flatMap((p) =>
      p.messages.map((alert) => ({
        key: alert.alertId,
        value: alertMessageValue(alert, this.options.maxAlertBytes),
        headers: {},
      })),
    );
    if (messages.length > 0) {
      // The claim lasts a lease; a publish still in flight (the brokers away, retried) renews it, so that
      // no sweep takes these states meanwhile and sends them a second time.
      const ids = pending.map((p) => p.alertId);
      const renewing = setInterval(() => {
        this.graph
          .renewClaims(this.claimant, ids)
          .catch((error: unknown) => this.logger.warn({ err: (error as Error).message }, 'alert claim renewal failed'));
      }, this.options.claimRenewMs ?? 10_000).unref();
      try {
        await run('alert publish', () => this.alerts.send(this.options.alertsTopic, messages));
      } finally {
        clearInterval(renewing);
      }
      await run('alert outbox update', async () => {
        appendAll(
          stillPending,
          await this.graph.markAlertsPublished(
            this.claimant,
            pending.map((p) => ({ alertId: p.alertId, statuses: p.messages.map((m) => m.status) })),
          ),
        );
      });
      this.notifier?.notify(pending.flatMap((p) => p.messages));
      for (const p of pending)
        for (const alert of p.messages)
          this.logger.warn(
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
      next = await this.graph.claimPendingAlerts(this.claimant, stillPending);
    });
    return messages.length + (next.length > 0 ? await this.publishClaimed(next, run, round + 1) : 0);
  }

  /**
   * Holds back the alerts a waiver covers now (CONTRACT §12): their claim lasts until the waiver
   * expires (or WAIVER_RECHECK_MS). An alert that a waiver held and that was remediated before it
   * expired never stood as a violation outside its waiver: neither state is published. Returns the rest
   * (and adds to `stillPending` the settled alerts that got a state meanwhile).
   */
  private async applyWaivers(
    claimed: readonly PendingAlert[],
    run: (what: string, action: () => Promise<unknown>) => Promise<unknown>,
    stillPending: string[],
  ): Promise<PendingAlert[]> {
    const waivedUntil = this.options.waivedUntil;
    if (!waivedUntil) return [...claimed];
    const now = (this.options.now ?? Date.now)();
    const holds: Array<{ alertId: string; untilMs: number }> = [];
    const settled: PendingAlert[] = [];
    const due: PendingAlert[] = [];
    for (const p of claimed) {
      const open = p.messages.find((m) => m.status === 'open');
      const until = open ? waivedUntil(open, now) : undefined;
      if (until !== undefined) holds.push({ alertId: p.alertId, untilMs: Math.min(until, now + WAIVER_RECHECK_MS) });
      else if (p.heldByWaiver && open && p.messages.some((m) => m.status === 'remediated')) settled.push(p);
      else due.push(p);
    }
    if (holds.length > 0) {
      await run('alert waiver hold', () => this.graph.holdAlerts(this.claimant, holds));
      this.logger.info({ alertIds: holds.map((h) => h.alertId) }, 'alerts recorded, not published: a waiver covers them');
    }
    if (settled.length > 0) {
      await run('alert outbox update', async () => {
        appendAll(
          stillPending,
          await this.graph.markAlertsPublished(
            this.claimant,
            settled.map((p) => ({ alertId: p.alertId, statuses: p.messages.map((m) => m.status) })),
          ),
        );
      });
      this.logger.info({ alertIds: settled.map((p) => p.alertId) }, 'waived alerts remediated before their waiver ended: not published');
    }
    return due;
  }

  /** Runs `action` until it succeeds; retriable failures wait with exponential backoff, abandoned when the batch is. */
  private async retrying(
    what: string,
    control: BatchControl,
    action: () => Promise<unknown>,
    reportAvailable?: (up: boolean) => void,
  ): Promise<void> {
    const abandoned = new AbortController();
    const abandon = () => abandoned.abort(new IngestAbortedError(`${what} abandoned: the consumer is stopping`));
    if (!control.isRunning()) abandon();
    const watch = setInterval(() => control.isRunning() || abandon(), 250).unref();
    try {
      await retryRetriable(action, {
        initialMs: this.options.retryInitialMs,
        maxMs: this.options.retryMaxMs,
        signal: abandoned.signal,
        onRetry: (error, attempt, retryInMs) => {
          reportAvailable?.(false);
          this.logger.warn({ attempt, retryInMs, err: error.message }, `${what} failed; consumption paused, retrying`);
        },
      });
      reportAvailable?.(true);
    } finally {
      clearInterval(watch);
    }
  }
}
