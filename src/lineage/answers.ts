import { z } from 'zod';
import { Alert, ActorNodeRef, DatasetNodeRef, NodeRef } from '../policy/alert.js';
import { Waiver } from '../policy/policy-file.js';

/**
 * The answers the lineage rules give to the auditors' questions (docs/contract.md §6): what the
 * LineageQueries port returns. The query API serves them as they are (src/query/query-schemas.ts
 * names them by their wire titles, LineageAnswer and the rest, for schemas/api.v1.json): one
 * zod schema per answer, the single source of its type and of its JSON Schema.
 */

const rfc3339 = z.iso.datetime({ offset: true });

const graphNodeExtras = {
  id: z
    .string()
    .describe('stable id of the node in this answer: dataset/<namespace>/<name> or actor/<service>/<region>, URI-encoded parts'),
  classifications: z
    .array(z.string())
    .describe('labels asserted on the node or reaching it (protected labels only reach it through propagation)'),
  country: z.string().optional().describe('ISO 3166-1 alpha-2 country of the region, when the region catalog knows it'),
  openAlertIds: z.array(z.string()).describe('open alerts on this node (as of `asOf` when the question gave one)'),
  deletedAt: rfc3339.optional().describe('a dataset deleted (by `asOf`): the latest delete; its lineage stays, the data is gone'),
};
const asOfAnswer = rfc3339.optional().describe('the instant the answer looks back at, when the question gave `asOf`');
export const LineageNode = z.discriminatedUnion('kind', [DatasetNodeRef.extend(graphNodeExtras), ActorNodeRef.extend(graphNodeExtras)]);
export type LineageNode = z.infer<typeof LineageNode>;

export const LineageEdge = z.strictObject({
  from: z.string().describe('id of the input node'),
  to: z.string().describe('id of the output node (or the actor of an access)'),
  eventId: z.string(),
  operation: z.enum(['copy', 'move', 'derive', 'access']),
  eventTime: rfc3339,
  traceId: z.string().optional(),
});
export type LineageEdge = z.infer<typeof LineageEdge>;

export const LineageAnswer = z
  .strictObject({
    nodes: z.array(LineageNode),
    edges: z.array(LineageEdge),
    truncated: z.boolean().describe('true when the node or edge cap (BORDERLINE_LINEAGE_MAX_NODES / _EDGES) cut the answer short'),
    asOf: asOfAnswer,
  })
  .meta({ title: 'LineageResponse' });
export type LineageAnswer = z.infer<typeof LineageAnswer>;

export const Holding = z.strictObject({
  node: NodeRef,
  approved: z.boolean().describe('every policy protecting the label allows this location'),
  policyIds: z.array(z.string()).describe('the policies violated here when not approved; the policies that allow it when approved'),
  reason: z.enum(['unapproved-location', 'unknown-location']).optional(),
  country: z.string().optional().describe("ISO 3166-1 alpha-2 country of the node's region, when the catalog knows it"),
  since: rfc3339.describe('the earliest time the label reached the node'),
});
export type Holding = z.infer<typeof Holding>;

export const ResidencyAnswer = z
  .strictObject({
    classification: z.string(),
    holdings: z.array(Holding),
    total: z.number().int().describe('how many places hold the label (matching the filters), however many this answer lists'),
    truncated: z.boolean().describe('true when more holdings exist than `limit`'),
    asOf: asOfAnswer,
  })
  .meta({ title: 'ResidencyResponse' });
export type ResidencyAnswer = z.infer<typeof ResidencyAnswer>;

export const ResidencyPlacesAnswer = z
  .strictObject({
    classification: z.string(),
    total: z.number().int().describe('how many places (datasets and actors) hold the label, over all the places below'),
    places: z.array(
      z.strictObject({
        provider: z.string().optional(),
        region: z.string().optional(),
        country: z.string().optional(),
        approved: z.boolean(),
        reason: z.enum(['unapproved-location', 'unknown-location']).optional(),
        holders: z.number().int().describe('how many datasets and actors hold the label there'),
        policyIds: z.array(z.string()),
      }),
    ),
    truncated: z.boolean().describe('false: the summary counts every holding (the database counts them by place); kept for clients of v1'),
    asOf: asOfAnswer,
  })
  .meta({
    title: 'ResidencyPlacesResponse',
    description: 'Where a label lives now, by place: one row per provider and region, unapproved places first.',
  });
export type ResidencyPlacesAnswer = z.infer<typeof ResidencyPlacesAnswer>;

export const PathsAnswer = z
  .strictObject({
    paths: z.array(z.strictObject({ nodes: z.array(LineageNode), edges: z.array(LineageEdge), arrivesAt: rfc3339 })),
    truncated: z.boolean(),
  })
  .meta({
    title: 'PathsResponse',
    description: 'How data got from one node to another: the earliest-arriving time-respecting path, when there is one.',
  });
export type PathsAnswer = z.infer<typeof PathsAnswer>;

export const NodeDetail = z
  .strictObject({
    node: LineageNode,
    location: z.strictObject({
      provider: z.string().optional(),
      region: z.string().optional(),
      country: z.string().optional(),
      source: z.enum(['event', 'store-catalog', 'unknown']),
    }),
    holdings: z.array(z.strictObject({ classification: z.string(), since: rfc3339, viaEventId: z.string().optional() })),
    deletedAt: rfc3339.optional(),
    alerts: z.array(Alert),
  })
  .meta({ title: 'NodeDetail' });
export type NodeDetail = z.infer<typeof NodeDetail>;

const counts = { open: z.number().int(), remediated: z.number().int() };
export const Report = z
  .strictObject({
    generatedAt: rfc3339,
    judgedBy: z
      .strictObject({
        fingerprint: z.string(),
        loadedAt: rfc3339,
        judgedAt: rfc3339.nullable().describe('when the graph was last re-judged under it (docs/policy-changes.md); null: never'),
      })
      .optional()
      .describe('the policy the tracker runs under, and so the one whose verdicts the report shows'),
    totals: z.strictObject(counts),
    byPolicy: z.array(z.strictObject({ policyId: z.string(), severity: z.string(), ...counts })),
    byRegion: z.array(
      z.strictObject({ provider: z.string().optional(), region: z.string().optional(), country: z.string().optional(), ...counts }),
    ),
    residualCopies: z
      .strictObject({
        copies: z
          .array(z.strictObject({ node: NodeRef, classifications: z.array(z.string()), since: rfc3339, alertIds: z.array(z.string()) }))
          .describe('this page of them, oldest first'),
        total: z.number().int().describe('how many datasets hold data where a policy does not allow it'),
        offset: z.number().int(),
        truncated: z.boolean().describe('true when more copies exist than this page holds (ask again with a larger offset)'),
      })
      .describe('datasets with an open alert: data still sitting where a policy does not allow it'),
    waivers: z
      .strictObject({
        active: z
          .array(Waiver.extend({ expiresAt: rfc3339, expiresWithin30Days: z.boolean() }))
          .describe('unexpired, ending soonest first'),
        expiringWithin30Days: z.number().int(),
      })
      .describe('the waivers of the loaded policy file (docs/contract.md §12) that still cover violations'),
    egressRoutes: z
      .array(
        z.strictObject({
          from: z.strictObject({ provider: z.string().optional(), region: z.string().optional(), country: z.string().optional() }),
          to: z.strictObject({ provider: z.string().optional(), region: z.string().optional(), country: z.string().optional() }),
          events: z.number().int(),
          classifications: z.array(z.string()),
        }),
      )
      .describe('the busiest routes along which protected data crossed from one region to another'),
  })
  .meta({ title: 'Report' });
export type Report = z.infer<typeof Report>;
