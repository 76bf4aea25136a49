import type { NodeRef } from '../policy/alert.js';
import { matchesPattern } from '../policy/classification-catalog.js';
import type { Waiver } from '../policy/policy-file.js';
import { waiverExpiresAt } from '../policy/waiver-dates.js';

/** What a waiver covers, for people: `service NAME`, or the namespace (and name) pattern. */
export const waiverScope = (w: Pick<Waiver, 'service' | 'namespace' | 'name'>): string =>
  w.service ? `service ${w.service}` : `${w.namespace ?? ''}${w.name ? ` ${w.name}` : ''}`;

/** Whether the waiver is about this policy's violations at this node: the dataset's namespace (and name), or the actor's service. */
export function waiverCovers(waiver: Waiver, policyId: string, node: NodeRef): boolean {
  if (waiver.policyId !== policyId) return false;
  if (node.kind === 'actor') return waiver.service === node.service;
  return (
    waiver.namespace !== undefined &&
    matchesPattern(waiver.namespace, node.namespace) &&
    (waiver.name === undefined || matchesPattern(waiver.name, node.name))
  );
}

/** The unexpired waiver covering a violation of `policyId` at `node` at `nowMs` (the one lasting longest), if any. */
export function coveringWaiver(waivers: readonly Waiver[], policyId: string, node: NodeRef, nowMs: number): Waiver | undefined {
  let best: Waiver | undefined;
  for (const w of waivers) {
    if (!waiverCovers(w, policyId, node) || waiverExpiresAt(w) <= nowMs) continue;
    if (!best || waiverExpiresAt(w) > waiverExpiresAt(best)) best = w;
  }
  return best;
}

/** When the waiver covering this alert at `nowMs` ends, if one does: what the ingest pipeline holds a waived alert until. */
export const waiverEndFor =
  (waivers: readonly Waiver[]) =>
  (alert: { policyId: string; node: NodeRef }, nowMs: number): number | undefined => {
    const waiver = coveringWaiver(waivers, alert.policyId, alert.node, nowMs);
    return waiver ? waiverExpiresAt(waiver) : undefined;
  };

/** The alert as the API shows it: marked `waived`, with the waiver, when one covers it at `nowMs` (docs/contract.md §12). */
export function withWaiver<A extends { policyId: string; node: NodeRef }>(
  alert: A,
  waivers: readonly Waiver[],
  nowMs: number,
): A | (A & { waived: true; waiver: Waiver }) {
  const waiver = coveringWaiver(waivers, alert.policyId, alert.node, nowMs);
  return waiver ? { ...alert, waived: true, waiver } : alert;
}
