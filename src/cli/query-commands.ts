import { appendAll } from '../collections/append-all.js';
import Table from 'cli-table3';
import { waiverScope } from '../lineage/waivers.js';
import type { Command } from 'commander';
import pc from 'picocolors';
import { BorderlineError } from '../errors/borderline-error.js';
import type { Alert } from '../policy/alert.js';
import { fitTable, tableWidth } from './fit-table.js';
import { nodeName, placeText } from '../lineage/describe-node.js';
import { AlertsResponse, ApiAlert, LineageResponse, NodeDetail, PathsResponse, Report, ResidencyResponse } from '../query/query-schemas.js';

/** Where the API runs and how to reach it, from flags or environment. */
interface ApiTarget {
  url: string;
  token?: string;
  json?: boolean;
}

/** The API answered with an error: the message is the server's own, which names the parameter. */
export class ApiError extends BorderlineError {}

async function callApi(
  target: ApiTarget,
  path: string,
  params: Record<string, string | number | undefined>,
  post?: object,
): Promise<unknown> {
  if (!/^https?:\/\/[^/]/i.test(target.url)) {
    throw new ApiError(
      `--url (or BORDERLINE_URL) must start with http:// or https://, e.g. http://${target.url.replace(/^\w+:\/\//, '') || '127.0.0.1:8080'}; got "${target.url}"`,
    );
  }
  const query = new URLSearchParams(
    Object.entries(params).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)] as [string, string]])),
  );
  const url = `${target.url.replace(/\/$/, '')}/api/v1${path}${query.size > 0 ? `?${query.toString()}` : ''}`;
  let response: Response;
  try {
    const auth: Record<string, string> = target.token ? { authorization: `Bearer ${target.token}` } : {};
    response = await fetch(
      url,
      post ? { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(post) } : { headers: auth },
    );
  } catch (error) {
    throw new ApiError(
      `cannot reach the tracker at ${target.url} (${(error as Error).message}); is \`borderline serve\` running? Set --url or BORDERLINE_URL.`,
      { retriable: true },
    );
  }
  const body = (await response.json().catch(() => ({}))) as { error?: string };
  if (response.status === 401) throw new ApiError(`${body.error ?? 'unauthorized'}: pass --token or set BORDERLINE_API_TOKEN`);
  if (!response.ok) throw new ApiError(body.error ?? `the tracker answered ${response.status}`, { retriable: response.status >= 500 });
  return body;
}

const where = (n: Parameters<typeof placeText>[0]) => placeText(n) || pc.yellow('unknown');
const status = (s: Alert['status']) => (s === 'open' ? pc.red('open') : pc.green('remediated'));
const table = (head: string[]) => new Table({ head: head.map((h) => pc.bold(h)), style: { head: [], border: [] } });

function print(target: ApiTarget, value: unknown, render: () => string): void {
  process.stdout.write(target.json ? `${JSON.stringify(value, null, 2)}\n` : `${render()}\n`);
}

/** One line per alert, as the demo and `alerts` print it: status, policy, node, path. */
export function formatAlertLine(alert: Alert): string {
  const path = alert.path.map((n) => (n.kind === 'dataset' ? n.name : `${n.service}@${n.region}`)).join(' → ');
  return `${status(alert.status)} ${pc.bold(alert.policyId)} [${alert.severity}] ${nodeName(alert.node)} in ${where(alert.node)}: ${path}`;
}

/** How the alerts table fits a terminal: which columns may be cut, and which go first when that is not enough. */
const ALERT_COLUMNS = { flexible: ['policy', 'node', 'where', 'path'], optional: ['detected', 'severity'] };

interface AlertsOptions extends ApiTarget {
  status?: string;
  policy?: string;
  severity?: string;
  region?: string;
  namespace?: string;
  service?: string;
  search?: string;
  triage?: string;
  limit: string;
  offset: string;
  all?: boolean;
  wide?: boolean;
  failOnOpen?: boolean;
}

/** A witness path as one line: every hop when it is short, else origin, the last hops and how many were left out. */
export function pathText(path: Alert['path']): string {
  const names = path.map((n) => (n.kind === 'dataset' ? n.name : n.service));
  return names.length <= 4 ? names.join(' → ') : [names[0], `… ${names.length - 3} more …`, ...names.slice(-2)].join(' → ');
}

function addTarget(command: Command): Command {
  return command
    .option('--url <url>', 'the tracker API (env BORDERLINE_URL)', process.env.BORDERLINE_URL ?? 'http://127.0.0.1:8080')
    .option('--token <token>', 'bearer token when the API requires one (env BORDERLINE_API_TOKEN)', process.env.BORDERLINE_API_TOKEN)
    .option('--json', 'print the API answer as JSON, for scripts');
}

/** `alerts`, `lineage`, `residency`, `report`: ask a running tracker's API, print tables (or JSON). */
export function addQueryCommands(program: Command): void {
  addTarget(program.command('alerts'))
    .description(
      'list alerts in their current state, newest first, a page at a time (exit 0; with --fail-on-open, exit 3 when any is open)',
    )
    .option('--status <status>', 'open or remediated')
    .option('--policy <id>', 'only this policy')
    .option('--severity <severity>', 'critical, high, medium or low')
    .option('--region <region>', 'only alerts whose node is in this region, e.g. ap-southeast-1')
    .option('--namespace <patterns>', 'only datasets in these namespaces: comma-separated, exact or prefix*')
    .option('--service <names>', 'only actors of these services: comma-separated')
    .option('--search <text>', 'free text: every word must occur in the id, policy, node or labels')
    .option('--triage <state>', 'open (nobody acknowledged it) or acknowledged')
    .option('--limit <n>', 'alerts per page', '100')
    .option('--offset <n>', 'skip this many first', '0')
    .option('--all', 'every matching alert, fetched page by page')
    .option('--wide', 'do not fit the table to the terminal')
    .option('--fail-on-open', 'exit 3 when any matching alert is open, listed or not (for CI gates)')
    .action(async (options: AlertsOptions) => {
      const filter = {
        status: options.status,
        policyId: options.policy,
        severity: options.severity,
        region: options.region,
        namespace: options.namespace,
        service: options.service,
        q: options.search,
        triage: options.triage,
      };
      const page = (offset: number, limit: number) =>
        callApi(options, '/alerts', { ...filter, offset, limit }).then((b) => AlertsResponse.parse(b));
      const first = await page(Number(options.offset), options.all ? 10_000 : Number(options.limit));
      const alerts = [...first.alerts];
      while (options.all && first.offset + alerts.length < first.total) {
        const next = await page(first.offset + alerts.length, 10_000);
        if (next.alerts.length === 0) break;
        appendAll(alerts, next.alerts);
      }
      const answer: AlertsResponse = { ...first, alerts, truncated: first.offset + alerts.length < first.total };
      print(options, answer, () => {
        const counts = `${answer.total} matching (${answer.counts.open} open · ${answer.counts.remediated} remediated over every status)`;
        if (alerts.length === 0) return answer.total === 0 ? pc.green('no alerts') : `no alerts on this page; ${counts}`;
        const head = ['status', 'policy', 'severity', 'node', 'where', 'path', 'detected'];
        const rows = alerts.map((a) => [
          [status(a.status), a.waived ? pc.yellow('waived') : '', a.triage?.state === 'acknowledged' ? pc.cyan('ack') : '']
            .filter(Boolean)
            .join(' '),
          a.policyId,
          a.severity,
          nodeName(a.node),
          where(a.node),
          pathText(a.path),
          a.detectedAt.replace(/\.\d+Z$/, 'Z'),
        ]);
        const fitted = fitTable(head, rows, tableWidth(options.wide), ALERT_COLUMNS);
        const t = table(fitted.head);
        appendAll(t, fitted.rows);
        const shown = `alerts ${answer.offset + 1}–${answer.offset + alerts.length} of ${counts}`;
        const more = answer.truncated ? pc.yellow(`; more: --offset ${answer.offset + alerts.length}, or --all`) : '';
        return `${t.toString()}\n${shown}${more}`;
      });
      if (options.failOnOpen && (options.status === 'remediated' ? 0 : answer.counts.open) > 0) process.exitCode = 3;
    });

  addTarget(program.command('triage'))
    .description('show an alert with its triage, or acknowledge or reopen it with a note (CONTRACT §12; never changes its status)')
    .argument('<alertId>', 'the alert, as `alerts --json` or the page shows it')
    .option('--ack', 'acknowledge: a known case someone is on')
    .option('--reopen', 'back to open triage')
    .option('--note <text>', 'why (required with --ack or --reopen; kept with the change)')
    .option('--assignee <name>', 'who works on it')
    .action(async (alertId: string, options: ApiTarget & { ack?: boolean; reopen?: boolean; note?: string; assignee?: string }) => {
      if (options.ack && options.reopen) throw new ApiError('give --ack or --reopen, not both');
      const state = options.ack ? 'acknowledged' : options.reopen ? 'open' : undefined;
      if (!state && (options.note !== undefined || options.assignee !== undefined))
        throw new ApiError('--note and --assignee go with --ack or --reopen');
      const path = `/alerts/${encodeURIComponent(alertId)}`;
      const alert = ApiAlert.parse(
        state
          ? await callApi(
              options,
              `${path}/triage`,
              {},
              { state, note: options.note ?? '', ...(options.assignee ? { assignee: options.assignee } : {}) },
            )
          : await callApi(options, path, {}),
      );
      print(options, alert, () => {
        const lines = [formatAlertLine(alert)];
        if (alert.waived && alert.waiver)
          lines.push(
            pc.yellow(`  waived until ${alert.waiver.until} (approved by ${alert.waiver.approvedBy}): ${alert.waiver.justification}`),
          );
        const triage = alert.triage;
        lines.push(
          triage
            ? `  triage: ${triage.state}${triage.assignee ? `, assigned to ${triage.assignee}` : ''}`
            : '  triage: open (nobody has triaged it)',
        );
        for (const h of triage?.history ?? [])
          lines.push(`    ${h.at} ${h.by}: ${h.state}${h.assignee ? ` (assignee ${h.assignee})` : ''} — ${h.note}`);
        return lines.join('\n');
      });
    });

  addTarget(program.command('lineage'))
    .description("show where a dataset's data came from and went")
    .argument('<namespace>', "the dataset's namespace, e.g. postgres://users-db")
    .argument('<name>', "the dataset's name, e.g. public.profiles")
    .option('--direction <direction>', 'upstream, downstream or both', 'both')
    .option('--depth <n>', 'how many hops', '3')
    .action(async (namespace: string, name: string, options: ApiTarget & { direction: string; depth: string }) => {
      const answer = LineageResponse.parse(
        await callApi(options, '/lineage', { namespace, name, direction: options.direction, depth: options.depth }),
      );
      print(options, answer, () => {
        const label = new Map(answer.nodes.map((n) => [n.id, `${nodeName(n)}${n.openAlertIds.length > 0 ? pc.red(' ⚠') : ''}`]));
        const t = table(['from', 'operation', 'to', 'when', 'event']);
        for (const e of [...answer.edges].sort((a, b) => a.eventTime.localeCompare(b.eventTime)))
          t.push([label.get(e.from) ?? e.from, e.operation, label.get(e.to) ?? e.to, e.eventTime, e.eventId]);
        return `${answer.nodes.length} nodes, ${answer.edges.length} movements${answer.truncated ? pc.yellow(' (cut at the configured cap)') : ''}\n${t.toString()}`;
      });
    });

  addTarget(program.command('paths'))
    .description('how data got from one dataset to another: the earliest time-respecting path, hop by hop')
    .argument('<from-namespace>')
    .argument('<from-name>')
    .argument('<to-namespace>', "a dataset's namespace (or, with --actor, the reader's service)")
    .argument('<to-name>', "the dataset's name (or, with --actor, the reader's region)")
    .option('--actor', 'the target is a reader: <to-namespace> is its service, <to-name> its region')
    .option('--classification <label>', 'only hops that carry this label (derives that strip it do not count)')
    .action(
      async (
        fromNamespace: string,
        fromName: string,
        toA: string,
        toB: string,
        options: ApiTarget & { actor?: boolean; classification?: string },
      ) => {
        const to = options.actor ? { toService: toA, toRegion: toB } : { toNamespace: toA, toName: toB };
        const answer = PathsResponse.parse(
          await callApi(options, '/paths', { fromNamespace, fromName, ...to, classification: options.classification }),
        );
        print(options, answer, () => {
          const path = answer.paths[0];
          if (!path)
            return `no time-respecting path from ${fromNamespace} ${fromName}${answer.truncated ? pc.yellow(' (search cut at its cap)') : ''}`;
          const t = table(['#', 'node', 'where', 'via event', 'when', 'trace']);
          path.nodes.forEach((n, i) => {
            const edge = i > 0 ? path.edges[i - 1] : undefined;
            t.push([
              i + 1,
              nodeName(n),
              where(n),
              edge ? `${edge.operation} ${edge.eventId}` : 'origin',
              edge?.eventTime ?? '',
              edge?.traceId ?? '',
            ]);
          });
          return `${path.edges.length} hop${path.edges.length === 1 ? '' : 's'}, arrived ${path.arrivesAt}\n${t.toString()}`;
        });
      },
    );

  addTarget(program.command('node'))
    .description('one dataset: where it is (and how we know), the labels it holds, its alerts')
    .argument('<namespace>')
    .argument('<name>')
    .action(async (namespace: string, name: string, options: ApiTarget) => {
      const detail = NodeDetail.parse(await callApi(options, '/nodes/dataset', { namespace, name }));
      print(options, detail, () => {
        const lines = [
          `${pc.bold(nodeName(detail.node))} in ${where(detail.location)} (location from ${detail.location.source})${detail.deletedAt ? pc.green(`, deleted ${detail.deletedAt}`) : ''}`,
        ];
        for (const h of detail.holdings)
          lines.push(`  holds ${h.classification} since ${h.since}${h.viaEventId ? ` (via ${h.viaEventId})` : ' (asserted here)'}`);
        for (const a of detail.alerts) lines.push(`  ${formatAlertLine(a)}`);
        if (detail.alerts.length === 0) lines.push(pc.green('  no alerts'));
        return lines.join('\n');
      });
    });

  addTarget(program.command('residency'))
    .description('where a label lives now, and whether each place is approved')
    .argument('<classification>', 'the label, e.g. us-user-data')
    .option('--unapproved', 'only places no policy allows')
    .option('--limit <n>', 'list at most this many (the total is counted either way)', '1000')
    .option('--wide', 'do not fit the table to the terminal')
    .action(async (classification: string, options: ApiTarget & { unapproved?: boolean; limit: string; wide?: boolean }) => {
      const answer = ResidencyResponse.parse(
        await callApi(options, '/residency', {
          classification,
          approved: options.unapproved ? 'false' : undefined,
          limit: options.limit,
        }),
      );
      print(options, answer, () => {
        if (answer.total === 0) return `${classification}: held nowhere${options.unapproved ? ' unapproved' : ''}`;
        const head = ['node', 'where', 'approved', 'policies', 'since'];
        const rows = answer.holdings.map((h) => [
          nodeName(h.node),
          where(h.node),
          h.approved ? pc.green('yes') : pc.red(`no (${h.reason ?? ''})`),
          h.policyIds.join(', '),
          h.since,
        ]);
        const fitted = fitTable(head, rows, tableWidth(options.wide), { flexible: ['node', 'where', 'policies'], optional: ['since'] });
        const t = table(fitted.head);
        appendAll(t, fitted.rows);
        const bad = answer.holdings.filter((h) => !h.approved).length;
        const listed = answer.truncated
          ? pc.yellow(`listing ${answer.holdings.length} of ${answer.total} (raise --limit, or --json for scripts)`)
          : '';
        const summary = options.unapproved
          ? pc.red(`${answer.total} places not approved`)
          : `${answer.total} places${bad > 0 ? `, ${pc.red(`${bad}${answer.truncated ? '+' : ''} not approved`)}` : answer.truncated ? '' : `, ${pc.green('all approved')}`}`;
        return `${classification}: ${summary}${listed ? `; ${listed}` : ''}\n${t.toString()}`;
      });
    });

  addTarget(program.command('report'))
    .description('the audit report: a summary (violations by policy and region, egress routes, waivers), then residual copies with --full')
    .option('--policy <id>', 'only this policy')
    .option('--full', 'also every residual copy, fetched page by page')
    .option('--limit <n>', 'residual copies to list (without --full: none)', '0')
    .option('--offset <n>', 'where the list of residual copies starts', '0')
    .action(async (options: ApiTarget & { policy?: string; full?: boolean; limit: string; offset: string }) => {
      const wanted = options.full ? Number.POSITIVE_INFINITY : Number(options.limit);
      const page = async (offset: number, limit: number) =>
        Report.parse(await callApi(options, '/report', { policyId: options.policy, offset: String(offset), limit: String(limit) }));
      const report = await page(Number(options.offset), Math.max(1, Math.min(wanted, 10_000)));
      const copies = wanted > 0 ? [...report.residualCopies.copies] : [];
      while (copies.length < wanted && report.residualCopies.offset + copies.length < report.residualCopies.total) {
        const next = await page(report.residualCopies.offset + copies.length, Math.min(wanted - copies.length, 10_000));
        if (next.residualCopies.copies.length === 0) break;
        appendAll(copies, next.residualCopies.copies);
      }
      const shown: Report = {
        ...report,
        residualCopies: {
          ...report.residualCopies,
          copies,
          truncated: report.residualCopies.offset + copies.length < report.residualCopies.total,
        },
      };
      print(options, shown, () => {
        const { total, offset } = shown.residualCopies;
        const lines = [
          `${pc.bold('Residency report')} (${report.generatedAt}): ${pc.red(`${report.totals.open} open`)}, ${pc.green(`${report.totals.remediated} remediated`)}, ${total} residual copies`,
        ];
        const byPolicy = table(['policy', 'severity', 'open', 'remediated']);
        for (const p of report.byPolicy) byPolicy.push([p.policyId, p.severity, p.open, p.remediated]);
        const byRegion = table(['where', 'open', 'remediated']);
        for (const r of report.byRegion.slice(0, 10)) byRegion.push([where(r), r.open, r.remediated]);
        const routes = table(['from', 'to', 'labels', 'events']);
        for (const r of report.egressRoutes) routes.push([where(r.from), where(r.to), r.classifications.join(', '), r.events]);
        const waivers = table(['waiver of', 'covers', 'until', 'approved by']);
        for (const w of report.waivers.active)
          waivers.push([
            w.policyId,
            waiverScope(w),
            w.expiresWithin30Days ? pc.yellow(`${w.expiresAt} (soon)`) : w.expiresAt,
            w.approvedBy,
          ]);
        lines.push(
          byPolicy.toString(),
          report.byRegion.length > 0
            ? `${byRegion.toString()}${report.byRegion.length > 10 ? `\n${pc.yellow(`10 of ${report.byRegion.length} places; --json for all`)}` : ''}`
            : pc.green('no violations in any region'),
          routes.length > 0 ? routes.toString() : 'no egress of protected data',
          report.waivers.active.length > 0
            ? `${waivers.toString()}\n${report.waivers.active.length} waivers in force, ${report.waivers.expiringWithin30Days} ending within 30 days`
            : 'no waiver in force',
        );
        if (total === 0) lines.push(pc.green('no residual copies'));
        else if (copies.length === 0) lines.push(pc.yellow(`${total} residual copies: --full lists them (or --limit N)`));
        else {
          const residual = table(['residual copy', 'where', 'labels', 'since']);
          for (const r of copies) residual.push([nodeName(r.node), where(r.node), r.classifications.join(', '), r.since]);
          const more = shown.residualCopies.truncated ? pc.yellow(`; more: --offset ${offset + copies.length}, or --full`) : '';
          lines.push(residual.toString(), `residual copies ${offset + 1}–${offset + copies.length} of ${total}, oldest first${more}`);
        }
        return lines.join('\n');
      });
    });
}
