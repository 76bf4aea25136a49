import type { Command } from 'commander';
import type { CliIo, ExitCode, Finish, OutputStream } from '../cli-io.js';
import pc from 'picocolors';
import { checkEvents } from '../../check/check-events.js';
import { readEventFiles } from '../../check/read-event-files.js';
import { BorderlineError } from '../../errors/borderline-error.js';
import type { Alert, NodeRef } from '../../policy/alert.js';
import { withWaiver } from '../../alerts/waivers.js';
import { waiverExpiresAt } from '../../policy/waiver-dates.js';
import type { Waiver } from '../../policy/policy-file.js';
import { loadPolicyFile } from '../../policy/load-policy-file.js';
import { PolicyIndex } from '../../policy/policy-index.js';
import { nodeName, placeText } from '../../lineage/name-node.js';

/** Problems printed before "… and N more": enough to fix a file, not a screenful per line of a broken one. */
const SHOWN_PROBLEMS = 50;

/** Bad input for `check`: exits 2 with every problem listed (file:line: field: problem). */
export class CheckInputError extends BorderlineError {}

const where = (node: NodeRef) => `${nodeName(node, 'reader')}${placeText(node) ? ` @ ${placeText(node)}` : ' @ unknown location'}`;

/** An alert as `check` reports it: with the waiver that covers it now, if one does (docs/contract.md §12). */
export type CheckedAlert = Alert & { waived?: true; waiver?: Waiver };

/** One alert for people: status, severity, policy, node and place, reason, the waiver covering it, then the witness path hop by hop. */
export function describeCheckedAlert(alert: CheckedAlert): string {
  const status = alert.status === 'remediated' ? pc.green('remediated') : alert.waived ? pc.yellow('WAIVED') : pc.red('OPEN');
  const lines = [
    `${status} ${alert.severity} ${alert.policyId}: ${alert.classifications.join(', ')} at ${where(alert.node)} (${alert.reason}, ${alert.occurredAt})`,
  ];
  if (alert.status === 'open' && alert.waiver)
    lines.push(`    waived until ${alert.waiver.until}: ${alert.waiver.justification} (approved by ${alert.waiver.approvedBy})`);
  alert.path.forEach((node, i) => {
    const via = i === 0 ? 'origin' : `via ${alert.eventIds[i - 1] ?? '?'}`;
    lines.push(`    ${i === 0 ? ' ' : '→'} ${where(node)}  ${pc.dim(via)}`);
  });
  return lines.join('\n');
}

/** Progress of reading large files, on a terminal: `reading <file>: 120 of 338 MB`, at most twice a second. */
function showReading(err: OutputStream): (path: string, done: number, total: number) => void {
  let shownAt = 0;
  return (path, done, total) => {
    if (total < 64 << 20 || (Date.now() - shownAt < 500 && done < total)) return;
    shownAt = Date.now();
    const mb = (bytes: number) => Math.round(bytes / (1 << 20)).toLocaleString('en-US');
    err.write(`\r  reading ${path}: ${mb(done)} of ${mb(total)} MB${done === total ? '\n' : ''}`);
  };
}

/**
 * Output handed to `write` about a megabyte at a time: an estate's alerts can print more than one
 * string holds (`buffer.constants.MAX_STRING_LENGTH`, about 512 MB), and a write per alert is slow.
 */
function batchedWriter(write: (text: string) => void): { add: (text: string) => void; flush: () => void } {
  let parts: string[] = [];
  let size = 0;
  const flush = () => {
    if (parts.length > 0) write(parts.join(''));
    parts = [];
    size = 0;
  };
  return {
    add: (text) => {
      parts.push(text);
      size += text.length;
      if (size >= 1 << 20) flush();
    },
    flush,
  };
}

/** `{ "alerts": [Alert, …] }` exactly as `JSON.stringify(…, null, 2)` writes it, one alert at a time (see batchedWriter). */
export function writeAlertsJson(alerts: readonly CheckedAlert[], write: (text: string) => void): void {
  if (alerts.length === 0) return write('{\n  "alerts": []\n}\n');
  write('{\n  "alerts": [\n');
  // JSON.stringify escapes line breaks inside strings: every line break is between tokens, where the nesting indents.
  alerts.forEach((alert, i) => write(`${JSON.stringify(alert, null, 2).replace(/^/gm, '    ')}${i < alerts.length - 1 ? ',' : ''}\n`));
  write('  ]\n}\n');
}

interface CheckOptions {
  policy: string;
  events: string[];
  json?: boolean;
}

/**
 * `borderline check`: the tracker's evaluation on files (docs/contract.md §11); exit 0 nothing open, 3 open
 * alerts, 2 bad input. An open violation an unexpired waiver covers (§12) is shown as waived and does
 * not fail the check: the exception is approved in the policy file. An expired waiver covers nothing
 * (said on stderr).
 */
export async function runCheck(options: CheckOptions, io: CliIo): Promise<ExitCode> {
  const now = Date.now();
  const policies = new PolicyIndex(loadPolicyFile(options.policy, { now, expired: 'ignore' }));
  policies.waivers.forEach((w, i) => {
    if (waiverExpiresAt(w) <= now)
      io.stderr.write(`${pc.yellow('warning')}: waivers[${i}] (${w.policyId}) expired on ${w.until}: it covers nothing\n`);
  });
  const files = readEventFiles(options.events, policies.knownLabels, io.stderr.isTTY ? { onProgress: showReading(io.stderr) } : {});
  if (files.problems.length > 0) {
    const shown = files.problems.slice(0, SHOWN_PROBLEMS).join('\n');
    const more = files.problems.length > SHOWN_PROBLEMS ? `\n… and ${files.problems.length - SHOWN_PROBLEMS} more` : '';
    throw new CheckInputError(
      `${files.problems.length} problem${files.problems.length === 1 ? '' : 's'} in the events; nothing was evaluated:\n${shown}${more}`,
    );
  }
  const progress =
    io.stderr.isTTY && files.events.length > 100_000
      ? (done: number) =>
          io.stderr.write(`\r  evaluated ${done.toLocaleString('en-US')} of ${files.events.length.toLocaleString('en-US')} events`)
      : undefined;
  const outcome = await checkEvents(files.events, files.datasets, policies, progress ? { onProgress: progress } : {});
  if (progress) io.stderr.write('\n');
  const alerts: CheckedAlert[] = outcome.alerts.map((a) => (a.status === 'open' ? withWaiver(a, policies.waivers, now) : a));
  const open = alerts.filter((a) => a.status === 'open').length;
  const waived = alerts.filter((a) => a.status === 'open' && a.waived).length;
  const out = batchedWriter((text) => io.stdout.write(text));
  if (options.json) writeAlertsJson(alerts, out.add);
  else {
    const n = (count: number) => count.toLocaleString('en-US');
    const read = `${n(outcome.events)} events (${n(files.counts.native)} native, ${n(files.counts.openLineage)} OpenLineage) from ${n(options.events.length)} file${options.events.length === 1 ? '' : 's'}`;
    const verdict =
      outcome.alerts.length === 0
        ? pc.green('no alert')
        : `${n(alerts.length)} alert${alerts.length === 1 ? '' : 's'}: ${n(open)} open${waived > 0 ? ` (${n(waived)} waived)` : ''}, ${n(alerts.length - open)} remediated`;
    for (const alert of alerts) out.add(`${describeCheckedAlert(alert)}\n\n`);
    out.add(`${read}: ${verdict}\n`);
  }
  out.flush();
  return open - waived > 0 ? 3 : 0;
}

export function addCheckCommand(program: Command, io: CliIo, finish: Finish): void {
  program
    .command('check')
    .description(
      "evaluate event files offline with the tracker's rules, no Kafka or Neo4j (exit 0 nothing open but waived, 3 open alerts, 2 bad input)",
    )
    .requiredOption('--policy <file>', 'the policy YAML')
    .requiredOption('--events <files...>', 'NDJSON or JSON-array files of data-movement events or OpenLineage RunEvents')
    .option('--json', 'print the alerts as JSON ({ "alerts": [Alert, …] }, final states; waived: true and the waiver where one covers)')
    .action(async (options: CheckOptions) => finish(await runCheck(options, io)));
}
