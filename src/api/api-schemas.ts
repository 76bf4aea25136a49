import { z } from 'zod';
import { Alert, DatasetNodeRef } from '../policy/alert.js';
import { Policy, Waiver } from '../policy/policy-file.js';
import { Triage, TriageState } from '../alerts/triage.js';

const nonEmpty = z.string().trim().min(1, 'must not be empty');
const commaList = (s: string) =>
  s
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);

// ---------------------------------------------------------------------------------------------
// Requests: the query parameters of /api/v1 (docs/contract.md §6). Each error names its parameter.
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

export { nodeIdOf } from '../lineage/name-node.js';

export {
  Holding,
  LineageAnswer,
  LineageEdge,
  LineageNode,
  NodeDetail,
  PathsAnswer,
  Report,
  ResidencyAnswer,
  ResidencyPlacesAnswer,
} from '../lineage/answers.js';

export const ResidencyPlacesParams = ResidencyParams.omit({ limit: true, approved: true });

export const PoliciesResponse = z.strictObject({ policies: z.array(Policy) }).meta({ title: 'PoliciesResponse' });
/** An alert as the API shows it (docs/contract.md §12): with its triage, and the waiver covering it now, if any. */
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

/** A policy file sent to the tracker (POST /api/v1/policy/preview and /apply): its YAML text, and a name for messages. */
export const PolicyChangeRequest = z
  .strictObject({
    policy: z.string().min(1).max(1_048_576).describe('the policy file YAML (docs/contract.md §4)'),
    file: z.string().max(500).optional().describe('the file name, for messages (file:line: key: rule)'),
  })
  .meta({ title: 'PolicyChangeRequest' });
export type PolicyChangeRequest = z.infer<typeof PolicyChangeRequest>;

const fingerprint = z
  .string()
  .regex(/^[0-9a-f]{64}$/)
  .describe("SHA-256 of the policy's content as loaded (docs/policy-changes.md)");

/** What the tracker runs under, and what the graph was last judged under (GET /api/v1/policy). */
export const PolicyStatusResponse = z
  .strictObject({
    fingerprint,
    loadedAt: z.iso.datetime({ offset: true }).describe('when this tracker loaded the policy'),
    judged: z
      .strictObject({ fingerprint, judgedAt: z.iso.datetime({ offset: true }) })
      .nullable()
      .describe('the policy the graph was last re-judged under, and when; null when it never was'),
  })
  .meta({ title: 'PolicyStatusResponse' });
export type PolicyStatusResponse = z.infer<typeof PolicyStatusResponse>;

/** What a re-evaluation under a policy changes, or would change (docs/policy-changes.md). */
export const ReevaluationResponse = z
  .strictObject({
    dryRun: z.boolean().describe('true: nothing was changed (the work was done in a transaction rolled back)'),
    fingerprint,
    previous: fingerprint.nullable().describe('the policy the graph was judged under before'),
    newlyProtected: z.array(z.string()).describe('labels propagated from all of their past assertions'),
    noLongerProtected: z.array(z.string()).describe('labels whose holdings are dropped'),
    holdingsDropped: z.number().int(),
    holdingsGained: z.number().int().describe('holdings propagation makes or makes earlier'),
    nodesJudged: z.number().int().describe('nodes holding a protected label, each judged under the policy'),
    opened: z.number().int().describe('alerts opened (open, or open then remediated where a delete already removed the data)'),
    reopened: z.number().int().describe('alerts a policy had remediated, opened again'),
    remediated: z.number().int().describe('open alerts the policy allows: remediated, remediatedBy "policy"'),
    ms: z.number().int(),
  })
  .meta({ title: 'ReevaluationResponse' });
export type ReevaluationResponse = z.infer<typeof ReevaluationResponse>;

/** PUT-like apply accepted: the tracker restarts under the policy and re-judges the graph (watch /healthz). */
export const PolicyApplyResponse = z
  .strictObject({
    status: z.literal('re-evaluating'),
    fingerprint,
    previous: fingerprint,
  })
  .meta({ title: 'PolicyApplyResponse' });
export type PolicyApplyResponse = z.infer<typeof PolicyApplyResponse>;
