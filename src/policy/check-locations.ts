import { CATALOG_PROVIDERS, knownRegions } from './region-catalog.js';

/** A provider for places the catalog does not cover (your own data centres): its region codes are not checked. */
export const OWN_PROVIDER = 'onprem';

const countryNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
/** Codes Intl names that ISO 3166-1 does not assign to a country (groupings, and UK for GB). */
const NOT_COUNTRIES = new Map([
  ['EU', 'the EU is not a country: list its members'],
  ['EZ', 'not a country'],
  ['UN', 'not a country'],
  ['QO', 'not a country'],
  ['ZZ', 'not a country'],
  ['UK', 'the ISO code of the United Kingdom is GB'],
]);

/** Why a country code is not an ISO 3166-1 alpha-2 country, or undefined when it is one. */
export function countryProblem(code: string): string | undefined {
  const known = NOT_COUNTRIES.get(code);
  if (known) return `${code}: ${known}`;
  return countryNames.of(code) === undefined ? `${code} is not an ISO 3166-1 alpha-2 country code (e.g. US, DE, GB)` : undefined;
}

/** The known values most like `value`: sharing its longest prefix, at most `count`. */
function closest(value: string, known: readonly string[], count = 6): string[] {
  const shared = (a: string) => {
    let n = 0;
    while (n < a.length && n < value.length && a[n] === value[n]) n += 1;
    return n;
  };
  return [...known].sort((a, b) => shared(b) - shared(a) || a.localeCompare(b)).slice(0, count);
}

/** Why a provider is not one the catalog (or `onprem`) knows, or undefined. */
export function providerProblem(provider: string): string | undefined {
  const p = provider.toLowerCase();
  if (p === OWN_PROVIDER || CATALOG_PROVIDERS.includes(p)) return undefined;
  return `unknown provider "${provider}"; known: ${[...CATALOG_PROVIDERS].sort().join(', ')} (or ${OWN_PROVIDER} for your own data centres, whose regions are not checked)`;
}

/** Why a region code is not in the catalog (for the provider, when given), or undefined. */
export function regionProblem(region: string, provider: string | undefined): string | undefined {
  const p = provider?.toLowerCase();
  if (p === OWN_PROVIDER || (p !== undefined && !CATALOG_PROVIDERS.includes(p))) return undefined; // judged as a provider
  const known = knownRegions(p);
  if (known.includes(region.toLowerCase())) return undefined;
  return `unknown region "${region}"${p ? ` for ${p}` : ''}; the nearest known: ${closest(region.toLowerCase(), known).join(', ')}`;
}
