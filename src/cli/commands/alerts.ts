import type { Command } from 'commander';
import pc from 'picocolors';
import { appendAll } from '../../collections/append-all.js';
import { nodeName } from '../../lineage/name-node.js';
import { AlertsResponse } from '../../api/api-schemas.js';
import { addApiTarget, callApi, type ApiTarget } from '../api-client.js';
import type { CliIo, ExitCode, Finish } from '../cli-io.js';
import { fitTable, tableWidth } from '../fit-table.js';
import { pathText, printAnswer, statusText, table, where } from '../render-answer.js';

/** How the alerts table fits a terminal: which columns may be cut, and which go first when that is not enough. */
const ALERT_COLUMNS = { flexible: ['policy', 'node', 'where', 'path'], optional: ['detected', 'severity'] };

export interface AlertsOptions extends ApiTarget {
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

/** `borderline alerts`: one page (or, with --all, every page) of the alerts; 3 with --fail-on-open when any is open. */
export async function runAlerts(options: AlertsOptions, io: CliIo): Promise<ExitCode> {
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
  printAnswer(io.stdout, options, answer, () => {
    const counts = `${answer.total} matching (${answer.counts.open} open · ${answer.counts.remediated} remediated over every status)`;
    if (alerts.length === 0) return answer.total === 0 ? pc.green('no alerts') : `no alerts on this page; ${counts}`;
    const head = ['status', 'policy', 'severity', 'node', 'where', 'path', 'detected'];
    const rows = alerts.map((a) => [
      [statusText(a.status), a.waived ? pc.yellow('waived') : '', a.triage?.state === 'acknowledged' ? pc.cyan('ack') : '']
        .filter(Boolean)
        .join(' '),
      a.policyId,
      a.severity,
      nodeName(a.node),
      where(a.node),
      pathText(a.path),
      a.detectedAt.replace(/\.\d+Z$/, 'Z'),
    ]);
    const fitted = fitTable(head, rows, tableWidth(options.wide, io.stdout), ALERT_COLUMNS);
    const t = table(fitted.head);
    appendAll(t, fitted.rows);
    const shown = `alerts ${answer.offset + 1}–${answer.offset + alerts.length} of ${counts}`;
    const more = answer.truncated ? pc.yellow(`; more: --offset ${answer.offset + alerts.length}, or --all`) : '';
    return `${t.toString()}\n${shown}${more}`;
  });
  return options.failOnOpen && (options.status === 'remediated' ? 0 : answer.counts.open) > 0 ? 3 : 0;
}

export function addAlertsCommand(program: Command, io: CliIo, finish: Finish): void {
  addApiTarget(program.command('alerts'), io.env)
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
    .action(async (options: AlertsOptions) => finish(await runAlerts(options, io)));
}
