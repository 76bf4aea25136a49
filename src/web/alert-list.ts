import { alertFacts, compareAlertsNewestFirst, matchesAlertFilterButStatus, type AlertFilter } from '../alerts/alert-filter.js';
import type { AlertsResponse, ApiAlert } from '../api/api-schemas.js';

// The alert list's state and how it changes, as pure functions (the Elm architecture's update): the
// page keeps one AlertList and draws it; the unit tests run these without a browser.

/** One page of the server's filtered list (never the whole list: 25,000 alerts would not fit a DOM). */
export const PAGE_SIZE = 50;

/** The page of alerts shown, with the true total and the counts by status of the server's answer. */
export interface AlertList {
  listed: readonly ApiAlert[];
  total: number;
  offset: number;
  counts: { open: number; remediated: number };
}

export const EMPTY_LIST: AlertList = { listed: [], total: 0, offset: 0, counts: { open: 0, remediated: 0 } };

/** The list as the server answered it. */
export const listOfAnswer = (answer: AlertsResponse): AlertList => ({
  listed: answer.alerts,
  total: answer.total,
  offset: answer.offset,
  counts: answer.counts,
});

/** The filter as query parameters of `GET /api/v1/alerts` (empty fields left out). */
export const filterParams = (f: AlertFilter): Record<string, string> =>
  Object.fromEntries(Object.entries(f).filter(([, v]) => typeof v === 'string' && v !== ''));

/** What applying states of the live stream needs to know besides the list. */
export interface LiveContext {
  /** The filter the list shows (the server's own rule, src/alerts/alert-filter.ts). */
  filter: AlertFilter;
  /** What the page knows of an alert: a state from the stream carries no triage or waiver, the known ones stay. */
  known: (alertId: string) => ApiAlert | undefined;
  /** Whether `alertId/status` was applied before: a redelivered state is not counted twice. */
  applied: (key: string) => boolean;
}

/** The list after a chunk of live states, and what the page must do besides drawing it. */
export interface LiveOutcome {
  list: AlertList;
  /** The `alertId/status` keys applied now (the page remembers them). */
  appliedKeys: string[];
  /** Every alert a state was applied to, as it now is. */
  updated: ApiAlert[];
  /** Alerts that fell off the first page. */
  dropped: string[];
  /** The newest alert applied (drawn as fresh); undefined when the chunk changed nothing. */
  fresh: string | undefined;
}

/**
 * Applies a chunk of states from the live stream without asking the server: the counts move by what
 * changed, an alert the list shows is replaced (or leaves it when its new status is filtered out),
 * and the first page takes the new alerts the filter matches, newest first, at most PAGE_SIZE.
 * States come after the page loaded: a remediation ends an alert that was open then (or opened since).
 */
export function applyLiveStates(list: AlertList, states: readonly ApiAlert[], context: LiveContext): LiveOutcome {
  const listed = [...list.listed];
  const counts = { ...list.counts };
  let total = list.total;
  const appliedKeys: string[] = [];
  const updated = new Map<string, ApiAlert>();
  const appliedNow = new Set<string>();
  let inserted = false;
  let fresh: string | undefined;
  for (const state of states) {
    const known = updated.get(state.alertId) ?? context.known(state.alertId) ?? listed.find((a) => a.alertId === state.alertId);
    const alert: ApiAlert = {
      ...state,
      ...(known?.triage ? { triage: known.triage } : {}),
      ...(known?.waived ? { waived: known.waived } : {}),
      ...(known?.waiver ? { waiver: known.waiver } : {}),
    };
    const key = `${alert.alertId}/${alert.status}`;
    if (appliedNow.has(key) || context.applied(key)) continue;
    appliedNow.add(key);
    appliedKeys.push(key);
    updated.set(alert.alertId, alert);
    fresh = alert.alertId;
    if (!matchesAlertFilterButStatus(alert, alertFacts(alert), context.filter)) continue;
    if (alert.status === 'remediated') counts.open = Math.max(0, counts.open - 1);
    counts[alert.status] += 1;
    const at = listed.findIndex((a) => a.alertId === alert.alertId);
    const shows = context.filter.status === undefined || context.filter.status === alert.status;
    if (at >= 0) {
      if (shows) listed[at] = alert;
      else {
        listed.splice(at, 1);
        total -= 1;
      }
    } else if (shows) {
      total += 1;
      if (list.offset === 0) {
        listed.push(alert);
        inserted = true;
      }
    }
  }
  if (inserted) listed.sort(compareAlertsNewestFirst);
  const dropped = inserted ? listed.splice(PAGE_SIZE).map((a) => a.alertId) : [];
  return { list: { listed, total, offset: list.offset, counts }, appliedKeys, updated: [...updated.values()], dropped, fresh };
}

/** "1–50 of 1,234" (or "0 alerts") for the list's header. */
export function rangeText(list: AlertList): string {
  if (list.total === 0) return '0 alerts';
  return `${(list.offset + 1).toLocaleString('en')}–${(list.offset + list.listed.length).toLocaleString('en')} of ${list.total.toLocaleString('en')}`;
}
