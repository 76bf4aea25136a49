import type { DatasetRef } from './dataset-ref.js';

// What the address names (deep links; Back and Forward walk through them), as pure functions.

export type ActorRef = { service: string; region: string };
export type Place = { alert: string } | { dataset: DatasetRef } | { actor: ActorRef };

/** `#/alert/<id>`, `#/dataset/<namespace>/<name>` or `#/actor/<service>/<region>`, each part URI-encoded. */
export function hashOf(target: Place): string {
  if ('alert' in target) return `#/alert/${encodeURIComponent(target.alert)}`;
  if ('actor' in target) return `#/actor/${encodeURIComponent(target.actor.service)}/${encodeURIComponent(target.actor.region)}`;
  return `#/dataset/${encodeURIComponent(target.dataset.namespace)}/${encodeURIComponent(target.dataset.name)}`;
}

/** The place an address names, or undefined for one that names nothing (malformed, or of another kind). */
export function placeOfHash(hash: string): Place | undefined {
  const [kind, ...parts] = hash.replace(/^#\/?/, '').split('/');
  try {
    if (kind === 'alert' && parts.length === 1 && parts[0]) return { alert: decodeURIComponent(parts[0]) };
    if (kind === 'dataset' && parts.length === 2 && parts[0] && parts[1])
      return { dataset: { kind: 'dataset', namespace: decodeURIComponent(parts[0]), name: decodeURIComponent(parts[1]) } };
    if (kind === 'actor' && parts.length === 2 && parts[0] && parts[1])
      return { actor: { service: decodeURIComponent(parts[0]), region: decodeURIComponent(parts[1]) } };
  } catch {
    // a malformed address names nothing
  }
  return undefined;
}

/**
 * The as-of instant of the control's value (a datetime-local input, read as UTC), as RFC 3339; undefined
 * for now (empty) or a value that is no time (src/lineage/as-of.ts: event time).
 */
export function asOfOfInput(value: string): string | undefined {
  if (!value) return undefined;
  const at = new Date(`${value}Z`);
  return Number.isNaN(at.getTime()) ? undefined : at.toISOString();
}

/** The control's value for an address's `asOf=` (the input takes UTC without the zone); '' for none or a bad one. */
export function inputOfAsOf(linked: string | null): string {
  const at = linked ? new Date(linked) : undefined;
  return at && !Number.isNaN(at.getTime()) ? at.toISOString().slice(0, 19) : '';
}
