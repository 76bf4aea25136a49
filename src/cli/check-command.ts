import type { Command } from 'commander';
import pc from 'picocolors';
import { checkEvents } from '../check/check-events.js';
import { readEventFiles } from '../check/read-event-files.js';
import { BorderlineError } from '../errors/borderline-error.js';
import type { Alert, NodeRef } from '../policy/alert.js';
import { loadPolicyFile } from '../policy/load-policy-file.js';
import { PolicyIndex } from '../policy/policy-index.js';
import { nodeName, placeText } from '../query/describe-node.js';

/** Problems printed before "… and N more": enough to fix a file, not a screenful per line of a broken one. */
const SHOWN_PROBLEMS = 50;

/** Bad input for `check`: exits 2 with every problem listed (file:line: field: problem). */
export class CheckInputError extends BorderlineError {}

const where = (node: NodeRef) => `${nodeName(node, 'reader')}${placeText(node) ? ` @ ${placeText(node)}` : ' @ unknown location'}`;

/** One alert for people: status, severity, policy, node and place, reason, then the witness path hop by hop. */
export function describeCheckedAlert(alert: Alert): string {
  const status = alert.status === 'open' ? pc.red('OPEN') : pc.green('remediated');
  const lines = [
    `${status} ${alert.severity} ${alert.policyId}: ${alert.classifications.join(', ')} at ${where(alert.node)} (${alert.reason}, ${alert.occurredAt})`,
  ];
  alert.path.forEach((node, i) => {
    const via = i === 0 ? 'origin' : `via ${alert.eventIds[i - 1] ?? '?'}`;
    lines.push(`    ${i === 0 ? ' ' : '→'} ${where(node)}  ${pc.dim(via)}`);
  });
  return lines.join('\n');
}

interface CheckOptions {
  policy: string;
  events: string[];
  json?: boolean;
}

/** `borderline check`: the tracker's evaluation on files (CONTRACT §11); exit 0 nothing open, 3 open alerts, 2 bad input. */
export async function runCheck(options: CheckOptions): Promise<void> {
  const policies = new PolicyIndex(loadPolicyFile(options.policy));
  const files = readEventFiles(options.events, policies.knownLabels);
  if (files.problems.length > 0) {
    const shown = files.problems.slice(0, SHOWN_PROBLEMS).join('\n');
    const more = files.problems.length > SHOWN_PROBLEMS ? `\n… and ${files.problems.length - SHOWN_PROBLEMS} more` : '';
    throw new CheckInputError(
      `${files.problems.length} problem${files.problems.length === 1 ? '' : 's'} in the events; nothing was evaluated:\n${shown}${more}`,
    );
  }
  const progress =
    process.stderr.isTTY && files.events.length > 100_000
      ? (done: number) => process.stderr.write(`\r  evaluated ${done} of ${files.events.length} events`)
      : undefined;
  const outcome = await checkEvents(files.events, files.datasets, policies, progress ? { onProgress: progress } : {});
  if (progress) process.stderr.write('\n');
  const open = outcome.alerts.filter((a) => a.status === 'open').length;
  if (options.json) process.stdout.write(`${JSON.stringify({ alerts: outcome.alerts }, null, 2)}\n`);
  else {
    const read = `${outcome.events} events (${files.counts.native} native, ${files.counts.openLineage} OpenLineage) from ${options.events.length} file${options.events.length === 1 ? '' : 's'}`;
    const verdict =
      outcome.alerts.length === 0
        ? pc.green('no alert')
        : `${outcome.alerts.length} alert${outcome.alerts.length === 1 ? '' : 's'}: ${open} open, ${outcome.alerts.length - open} remediated`;
    process.stdout.write(`${[...outcome.alerts.map(describeCheckedAlert), `${read}: ${verdict}`].join('\n\n')}\n`);
  }
  process.exitCode = open > 0 ? 3 : 0;
}

export function addCheckCommand(program: Command): void {
  program
    .command('check')
    .description(
      "evaluate event files offline with the tracker's rules, no Kafka or Neo4j (exit 0 nothing open, 3 open alerts, 2 bad input)",
    )
    .requiredOption('--policy <file>', 'the policy YAML')
    .requiredOption('--events <files...>', 'NDJSON or JSON-array files of data-movement events or OpenLineage RunEvents')
    .option('--json', 'print the alerts as JSON ({ "alerts": [Alert, …] }, final states)')
    .action((options: CheckOptions) => runCheck(options));
}
