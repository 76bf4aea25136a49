import { z } from 'zod';

/** The spec's base facet: who wrote it and which schema it follows. */
const facetBase = {
  _producer: z.string().min(1).describe('URI of the producer of this facet'),
  _schemaURL: z
    .string()
    .min(1)
    .describe("URI of this facet's JSON Schema, e.g. https://borderline.dev/schemas/openlineage-borderline-location-facet.v1.json"),
};

/**
 * Dataset facet `borderline_location` (or run facet of the same name): where the dataset lives, or
 * where the job ran. docs/contract.md §8: it comes first for a dataset's location.
 */
export const BorderlineLocationFacet = z
  .looseObject({
    ...facetBase,
    provider: z.string().min(1).max(100).optional().describe('oci | aws | gcp | azure | onprem | any string'),
    region: z.string().min(1).max(100).describe('cloud region code, compared case-insensitively, e.g. eu-west-1'),
  })
  .meta({ title: 'Borderline location facet (OpenLineage custom facet `borderline_location`)' });
export type BorderlineLocationFacet = z.infer<typeof BorderlineLocationFacet>;

/** Output dataset facet `borderline_removes`: the labels this transform strips from its output. */
export const BorderlineRemovesFacet = z
  .looseObject({
    ...facetBase,
    classifications: z.array(z.string().min(1).max(200)).min(1).describe('labels this output does not carry'),
  })
  .meta({ title: 'Borderline removes facet (OpenLineage custom facet `borderline_removes`)' });
export type BorderlineRemovesFacet = z.infer<typeof BorderlineRemovesFacet>;
