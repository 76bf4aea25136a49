import type { StoreLocation } from './policy-file.js';

export interface Location {
  provider: string | null;
  region: string | null;
}

/** How many namespaces a store catalog remembers the answer for (an estate has hundreds; past this, the rest are looked up each time). */
const MAX_REMEMBERED_NAMESPACES = 10_000;

/**
 * Finds where a namespace lives from the policy's `stores`: an exact entry wins, then the longest
 * prefix. Every holding of an unlocated dataset asks, so each namespace's answer is remembered (the
 * location returned is shared and frozen).
 */
export function createStoreCatalog(stores: readonly StoreLocation[]): (namespace: string) => Location | undefined {
  const exact = new Map(stores.filter((s) => !s.namespace.endsWith('*')).map((s) => [s.namespace, s]));
  const prefixes = stores
    .filter((s) => s.namespace.endsWith('*'))
    .map((entry) => ({ prefix: entry.namespace.slice(0, -1), entry }))
    .sort((a, b) => b.prefix.length - a.prefix.length);
  const answers = new Map<string, Location | undefined>();
  return (namespace) => {
    if (answers.has(namespace)) return answers.get(namespace);
    const entry = exact.get(namespace) ?? prefixes.find((p) => namespace.startsWith(p.prefix))?.entry;
    const where = entry ? Object.freeze({ provider: entry.provider ?? null, region: entry.region.toLowerCase() }) : undefined;
    if (answers.size < MAX_REMEMBERED_NAMESPACES) answers.set(namespace, where);
    return where;
  };
}
