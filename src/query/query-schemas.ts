import { z } from 'zod';
import { Alert, ActorNodeRef, DatasetNodeRef, NodeRef } from '../policy/alert.js';
import { Policy, Waiver } from '../policy/policy-file.js';
import { Triage, TriageState } from '../policy/triage.js';

const rfc3339 = z.iso.datetime({ offset: true });
const nonEmpty = z.string().trim().min(1, 'must not be empty');
const commaList = (s: string) =>
  s
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);

// ---------------------------------------------------------------------------------------------
// Requests: the query parameters of /api/v1 (CONTRACT §6). Each error names its parameter.
// ---------------------------------------------------------------------------------------------

/** A dataset named by query parameters. */
export const DatasetParams = z.strictObject({ namespace: nonEmpty, name: nonEmpty });

/** An actor named by query parameters. */
export const ActorParams = z.strictObject({ service: nonEmpty, region: nonEmpty });

const patternList = z
  .string()
  .transform(commaList)
  .optional()
  .describe('only datasets in these namespaces: comma-separated, each exact or a prefix ending in *');
/** `asOf=`: the graph as the events up to this instant make it (event time; src/lineage/as-of.ts), in epoch ms. */
const asOfParam = z.iso
  .datetime({ offset: true, error: 'must be an RFC 3339 time, e.g. 2026-11-22T10:00:00Z' })
  .transform((text) => Date.parse(text))
  .optional()
  .describe('RFC 3339 instant: the answer as the events up to that eventTime make it (lineage and residency then), not now');
const serviceList = z.string().transform(commaList).optional().describe('only actors of these services: comma-separated');

export const AlertsParams = z.strictObject({
  status: z.enum(['open', 'remediated']).optional(),
  policyId: nonEmpty.optional(),
  severity: z.enum(['critical', 'high', 'medium', 'low']).optional(),
  region: nonEmpty.optional().describe("only alerts whose node is in this region (the node's region code, any case)"),
  namespace: patternList,
  service: serviceList,
  q: z.string().trim().optional().describe('free text: every word must occur (any case) in the id, policy, severity, node or labels'),
  triage: TriageState.optional().describe('open: nobody has acknowledged it; acknowledged'),
  offset: z.coerce.number().int().min(0, 'must be at least 0').default(0),
  limit: z.coerce.number().int().min(1).max(10_000).default(1_000),
});
export type AlertsParams = z.infer<typeof AlertsParams>;

export const LineageParams = DatasetParams.extend({
  direction: z.enum(['upstream', 'downstream', 'both']).default('both'),
  depth: z.coerce.number().int().min(1, 'must be at least 1').default(3),
  asOf: asOfParam,
});
export type LineageParams = z.infer<typeof LineageParams>;

export const ResidencyParams = z.strictObject({
  classification: nonEmpty,
  approved: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  namespace: patternList,
  service: serviceList,
  limit: z.coerce.number().int().min(1).max(100_000).default(10_000),
  asOf: asOfParam,
});
export type ResidencyParams = z.infer<typeof ResidencyParams>;

export const PathsParams = z.strictObject({
  fromNamespace: nonEmpty,
  fromName: nonEmpty,
  toNamespace: nonEmpty.optional(),
  toName: nonEmpty.optional(),
  toService: nonEmpty.optional(),
  toRegion: nonEmpty.optional(),
  classification: nonEmpty.optional(),
  maxDepth: z.coerce.number().int().min(1, 'must be at least 1').default(10),
});
export type PathsParams = z.infer<typeof PathsParams>;

export const ReportParams = z.strictObject({
  format: z.enum(['json', 'html']).optional(),
  policyId: nonEmpty.optional(),
  /** The page of residual copies: the summary above it is always whole. */
  offset: z.coerce.number().int().min(0, 'must be at least 0').default(0),
  limit: z.coerce.number().int().min(1).max(10_000).default(100),
});

export const SearchParams = z.strictObject({
  q: z.string().trim().default(''),
  offset: z.coerce.number().int().min(0, 'must be at least 0').default(0),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

// ---------------------------------------------------------------------------------------------
// Responses: generated into schemas/api.v1.json.
// ---------------------------------------------------------------------------------------------

export { nodeIdOf } from './describe-node.js';

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

export const LineageResponse = z
  .strictObject({
    nodes: z.array(LineageNode),
    edges: z.array(LineageEdge),
    truncated: z.boolean().describe('true when the node or edge cap (BORDERLINE_LINEAGE_MAX_NODES / _EDGES) cut the answer short'),
    asOf: asOfAnswer,
  })
  .meta({ title: 'LineageResponse' });
export type LineageResponse = z.infer<typeof LineageResponse>;

export const Holding = z.strictObject({
  node: NodeRef,
  approved: z.boolean().describe('every policy protecting the label allows this location'),
  policyIds: z.array(z.string()).describe('the policies violated here when not approved; the policies that allow it when approved'),
  reason: z.enum(['unapproved-location', 'unknown-location']).optional(),
  country: z.string().optional().describe("ISO 3166-1 alpha-2 country of the node's region, when the catalog knows it"),
  since: rfc3339.describe('the earliest time the label reached the node'),
});
export type Holding = z.infer<typeof Holding>;

export const ResidencyResponse = z
  .strictObject({
    classification: z.string(),
    holdings: z.array(Holding),
    total: z.number().int().describe('how many places hold the label (matching the filters), however many this answer lists'),
    truncated: z.boolean().describe('true when more holdings exist than `limit`'),
    asOf: asOfAnswer,
  })
  .meta({ title: 'ResidencyResponse' });
export type ResidencyResponse = z.infer<typeof ResidencyResponse>;

export const ResidencyPlacesParams = ResidencyParams.omit({ limit: true, approved: true });

export const ResidencyPlacesResponse = z
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
export type ResidencyPlacesResponse = z.infer<typeof ResidencyPlacesResponse>;

export const PathsResponse = z
  .strictObject({
    paths: z.array(z.strictObject({ nodes: z.array(LineageNode), edges: z.array(LineageEdge), arrivesAt: rfc3339 })),
    truncated: z.boolean(),
  })
  .meta({
    title: 'PathsResponse',
    description: 'How data got from one node to another: the earliest-arriving time-respecting path, when there is one.',
  });
export type PathsResponse = z.infer<typeof PathsResponse>;

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
      .describe('the waivers of the loaded policy file (CONTRACT §12) that still cover violations'),
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

export const PoliciesResponse = z.strictObject({ policies: z.array(Policy) }).meta({ title: 'PoliciesResponse' });
/** An alert as the API shows it (CONTRACT §12): with its triage, and the waiver covering it now, if any. */
export const ApiAlert = Alert.extend({
  triage: Triage.optional().describe('present once someone has triaged the alert; `status` is never changed by triage'),
  waived: z.literal(true).optional().describe('an unexpired waiver covers the violation now: recorded, not published'),
  waiver: Waiver.optional().describe('the waiver, from the policy file'),
}).meta({ title: 'ApiAlert' });
export type ApiAlert = z.infer<typeof ApiAlert>;

export const AlertsResponse = z
  .strictObject({
    alerts: z
      .array(ApiAlert)
      .describe('the current state of each alert on this page, latest state first (a remediation, else the opening)'),
    total: z.number().int().describe('how many alerts match the filters, on every page'),
    offset: z.number().int().describe('where this page starts in that list'),
    truncated: z.boolean().describe('true when more alerts match than this page holds (ask again with a larger offset)'),
    counts: z
      .strictObject({ open: z.number().int(), remediated: z.number().int() })
      .describe('by status, the alerts matching every filter but `status`'),
  })
  .meta({ title: 'AlertsResponse' });
export type AlertsResponse = z.infer<typeof AlertsResponse>;
export const SearchResponse = z
  .strictObject({
    datasets: z.array(DatasetNodeRef).describe('this page of the matches, best first (src/lineage/search-datasets.ts)'),
    total: z.number().int().describe('how many datasets match every word'),
    offset: z.number().int(),
    truncated: z.boolean().describe('true when more match than this page holds'),
  })
  .meta({ title: 'SearchResponse' });
export const ErrorResponse = z
  .strictObject({ error: z.string().describe('what is wrong, naming the parameter'), parameter: z.string().optional() })
  .meta({ title: 'ErrorResponse' });
