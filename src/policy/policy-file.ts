import { z } from 'zod';
import { countryProblem, providerProblem, regionProblem } from './check-locations.js';

const code = z.string().min(1).max(100);

/** One allowed location: every key given must match (provider, region list, country list). */
export const AllowedLocation = z
  .strictObject({
    provider: code.optional(),
    regions: z.array(code).min(1, 'list at least one region, or leave regions out').optional(),
    countries: z
      .array(z.string().regex(/^[A-Z]{2}$/, 'expected an ISO 3166-1 alpha-2 country code such as US or DE'))
      .min(1, 'list at least one country, or leave countries out')
      .optional(),
  })
  .refine((entry) => entry.provider !== undefined || entry.regions !== undefined || entry.countries !== undefined, {
    message: 'an allowed entry needs provider, regions or countries (an empty entry would allow everything)',
  });
export type AllowedLocation = z.infer<typeof AllowedLocation>;

export const Severity = z.enum(['critical', 'high', 'medium', 'low']);
export type Severity = z.infer<typeof Severity>;

/** A residency policy: where data carrying these labels may be. */
export const Policy = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'expected letters, digits, ".", "_" or "-", at most 100'),
  classifications: z.array(z.string().min(1)).min(1, 'a policy protects at least one classification'),
  severity: Severity,
  allowed: z.array(AllowedLocation).min(1, 'a policy allows at least one location (to forbid everything, allow a location nothing is in)'),
  description: z.string().optional(),
});
export type Policy = z.infer<typeof Policy>;

/** Where a store (namespace) lives when events do not say: exact, or a prefix ending in `*`. */
export const StoreLocation = z.strictObject({
  namespace: z
    .string()
    .min(1)
    .refine((ns) => !ns.slice(0, -1).includes('*'), 'only a trailing * is allowed'),
  provider: code.optional(),
  region: code,
});
export type StoreLocation = z.infer<typeof StoreLocation>;

const pattern = (what: string) =>
  z
    .string()
    .min(1)
    .refine((value) => !value.slice(0, -1).includes('*'), `only a trailing * is allowed in ${what}`);

/**
 * A classification catalog entry (docs/contract.md §10): datasets whose namespace (and name, when given)
 * match hold these labels from their first appearance. Exact, or a prefix ending in `*`.
 */
export const ClassifyEntry = z.strictObject({
  namespace: pattern('namespace'),
  name: pattern('name').optional(),
  classifications: z.array(z.string().min(1).max(200)).min(1, 'an entry assigns at least one classification'),
});
export type ClassifyEntry = z.infer<typeof ClassifyEntry>;

/** How far ahead a waiver may run (docs/contract.md §12): reviewed at least once a year. */
export const MAX_WAIVER_DAYS = 366;

/**
 * An accepted exception (docs/contract.md §12): violations of one policy at these datasets (namespace, and
 * name when given; exact or a prefix ending in `*`) or by this actor service are recorded and shown,
 * not published, until the waiver expires. `until` is a date (the waiver holds through that day, UTC)
 * or an RFC 3339 instant.
 */
export const Waiver = z
  .strictObject({
    policyId: z.string().min(1),
    namespace: pattern('namespace').optional(),
    name: pattern('name').optional(),
    service: z.string().min(1).optional(),
    justification: z.string().trim().min(1, 'a waiver needs a justification (why the exception is accepted)'),
    approvedBy: z.string().trim().min(1, 'a waiver needs an approver'),
    until: z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
      error: 'expected a date (2027-01-31) or an RFC 3339 instant (2027-01-31T12:00:00Z)',
    }),
  })
  .refine((w) => (w.namespace === undefined) !== (w.service === undefined), {
    message: 'a waiver names either namespace (datasets, with an optional name) or service (an actor), not both',
  })
  .refine((w) => w.name === undefined || w.namespace !== undefined, {
    message: 'name narrows a namespace: give namespace too',
    path: ['name'],
  });
export type Waiver = z.infer<typeof Waiver>;

/** The policy file (docs/contract.md §4, §10, §12). */
export const PolicyFile = z
  .strictObject({
    policies: z.array(Policy).min(1, 'the file needs at least one policy'),
    stores: z.array(StoreLocation).default([]),
    classify: z.array(ClassifyEntry).default([]),
    clockSkewToleranceMs: z.number().int().min(0).max(3_600_000).default(1000),
    waivers: z.array(Waiver).default([]),
  })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.policies.forEach((policy, i) => {
      if (seen.has(policy.id)) ctx.addIssue({ code: 'custom', path: ['policies', i, 'id'], message: `duplicate policy id "${policy.id}"` });
      seen.add(policy.id);
      // Typos in a policy are silent holes (a misspelt region allows nothing, a misspelt country
      // fails closed everywhere): every code must be one the region catalog knows.
      policy.allowed.forEach((entry, j) => {
        const at = ['policies', i, 'allowed', j];
        const providerIssue = entry.provider === undefined ? undefined : providerProblem(entry.provider);
        if (providerIssue) ctx.addIssue({ code: 'custom', path: [...at, 'provider'], message: providerIssue });
        entry.regions?.forEach((region, k) => {
          const problem = regionProblem(region, entry.provider);
          if (problem) ctx.addIssue({ code: 'custom', path: [...at, 'regions', k], message: problem });
        });
        entry.countries?.forEach((country, k) => {
          const problem = /^[A-Z]{2}$/.test(country) ? countryProblem(country) : undefined;
          if (problem) ctx.addIssue({ code: 'custom', path: [...at, 'countries', k], message: problem });
        });
      });
    });
    file.waivers.forEach((waiver, i) => {
      if (!seen.has(waiver.policyId)) {
        ctx.addIssue({
          code: 'custom',
          path: ['waivers', i, 'policyId'],
          message: `no policy "${waiver.policyId}" in this file; known: ${[...seen].join(', ')}`,
        });
      }
    });
    file.stores.forEach((store, i) => {
      const providerIssue = store.provider === undefined ? undefined : providerProblem(store.provider);
      if (providerIssue) ctx.addIssue({ code: 'custom', path: ['stores', i, 'provider'], message: providerIssue });
      const regionIssue = regionProblem(store.region, store.provider);
      if (regionIssue) ctx.addIssue({ code: 'custom', path: ['stores', i, 'region'], message: regionIssue });
    });
  })
  .meta({
    title: 'Borderline policy file',
    description:
      'Residency policies, the store catalog, the classification catalog, the clock-skew tolerance and waivers (Borderline contract v1.1).',
  });
export type PolicyFile = z.infer<typeof PolicyFile>;
