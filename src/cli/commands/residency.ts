import type { Command } from 'commander';
import pc from 'picocolors';
import { appendAll } from '../../collections/append-all.js';
import { nodeName } from '../../lineage/name-node.js';
import { ResidencyAnswer } from '../../api/api-schemas.js';
import { addApiTarget, callApi, type ApiTarget } from '../api-client.js';
import type { CliIo, ExitCode, Finish } from '../cli-io.js';
import { fitTable, tableWidth } from '../fit-table.js';
import { printAnswer, table, where } from '../render-answer.js';

export interface ResidencyOptions extends ApiTarget {
  unapproved?: boolean;
  limit: string;
  wide?: boolean;
}

/** `borderline residency LABEL`: where a label lives now, each place approved or not, with the true total. */
export async function runResidency(classification: string, options: ResidencyOptions, io: CliIo): Promise<ExitCode> {
  const answer = ResidencyAnswer.parse(
    await callApi(options, '/residency', { classification, approved: options.unapproved ? 'false' : undefined, limit: options.limit }),
  );
  printAnswer(io.stdout, options, answer, () => {
    if (answer.total === 0) return `${classification}: held nowhere${options.unapproved ? ' unapproved' : ''}`;
    const head = ['node', 'where', 'approved', 'policies', 'since'];
    const rows = answer.holdings.map((h) => [
      nodeName(h.node),
      where(h.node),
      h.approved ? pc.green('yes') : pc.red(`no (${h.reason ?? ''})`),
      h.policyIds.join(', '),
      h.since,
    ]);
    const fitted = fitTable(head, rows, tableWidth(options.wide, io.stdout), {
      flexible: ['node', 'where', 'policies'],
      optional: ['since'],
    });
    const t = table(fitted.head);
    appendAll(t, fitted.rows);
    const bad = answer.holdings.filter((h) => !h.approved).length;
    const listed = answer.truncated
      ? pc.yellow(`listing ${answer.holdings.length} of ${answer.total} (raise --limit, or --json for scripts)`)
      : '';
    const unapproved =
      bad > 0
        ? `, ${pc.red(`${bad}${answer.truncated ? '+' : ''} not approved`)}`
        : answer.truncated
          ? ''
          : `, ${pc.green('all approved')}`;
    const summary = options.unapproved ? pc.red(`${answer.total} places not approved`) : `${answer.total} places${unapproved}`;
    return `${classification}: ${summary}${listed ? `; ${listed}` : ''}\n${t.toString()}`;
  });
  return 0;
}

export function addResidencyCommand(program: Command, io: CliIo, finish: Finish): void {
  addApiTarget(program.command('residency'), io.env)
    .description('where a label lives now, and whether each place is approved')
    .argument('<classification>', 'the label, e.g. us-user-data')
    .option('--unapproved', 'only places no policy allows')
    .option('--limit <n>', 'list at most this many (the total is counted either way)', '1000')
    .option('--wide', 'do not fit the table to the terminal')
    .action(async (classification: string, options: ResidencyOptions) => finish(await runResidency(classification, options, io)));
}
