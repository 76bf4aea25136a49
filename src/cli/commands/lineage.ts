import type { Command } from 'commander';
import pc from 'picocolors';
import { nodeName } from '../../lineage/name-node.js';
import { LineageAnswer } from '../../api/api-schemas.js';
import { addApiTarget, callApi, type ApiTarget } from '../api-client.js';
import type { CliIo, ExitCode, Finish } from '../cli-io.js';
import { printAnswer, table } from '../render-answer.js';

export interface LineageOptions extends ApiTarget {
  direction: string;
  depth: string;
}

/** `borderline lineage NAMESPACE NAME`: the movements around a dataset, oldest first. */
export async function runLineage(namespace: string, name: string, options: LineageOptions, io: CliIo): Promise<ExitCode> {
  const answer = LineageAnswer.parse(
    await callApi(options, '/lineage', { namespace, name, direction: options.direction, depth: options.depth }),
  );
  printAnswer(io.stdout, options, answer, () => {
    const label = new Map(answer.nodes.map((n) => [n.id, `${nodeName(n)}${n.openAlertIds.length > 0 ? pc.red(' ⚠') : ''}`]));
    const t = table(['from', 'operation', 'to', 'when', 'event']);
    for (const e of [...answer.edges].sort((a, b) => a.eventTime.localeCompare(b.eventTime)))
      t.push([label.get(e.from) ?? e.from, e.operation, label.get(e.to) ?? e.to, e.eventTime, e.eventId]);
    return `${answer.nodes.length} nodes, ${answer.edges.length} movements${answer.truncated ? pc.yellow(' (cut at the configured cap)') : ''}\n${t.toString()}`;
  });
  return 0;
}

export function addLineageCommand(program: Command, io: CliIo, finish: Finish): void {
  addApiTarget(program.command('lineage'), io.env)
    .description("show where a dataset's data came from and went")
    .argument('<namespace>', "the dataset's namespace, e.g. postgres://users-db")
    .argument('<name>', "the dataset's name, e.g. public.profiles")
    .option('--direction <direction>', 'upstream, downstream or both', 'both')
    .option('--depth <n>', 'how many hops', '3')
    .action(async (namespace: string, name: string, options: LineageOptions) => finish(await runLineage(namespace, name, options, io)));
}
