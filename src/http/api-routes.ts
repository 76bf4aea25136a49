import { createHash, timingSafeEqual } from 'node:crypto';
import { zValidator } from '@hono/zod-validator';
import { Hono, type Context } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { streamSSE } from 'hono/streaming';
import type { z } from 'zod';
import type { ApiToken } from '../config/api-tokens.js';
import type { AlertFeed } from '../ports/alert-feed.js';
import type { AlertTriageBook } from '../ports/alert-triage.js';
import type { Policy, Waiver } from '../policy/policy-file.js';
import type { LineageQueries, QueryLimits } from '../ports/lineage-queries.js';
import {
  ActorParams,
  AlertsParams,
  type AlertsResponse,
  type ApiAlert,
  DatasetParams,
  LineageParams,
  PathsParams,
  ResidencyParams,
  ResidencyPlacesParams,
  type ResidencyPlacesAnswer,
  type ResidencyAnswer,
  ReportParams,
  SearchParams,
} from '../api/api-schemas.js';
import type { TriagedAlert } from '../alerts/triage.js';
import { withWaiver } from '../alerts/waivers.js';
import { TriageRequest, type TriageEntry } from '../alerts/triage.js';
import { mountLineageIntake, type LineageIntake } from './lineage-intake-route.js';
import { mountPolicyRoutes, type PolicyControl } from './policy-routes.js';
import { renderReportHtml } from './report-html.js';

export interface ApiOptions {
  queries: LineageQueries;
  alertFeed?: AlertFeed | undefined;
  limits: QueryLimits & { maxDepth: number };
  /** The loaded policies, for GET /api/v1/policies. */
  policies?: readonly Policy[];
  /** When non-empty, every /api route requires `Authorization: Bearer <one of these>`; triage records the token's name. */
  tokens: readonly ApiToken[];
  /** Where triage is kept (POST /api/v1/alerts/{alertId}/triage); absent: answered 404. */
  triage?: AlertTriageBook | undefined;
  /** The policy file's waivers: alerts they cover now are shown `waived` (docs/contract.md §12). */
  waivers?: readonly Waiver[];
  /** The time waivers are judged at (tests); Date.now by default. */
  now?: () => number;
  /** `POST /api/v1/lineage` (OpenLineage, Marquez-compatible); absent: answered 404. */
  intake?: LineageIntake | undefined;
  /** GET /api/v1/policy, POST /api/v1/policy/preview and /apply (docs/policy-changes.md); absent: answered 404. */
  policyControl?: PolicyControl | undefined;
}

/** The first problem of a query string, naming the parameter: `depth: must be at least 1`. */
function describeParams(error: { issues: z.core.$ZodIssue[] }): { error: string; parameter?: string } {
  const issue = error.issues[0];
  if (!issue) return { error: 'invalid query parameters' };
  if (issue.code === 'unrecognized_keys') {
    return { error: `${issue.keys.join(', ')}: unknown parameter${issue.keys.length > 1 ? 's' : ''}`, parameter: issue.keys[0] ?? '' };
  }
  const parameter = issue.path.map(String).join('.');
  const message = issue.message.replace(/^Invalid input: expected \w+, received undefined$/, 'required');
  return { error: `${parameter || 'query'}: ${message}`, ...(parameter ? { parameter } : {}) };
}

/** Query-string validation with zod; a bad parameter gets 400 and a message that names it. */
const query = <T extends z.ZodType>(schema: T) =>
  zValidator('query', schema, (result, c) => {
    if (!result.success) return c.json(describeParams(result.error), 400);
    return undefined;
  });

const notFound = (c: Context, what: string) => c.json({ error: `no such node: ${what}` }, 404);

const digestOf = (token: string) => createHash('sha256').update(token).digest();

/** The query API (docs/contract.md §6) under /api/v1. */
export function createApiRoutes({
  queries,
  alertFeed,
  limits,
  tokens,
  policies,
  intake,
  policyControl,
  triage,
  waivers = [],
  now = Date.now,
}: ApiOptions): Hono {
  const api = new Hono();
  const known = tokens.map((t) => ({ name: t.name, digest: digestOf(t.token) }));
  // Compared in constant time (digests of equal length), every token tried: the timing says nothing of which came close.
  const nameOf = (token: string): string | undefined => {
    const digest = digestOf(token);
    let name: string | undefined;
    for (const t of known) if (timingSafeEqual(t.digest, digest)) name = t.name;
    return name;
  };
  /** Who is calling, for triage: the token's name, or `local` when the API has no tokens (docs/contract.md §12). */
  const callerOf = (c: Context): string => {
    if (known.length === 0) return 'local';
    const header = c.req.header('authorization') ?? '';
    return nameOf(header.replace(/^Bearer\s+/i, '')) ?? 'unknown';
  };
  if (tokens.length > 0) {
    api.use(
      '*',
      bearerAuth({
        verifyToken: (token) => nameOf(token) !== undefined,
        noAuthenticationHeader: { message: { error: 'authorization required: send Authorization: Bearer <token>' } },
        invalidToken: { message: { error: 'invalid token' } },
        invalidAuthenticationHeader: { message: { error: 'malformed Authorization header: expected Bearer <token>' } },
      }),
    );
  }

  api.get('/policies', (c) => c.json({ policies: policies ?? [] }));

  mountLineageIntake(api, intake);
  mountPolicyRoutes(api, policyControl);

  // A filter that names nothing the tracker loaded is a typo, not an empty answer: a CI gate
  // (`borderline alerts --policy … --fail-on-open`) must not pass on it.
  const unknown = (parameter: string, value: string | undefined, known: readonly string[], what: string) =>
    value !== undefined && policies && !known.includes(value)
      ? { error: `${parameter}: no ${what} "${value}" in the loaded policy file; known: ${known.join(', ') || '(none)'}`, parameter }
      : undefined;
  const policyIds = (policies ?? []).map((p) => p.id);
  const protectedLabels = [...new Set((policies ?? []).flatMap((p) => p.classifications))].sort();

  api.get('/alerts', query(AlertsParams), async (c) => {
    const params = c.req.valid('query');
    const typo = unknown('policyId', params.policyId, policyIds, 'policy');
    if (typo) return c.json(typo, 400);
    const page = await queries.alerts(params);
    const at = now();
    const answer: AlertsResponse = {
      alerts: page.alerts.map((a) => withWaiver(a, waivers, at)),
      total: page.total,
      offset: params.offset,
      truncated: params.offset + page.alerts.length < page.total,
      counts: page.counts,
    };
    return c.json(answer);
  });

  api.get('/alerts/stream', (c) => {
    if (!alertFeed) return c.json({ error: 'the live alert feed is not running in this process' }, 503);
    const feed = alertFeed;
    return streamSSE(c, async (stream) => {
      const pending: string[] = [];
      let wake: (() => void) | undefined;
      const unsubscribe = feed.subscribe((alert) => {
        pending.push(JSON.stringify(alert));
        wake?.();
      });
      stream.onAbort(() => {
        unsubscribe();
        wake?.();
      });
      await Promise.race([feed.ready(), new Promise((resolve) => setTimeout(resolve, 15_000))]);
      await stream.writeSSE({ event: 'ready', data: '{}' });
      while (!stream.aborted) {
        const next = pending.shift();
        if (next !== undefined) {
          await stream.writeSSE({ event: 'alert', data: next });
          continue;
        }
        // Wait for an alert, or 15 s, then send a comment line so proxies keep the connection open.
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 15_000);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
        if (pending.length === 0 && !stream.aborted) await stream.write(': keep-alive\n\n');
      }
      unsubscribe();
    });
  });

  // One alert with its triage and waiver (docs/contract.md §12): what a deep link to an alert opens.
  const answerAlert = (c: Context, alert: TriagedAlert | undefined) =>
    alert
      ? c.json(withWaiver(alert, waivers, now()) satisfies ApiAlert)
      : c.json({ error: `no such alert: ${c.req.param('alertId') ?? ''}`, parameter: 'alertId' }, 404);
  api.get('/alerts/:alertId', async (c) => answerAlert(c, await queries.alert(c.req.param('alertId'))));

  // Triage (docs/contract.md §12): acknowledge or reopen, with a note, recorded with who did it. JSON only: a
  // form post from another site cannot send application/json without the browser asking first.
  api.post('/alerts/:alertId/triage', async (c) => {
    if (!triage) return c.json({ error: 'triage is not available in this process' }, 404);
    if (!(c.req.header('content-type') ?? '').toLowerCase().startsWith('application/json'))
      return c.json({ error: 'send the triage change as application/json: { "state", "note", "assignee"? }' }, 415);
    const body = TriageRequest.safeParse(await c.req.json().catch(() => undefined));
    if (!body.success) return c.json(describeParams(body.error), 400);
    const entry: TriageEntry = {
      at: new Date(now()).toISOString(),
      by: callerOf(c),
      state: body.data.state,
      note: body.data.note,
      ...(body.data.assignee ? { assignee: body.data.assignee } : {}),
    };
    return answerAlert(c, await triage.triage(c.req.param('alertId'), entry));
  });

  api.get('/lineage', query(LineageParams), async (c) => {
    const params = c.req.valid('query');
    if (params.depth > limits.maxDepth) {
      return c.json({ error: `depth: at most ${limits.maxDepth} (BORDERLINE_LINEAGE_MAX_DEPTH)`, parameter: 'depth' }, 400);
    }
    const answer = await queries.lineage(params, limits);
    return answer ? c.json(answer) : notFound(c, `dataset ${params.namespace} ${params.name}`);
  });

  api.get('/residency', query(ResidencyParams), async (c) => {
    const { classification, approved, limit, namespace, service, asOf } = c.req.valid('query');
    const typo = unknown('classification', classification, protectedLabels, 'policy protects the label');
    if (typo) return c.json(typo, 400);
    const answer: ResidencyAnswer = await queries.residency(classification, limit, { namespace, service, approved }, asOf);
    return c.json(answer);
  });

  // The residency panel's question: the label's places, counted over every holding (not a page of them).
  api.get('/residency/places', query(ResidencyPlacesParams), async (c) => {
    const { classification, namespace, service, asOf } = c.req.valid('query');
    const typo = unknown('classification', classification, protectedLabels, 'policy protects the label');
    if (typo) return c.json(typo, 400);
    const places: ResidencyPlacesAnswer = await queries.residencyPlaces(classification, { namespace, service }, asOf);
    return c.json(places);
  });

  api.get('/paths', query(PathsParams), async (c) => {
    const params = c.req.valid('query');
    const toActor = params.toService !== undefined || params.toRegion !== undefined;
    const toDataset = params.toNamespace !== undefined || params.toName !== undefined;
    if (
      toActor === toDataset ||
      (toActor && (!params.toService || !params.toRegion)) ||
      (toDataset && (!params.toNamespace || !params.toName))
    ) {
      return c.json(
        { error: 'to: give either toNamespace and toName (a dataset) or toService and toRegion (an actor)', parameter: 'to' },
        400,
      );
    }
    if (params.maxDepth > Math.max(limits.maxDepth, 20)) {
      return c.json({ error: `maxDepth: at most ${Math.max(limits.maxDepth, 20)}`, parameter: 'maxDepth' }, 400);
    }
    const answer = await queries.paths(params, limits);
    return answer ? c.json(answer) : notFound(c, 'from or to is not in the graph');
  });

  api.get('/nodes/dataset', query(DatasetParams), async (c) => {
    const { namespace, name } = c.req.valid('query');
    const answer = await queries.node({ kind: 'dataset', namespace, name });
    return answer ? c.json(answer) : notFound(c, `dataset ${namespace} ${name}`);
  });

  api.get('/nodes/actor', query(ActorParams), async (c) => {
    const { service, region } = c.req.valid('query');
    const answer = await queries.node({ kind: 'actor', service, region });
    return answer ? c.json(answer) : notFound(c, `actor ${service} in ${region}`);
  });

  api.get('/datasets', query(SearchParams), async (c) => {
    const { q, offset, limit } = c.req.valid('query');
    return c.json(await queries.searchDatasets(q, { offset, limit }));
  });

  api.get('/report', query(ReportParams), async (c) => {
    const { format, policyId, offset, limit } = c.req.valid('query');
    const typo = unknown('policyId', policyId, policyIds, 'policy');
    if (typo) return c.json(typo, 400);
    const status = await policyControl?.status();
    const report = {
      ...(await queries.report({ policyId, offset, limit })),
      ...(status
        ? { judgedBy: { fingerprint: status.fingerprint, loadedAt: status.loadedAt, judgedAt: status.judged?.judgedAt ?? null } }
        : {}),
    };
    const wantsHtml = format === 'html' || (format === undefined && (c.req.header('accept') ?? '').includes('text/html'));
    return wantsHtml ? c.html(renderReportHtml(report, { policyId, limit })) : c.json(report);
  });

  return api;
}
