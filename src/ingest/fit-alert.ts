import type { Alert } from '../policy/alert.js';

/** An alert state at most this many bytes (UTF-8 JSON) goes on the alerts topic whole; the broker's default limit is 1 MiB. */
export const MAX_ALERT_BYTES = 512 * 1024;

const bytes = (alert: Alert) => Buffer.byteLength(JSON.stringify(alert));

/** The alert with its path cut to the origin and the last `hops` hops (and their events). */
function cut(alert: Alert, hops: number): Alert {
  const tail = alert.path.slice(-(hops + 1));
  // traceIds stay whole: they are not tied to hops, and are small (32 characters each).
  return { ...alert, path: [alert.path[0]!, ...tail], eventIds: alert.eventIds.slice(-hops), pathTruncated: true };
}

/**
 * The alert as it can be published (issue 16, finding 1): whole when it fits `maxBytes`, else with
 * its witness path cut — the origin, then as many of the last hops as fit — and `pathTruncated`. An
 * alert that does not fit even with one hop (enormous names) keeps the origin and the node only.
 */
export function fitAlert(alert: Alert, maxBytes = MAX_ALERT_BYTES): Alert {
  if (bytes(alert) <= maxBytes || alert.path.length <= 2) return alert;
  let [low, high] = [1, alert.path.length - 2]; // hops kept after the origin
  if (bytes(cut(alert, low)) > maxBytes) return cut(alert, 1);
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (bytes(cut(alert, mid)) <= maxBytes) low = mid;
    else high = mid - 1;
  }
  return cut(alert, low);
}

/** The alert as the alerts topic's message value: serialised once when it fits, cut (`fitAlert`) when it does not. */
export function alertMessageValue(alert: Alert, maxBytes = MAX_ALERT_BYTES): Buffer {
  const whole = Buffer.from(JSON.stringify(alert));
  return whole.length <= maxBytes ? whole : Buffer.from(JSON.stringify(fitAlert(alert, maxBytes)));
}
