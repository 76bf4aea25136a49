import type { Policy } from './policy-file.js';
import { countryOfRegion } from './region-catalog.js';
import type { Location } from './store-catalog.js';

export type LocationVerdict = { allowed: true } | { allowed: false; reason: 'unapproved-location' | 'unknown-location' };

const same = (a: string | null | undefined, b: string | null | undefined) => a != null && b != null && a.toLowerCase() === b.toLowerCase();

/**
 * Whether a policy allows data at a location (docs/contract.md §4). Fails closed: an unknown region, or a
 * region the catalog cannot place when the only entries that could allow it name countries, is
 * `unknown-location`; any other location no entry allows is `unapproved-location`.
 */
export function evaluateLocation(policy: Policy, location: Location): LocationVerdict {
  if (!location.region) return { allowed: false, reason: 'unknown-location' };
  let unplaceable = false;
  for (const entry of policy.allowed) {
    if (entry.provider !== undefined && !same(entry.provider, location.provider)) continue;
    if (entry.regions !== undefined && !entry.regions.some((r) => same(r, location.region))) continue;
    if (entry.countries !== undefined) {
      const country = countryOfRegion(location.region, location.provider);
      if (country === undefined) {
        unplaceable = true;
        continue;
      }
      if (!entry.countries.includes(country)) continue;
    }
    return { allowed: true };
  }
  return { allowed: false, reason: unplaceable ? 'unknown-location' : 'unapproved-location' };
}
