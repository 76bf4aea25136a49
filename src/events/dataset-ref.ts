import { z } from 'zod';
import { EVENT_LIMITS } from './event-limits.js';

/** A protected or descriptive label, e.g. `us-user-data`. */
export const Classification = z
  .string()
  .min(1, 'a classification must not be empty')
  .max(200, 'a classification is at most 200 characters');

/**
 * A dataset inside a store, in the OpenLineage sense: identified by `(namespace, name)`; its
 * location is `(provider, region)` when the event knows it.
 */
export const DatasetRef = z.strictObject({
  namespace: z.string().min(1, 'namespace must not be empty').max(1000),
  name: z.string().min(1, 'name must not be empty').max(1000),
  region: z.string().min(1).max(100).optional(),
  provider: z.string().min(1).max(100).optional(),
  classifications: z
    .array(Classification)
    .max(EVENT_LIMITS.classifications, `a dataset asserts at most ${EVENT_LIMITS.classifications} classifications`)
    .optional(),
});
export type DatasetRef = z.infer<typeof DatasetRef>;

/** Who performed a movement: a service, and where it ran. */
export const Actor = z.strictObject({
  service: z.string().min(1, 'actor.service must not be empty').max(200),
  region: z.string().min(1).max(100).optional(),
  provider: z.string().min(1).max(100).optional(),
});
export type Actor = z.infer<typeof Actor>;
