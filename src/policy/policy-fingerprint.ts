import { createHash } from 'node:crypto';
import type { PolicyFile } from './policy-file.js';

/**
 * The fingerprint of a policy file as loaded (docs/policy-changes.md): SHA-256 of its parsed
 * content, defaults filled in, so that a comment, a key's order or a default written out does not
 * count as a change, and any change of meaning does. The graph records the fingerprint it was last
 * judged under (docs/contract.md §13).
 */
export function policyFingerprint(file: PolicyFile): string {
  return createHash('sha256').update(canonicalJson(file)).digest('hex');
}

/** JSON with object keys sorted at every level: the same content always gives the same text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
