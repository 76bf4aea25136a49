import { z } from 'zod';
import { describeIssues } from '../../events/describe-issues.js';
import { BorderlineLocationFacet, BorderlineRemovesFacet } from './borderline-facets.js';

/** Standard facets, as much of each as Borderline reads (https://openlineage.io/docs/spec/facets/). */
const TagsFacet = z.looseObject({ tags: z.array(z.looseObject({ key: z.string(), value: z.string() })) });

const ColumnLineageFacet = z.looseObject({
  fields: z.record(
    z.string(),
    z.looseObject({
      inputFields: z.array(
        z.looseObject({
          namespace: z.string(),
          name: z.string(),
          field: z.string(),
          transformations: z.array(z.looseObject({ masking: z.boolean().optional() })).optional(),
        }),
      ),
    }),
  ),
});
export type ColumnLineageFacet = z.infer<typeof ColumnLineageFacet>;

const LIFECYCLE_STATES = ['ALTER', 'CREATE', 'DROP', 'OVERWRITE', 'RENAME', 'TRUNCATE'] as const;
const LifecycleStateChangeFacet = z.looseObject({
  lifecycleStateChange: z.enum(LIFECYCLE_STATES),
  previousIdentifier: z.looseObject({ namespace: z.string().min(1), name: z.string().min(1) }).optional(),
});

/** The facets Borderline reads, by the key they have in a facets object. */
export const KNOWN_FACETS = {
  tags: TagsFacet,
  columnLineage: ColumnLineageFacet,
  lifecycleStateChange: LifecycleStateChangeFacet,
  borderline_location: BorderlineLocationFacet,
  borderline_removes: BorderlineRemovesFacet,
} as const;
type KnownFacets = typeof KNOWN_FACETS;
export type FacetName = keyof KnownFacets;

/**
 * Reads facets by name, tolerating what real producers send: an unknown facet is never looked at; a
 * known one that does not match its schema (e.g. `dataSource.uri: "bigquery"`-style surprises) is
 * ignored with a warning, never a rejection (docs/contract.md §8).
 */
export class FacetReader {
  readonly warnings: string[] = [];

  read<N extends FacetName>(facets: Record<string, unknown> | undefined, name: N, owner: string): z.infer<KnownFacets[N]> | undefined {
    const raw = facets?.[name];
    if (raw === undefined || raw === null) return undefined;
    if (typeof raw === 'object' && (raw as { _deleted?: unknown })._deleted === true) return undefined;
    const parsed = KNOWN_FACETS[name].safeParse(raw);
    if (parsed.success) return parsed.data as z.infer<KnownFacets[N]>;
    this.warnings.push(`${owner}: facet ${name} ignored (${describeIssues(parsed.error)[0] ?? 'malformed'})`);
    return undefined;
  }
}
