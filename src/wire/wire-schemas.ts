import { z } from 'zod';
import { BorderlineLocationFacet, BorderlineRemovesFacet } from '../adapters/openlineage/borderline-facets.js';
import { DataMovementEvent } from '../events/data-movement-event.js';
import { Alert } from '../policy/alert.js';
import { PolicyFile } from '../policy/policy-file.js';
import {
  AlertsResponse,
  ErrorResponse,
  LineageAnswer,
  NodeDetail,
  PathsAnswer,
  PoliciesResponse,
  PolicyApplyResponse,
  PolicyStatusResponse,
  ReevaluationResponse,
  Report,
  ResidencyPlacesAnswer,
  ResidencyAnswer,
  SearchResponse,
} from '../api/api-schemas.js';

/** Every wire format, with the file its JSON Schema is generated into (under schemas/). */
export const wireSchemas: ReadonlyArray<{ file: string; schema: z.ZodType }> = [
  { file: 'data-movement-event.v1.json', schema: DataMovementEvent },
  { file: 'policy.v1.json', schema: PolicyFile },
  { file: 'alert.v1.json', schema: Alert },
  { file: 'api.v1.json', schema: ApiResponses() },
  // OpenLineage custom facets (docs/contract.md §8): producers put these URLs in the facets' _schemaURL.
  { file: 'openlineage-borderline-location-facet.v1.json', schema: BorderlineLocationFacet },
  { file: 'openlineage-borderline-removes-facet.v1.json', schema: BorderlineRemovesFacet },
];

/** The answers of the query API (docs/contract.md §6), one property per endpoint, in one schema file. */
function ApiResponses(): z.ZodType {
  return z
    .strictObject({
      'GET /api/v1/alerts': AlertsResponse,
      'GET /api/v1/lineage': LineageAnswer,
      'GET /api/v1/residency': ResidencyAnswer,
      'GET /api/v1/residency/places': ResidencyPlacesAnswer,
      'GET /api/v1/paths': PathsAnswer,
      'GET /api/v1/nodes/{dataset|actor}': NodeDetail,
      'GET /api/v1/report': Report,
      'GET /api/v1/datasets': SearchResponse,
      'GET /api/v1/policies': PoliciesResponse,
      'GET /api/v1/policy': PolicyStatusResponse,
      'POST /api/v1/policy/preview': ReevaluationResponse,
      'POST /api/v1/policy/apply': PolicyApplyResponse,
      'any 4xx or 5xx': ErrorResponse,
    })
    .partial()
    .meta({
      title: 'Borderline API v1 responses',
      description: 'The JSON body of each /api/v1 endpoint, keyed by endpoint (docs/api.md).',
    });
}

/** The JSON Schema (draft 2020-12) of one wire format, as committed under schemas/. */
export function renderJsonSchema(file: string, schema: z.ZodType): string {
  const generated = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' });
  const { $schema, ...rest } = generated;
  const document = { $schema, $id: `https://borderline.dev/schemas/${file}`, ...rest };
  return `${JSON.stringify(document, null, 2)}\n`;
}
