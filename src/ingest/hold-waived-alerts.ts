import { appendAll } from '../collections/append-all.js';
import type { Logger } from '../observability/create-logger.js';
import type { Alert } from '../policy/alert.js';
import type { GraphStore, OutboxClaimant, PendingAlert } from '../ports/graph-store.js';

/**
 * A waived alert is held at most this long before its waiver is judged again: a waiver removed from
 * the policy file (and the tracker restarted) releases it within this time.
 */
export const WAIVER_RECHECK_MS = 10 * 60_000;

/** When an unexpired waiver covers this open alert at `nowMs` (docs/api.md, "Waivers and triage"), when it expires; undefined: publish. */
export type WaivedUntil = (alert: Alert, nowMs: number) => number | undefined;

/** Runs one outbox step, retried as the caller decides. */
export type RunStep = (what: string, action: () => Promise<unknown>) => Promise<unknown>;

export interface WaiverHoldContext {
  graph: Pick<GraphStore, 'holdAlerts' | 'markAlertsPublished'>;
  claimant: OutboxClaimant;
  logger: Logger;
  waivedUntil: WaivedUntil;
  nowMs: number;
  run: RunStep;
}

/**
 * Holds back the alerts a waiver covers now: their claim lasts until the waiver expires (or
 * WAIVER_RECHECK_MS). An alert that a waiver held and that was remediated before it expired never
 * stood as a violation outside its waiver: neither state is published. Returns the alerts to publish,
 * and adds to `stillPending` the settled alerts that got a state meanwhile.
 */
export async function holdWaivedAlerts(
  claimed: readonly PendingAlert[],
  context: WaiverHoldContext,
  stillPending: string[],
): Promise<PendingAlert[]> {
  const { graph, claimant, logger, waivedUntil, nowMs, run } = context;
  const holds: Array<{ alertId: string; untilMs: number }> = [];
  const settled: PendingAlert[] = [];
  const due: PendingAlert[] = [];
  for (const p of claimed) {
    const open = p.messages.find((m) => m.status === 'open');
    const until = open ? waivedUntil(open, nowMs) : undefined;
    if (until !== undefined) holds.push({ alertId: p.alertId, untilMs: Math.min(until, nowMs + WAIVER_RECHECK_MS) });
    else if (p.heldByWaiver && open && p.messages.some((m) => m.status === 'remediated')) settled.push(p);
    else due.push(p);
  }
  if (holds.length > 0) {
    await run('alert waiver hold', () => graph.holdAlerts(claimant, holds));
    logger.info({ alertIds: holds.map((h) => h.alertId) }, 'alerts recorded, not published: a waiver covers them');
  }
  if (settled.length > 0) {
    await run('alert outbox update', async () => {
      appendAll(stillPending, await graph.markAlertsPublished(claimant, settled.map(publishedStatuses)));
    });
    logger.info({ alertIds: settled.map((p) => p.alertId) }, 'waived alerts remediated before their waiver ended: not published');
  }
  return due;
}

/** The states of a pending alert, as the outbox marks them published. */
export const publishedStatuses = (p: PendingAlert) => ({ alertId: p.alertId, statuses: p.messages.map((m) => m.status) });
