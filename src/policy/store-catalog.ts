import type { StoreLocation } from './policy-file.js';

export interface Location {
  provider: string | null;
  region: string | null;
}

/** Finds where a namespace lives from the policy's `stores`: an exact entry wins, then the longest prefix. */
export function createStoreCatalog(stores: readonly StoreLocation[]): (namespace: string) => Location | undefined {
  const exact = new Map(stores.filter((s) => !s.namespace.endsWith('*')).map((s) => [s.namespace, s]));
  const prefixes = stores.filter((s) => s.namespace.endsWith('*')).sort((a, b) => b.namespace.length - a.namespace.length);
  return (namespace) => {
    const entry = exact.get(namespace) ?? prefixes.find((s) => namespace.startsWith(s.namespace.slice(0, -1)));
    return entry ? { provider: entry.provider ?? null, region: entry.region.toLowerCase() } : undefined;
  };
}
