import type { Command } from 'commander';
import pc from 'picocolors';
import { nodeName } from '../../lineage/name-node.js';
import { PathsAnswer } from '../../api/api-schemas.js';
import { addApiTarget, callApi, type ApiTarget } from '../api-client.js';
import type { CliIo, ExitCode, Finish } from '../cli-io.js';
import { printAnswer, table, where } from '../render-answer.js';

export interface PathsOptions extends ApiTarget {
  actor?: boolean;
  classification?: string;
}

/** The two ends of `borderline paths`, as given on the command line. */
export interface PathEnds {
  fromNamespace: string;
  fromName: string;
  /** A dataset's namespace, or (with --actor) the reader's service. */
  toA: string;
  /** A dataset's name, or (with --actor) the reader's region. */
  toB: string;
}

/** `borderline paths`: the earliest time-respecting path from one dataset to another or to a reader, hop by hop. */
export async function runPaths(ends: PathEnds, options: PathsOptions, io: CliIo): Promise<ExitCode> {
  const { fromNamespace, fromName, toA, toB } = ends;
  const to = options.actor ? { toService: toA, toRegion: toB } : { toNamespace: toA, toName: toB };
  const answer = PathsAnswer.parse(
    await callApi(options, '/paths', { fromNamespace, fromName, ...to, classification: options.classification }),
  );
  printAnswer(io.stdout, options, answer, () => {
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
  return 0;
}

export function addPathsCommand(program: Command, io: CliIo, finish: Finish): void {
  addApiTarget(program.command('paths'), io.env)
    .description('how data got from one dataset to another: the earliest time-respecting path, hop by hop')
    .argument('<from-namespace>')
    .argument('<from-name>')
    .argument('<to-namespace>', "a dataset's namespace (or, with --actor, the reader's service)")
    .argument('<to-name>', "the dataset's name (or, with --actor, the reader's region)")
    .option('--actor', 'the target is a reader: <to-namespace> is its service, <to-name> its region')
    .option('--classification <label>', 'only hops that carry this label (derives that strip it do not count)')
    .action(async (fromNamespace: string, fromName: string, toA: string, toB: string, options: PathsOptions) =>
      finish(await runPaths({ fromNamespace, fromName, toA, toB }, options, io)),
    );
}
