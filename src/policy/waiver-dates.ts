import { MAX_WAIVER_DAYS, type Waiver } from './policy-file.js';

const DAY_MS = 86_400_000;

/** When a waiver stops covering (docs/contract.md §12): the end of its `until` day (UTC) for a date, else that instant. */
export function waiverExpiresAt(waiver: Pick<Waiver, 'until'>): number {
  return /^\d{4}-\d\d-\d\d$/.test(waiver.until) ? Date.parse(`${waiver.until}T00:00:00Z`) + DAY_MS : Date.parse(waiver.until);
}

/**
 * What is wrong with the waivers' dates at `nowMs`: an expiry in the past (`policy check` rejects it;
 * a running tracker ignores it) or more than MAX_WAIVER_DAYS ahead (always rejected).
 */
export function waiverDateProblems(waivers: readonly Waiver[], nowMs: number): Array<{ index: number; expired: boolean; message: string }> {
  const problems: Array<{ index: number; expired: boolean; message: string }> = [];
  waivers.forEach((w, index) => {
    const expires = waiverExpiresAt(w);
    if (expires <= nowMs)
      problems.push({ index, expired: true, message: `expired: ${w.until} is in the past (remove the waiver, or renew it after review)` });
    else if (expires - nowMs > MAX_WAIVER_DAYS * DAY_MS)
      problems.push({
        index,
        expired: false,
        message: `too far ahead: ${w.until} is more than ${MAX_WAIVER_DAYS} days from now (${new Date(nowMs).toISOString().slice(0, 10)}); a waiver is reviewed at least yearly`,
      });
  });
  return problems;
}
