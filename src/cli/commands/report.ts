import type { Command } from 'commander';
import pc from 'picocolors';
import { appendAll } from '../../collections/append-all.js';
import { nodeName } from '../../lineage/name-node.js';
import { waiverScope } from '../../alerts/waivers.js';
import { Report } from '../../api/api-schemas.js';
import { addApiTarget, callApi, type ApiTarget } from '../api-client.js';
import type { CliIo, ExitCode, Finish } from '../cli-io.js';
import { printAnswer, table, where } from '../render-answer.js';

export interface ReportOptions extends ApiTarget {
  policy?: string;
  full?: boolean;
  limit: string;
  offset: string;
}

/** The report with the residual copies asked for: none by default, --limit of them, or (--full) all, page by page. */
async function fetchReport(options: ReportOptions): Promise<Report> {
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
  const truncated = report.residualCopies.offset + copies.length < report.residualCopies.total;
  return { ...report, residualCopies: { ...report.residualCopies, copies, truncated } };
}

/** The report for people: totals, violations by policy and by place, egress routes, waivers, residual copies. */
function renderReport(report: Report): string {
  const { total, offset, copies } = report.residualCopies;
  const lines = [
    `${pc.bold('Residency report')} (${report.generatedAt}${report.judgedBy ? `, policy ${report.judgedBy.fingerprint.slice(0, 12)}` : ''}): ${pc.red(`${report.totals.open} open`)}, ${pc.green(`${report.totals.remediated} remediated`)}, ${total} residual copies`,
  ];
  const byPolicy = table(['policy', 'severity', 'open', 'remediated']);
  for (const p of report.byPolicy) byPolicy.push([p.policyId, p.severity, p.open, p.remediated]);
  const byRegion = table(['where', 'open', 'remediated']);
  for (const r of report.byRegion.slice(0, 10)) byRegion.push([where(r), r.open, r.remediated]);
  const routes = table(['from', 'to', 'labels', 'events']);
  for (const r of report.egressRoutes) routes.push([where(r.from), where(r.to), r.classifications.join(', '), r.events]);
  const waivers = table(['waiver of', 'covers', 'until', 'approved by']);
  for (const w of report.waivers.active)
    waivers.push([w.policyId, waiverScope(w), w.expiresWithin30Days ? pc.yellow(`${w.expiresAt} (soon)`) : w.expiresAt, w.approvedBy]);
  const moreRegions = report.byRegion.length > 10 ? `\n${pc.yellow(`10 of ${report.byRegion.length} places; --json for all`)}` : '';
  lines.push(
    byPolicy.toString(),
    report.byRegion.length > 0 ? `${byRegion.toString()}${moreRegions}` : pc.green('no violations in any region'),
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
    const more = report.residualCopies.truncated ? pc.yellow(`; more: --offset ${offset + copies.length}, or --full`) : '';
    lines.push(residual.toString(), `residual copies ${offset + 1}–${offset + copies.length} of ${total}, oldest first${more}`);
  }
  return lines.join('\n');
}

/** `borderline report`: the audit report (docs/api.md). */
export async function runReport(options: ReportOptions, io: CliIo): Promise<ExitCode> {
  const report = await fetchReport(options);
  printAnswer(io.stdout, options, report, () => renderReport(report));
  return 0;
}

export function addReportCommand(program: Command, io: CliIo, finish: Finish): void {
  addApiTarget(program.command('report'), io.env)
    .description('the audit report: a summary (violations by policy and region, egress routes, waivers), then residual copies with --full')
    .option('--policy <id>', 'only this policy')
    .option('--full', 'also every residual copy, fetched page by page')
    .option('--limit <n>', 'residual copies to list (without --full: none)', '0')
    .option('--offset <n>', 'where the list of residual copies starts', '0')
    .action(async (options: ReportOptions) => finish(await runReport(options, io)));
}
