import catalog from './region-catalog.json' with { type: 'json' };

const byProvider = catalog.regions as Record<string, Record<string, string>>;
const anyProvider = new Map<string, string>(Object.values(byProvider).flatMap((regions) => Object.entries(regions)));

/** The providers the built-in catalog knows. */
export const CATALOG_PROVIDERS = Object.keys(byProvider);

/**
 * The ISO 3166-1 country of a public cloud region, or undefined when the catalog cannot place it.
 * Region codes compare case-insensitively; the provider narrows the lookup when it is known.
 */
export function countryOfRegion(region: string, provider?: string | null): string | undefined {
  const code = region.toLowerCase();
  const regions = provider ? byProvider[provider.toLowerCase()] : undefined;
  return regions ? regions[code] : anyProvider.get(code);
}

/** Every region the catalog places in `country`, per provider (for `policy check` summaries). */
export function regionsInCountry(country: string): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(byProvider).map(([provider, regions]) => [provider, Object.keys(regions).filter((r) => regions[r] === country)]),
  );
}

/** The region codes the catalog knows, for one provider or for all. */
export function knownRegions(provider?: string): string[] {
  return provider ? Object.keys(byProvider[provider.toLowerCase()] ?? {}) : [...anyProvider.keys()];
}
