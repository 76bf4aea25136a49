/**
 * Whether a delete at `deletedMs` remediates an alert whose data reached the dataset at `sinceMs`
 * (docs/contract.md §3, §5): the delete removes what was there by then. Actors are never remediated.
 */
export const remediates = (deletedMs: number, sinceMs: number): boolean => deletedMs >= sinceMs;

/** The earliest of these deletes that remediates data arrived at `sinceMs`, or null. */
export function remediatingDelete(deletesMs: Iterable<number>, sinceMs: number): number | null {
  let at: number | null = null;
  for (const d of deletesMs) if (remediates(d, sinceMs) && (at === null || d < at)) at = d;
  return at;
}
