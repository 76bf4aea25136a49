import type { Command } from 'commander';
import pc from 'picocolors';
import { nodeName } from '../../lineage/name-node.js';
import { NodeDetail } from '../../api/api-schemas.js';
import { addApiTarget, callApi, type ApiTarget } from '../api-client.js';
import type { CliIo, ExitCode, Finish } from '../cli-io.js';
import { formatAlertLine, printAnswer, where } from '../render-answer.js';

/** `borderline node NAMESPACE NAME`: where a dataset is (and how we know), what it holds, its alerts. */
export async function runNode(namespace: string, name: string, options: ApiTarget, io: CliIo): Promise<ExitCode> {
  const detail = NodeDetail.parse(await callApi(options, '/nodes/dataset', { namespace, name }));
  printAnswer(io.stdout, options, detail, () => {
    const deleted = detail.deletedAt ? pc.green(`, deleted ${detail.deletedAt}`) : '';
    const lines = [`${pc.bold(nodeName(detail.node))} in ${where(detail.location)} (location from ${detail.location.source})${deleted}`];
    for (const h of detail.holdings)
      lines.push(`  holds ${h.classification} since ${h.since}${h.viaEventId ? ` (via ${h.viaEventId})` : ' (asserted here)'}`);
    for (const a of detail.alerts) lines.push(`  ${formatAlertLine(a)}`);
    if (detail.alerts.length === 0) lines.push(pc.green('  no alerts'));
    return lines.join('\n');
  });
  return 0;
}

export function addNodeCommand(program: Command, io: CliIo, finish: Finish): void {
  addApiTarget(program.command('node'), io.env)
    .description('one dataset: where it is (and how we know), the labels it holds, its alerts')
    .argument('<namespace>')
    .argument('<name>')
    .action(async (namespace: string, name: string, options: ApiTarget) => finish(await runNode(namespace, name, options, io)));
}
