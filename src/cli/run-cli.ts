import { Command, CommanderError } from 'commander';
import { BorderlineError } from '../errors/borderline-error.js';
import type { CliIo, ExitCode } from './cli-io.js';
import { addAlertsCommand } from './commands/alerts.js';
import { addCheckCommand } from './commands/check.js';
import { addEmitCommand } from './commands/emit.js';
import { addLineageCommand } from './commands/lineage.js';
import { addNodeCommand } from './commands/node.js';
import { addPathsCommand } from './commands/paths.js';
import { addPolicyCommands } from './commands/policy-check.js';
import { addReportCommand } from './commands/report.js';
import { addResidencyCommand } from './commands/residency.js';
import { addSimulateCommand } from './commands/simulate.js';
import { addTriageCommand } from './commands/triage.js';
import { runServe } from './serve.js';

const EXAMPLES = `
Exit codes: 0 done; 1 a service could not be reached or failed; 2 bad input (names what to fix); 3 alerts --fail-on-open (or check) found open alerts.
Configuration of serve: environment variables, see docs/configuration.md. Examples:
  $ borderline policy check examples/policy.yaml
  $ borderline policy apply new-policy.yaml --dry-run
  $ borderline check --policy examples/policy.yaml --events examples/events/*.ndjson
  $ BORDERLINE_POLICY=examples/policy.yaml borderline serve
  $ borderline alerts --status open
  $ borderline lineage postgres://users-db public.profiles --direction downstream --depth 5
  $ borderline residency us-user-data --unapproved
  $ borderline report --json > report.json
  $ borderline simulate --rate 500 --duration 60`;

/**
 * Runs `borderline` with these arguments (without node and the script): every command writes through
 * `io` and returns its exit code, decided here for errors too, so commands are tested in-process.
 * A usage error gets commander's message and code; a BorderlineError its message alone (exit 2 for
 * bad input, 1 for a service that failed or could not be reached); anything else its stack, for the
 * bug report, and exit 1.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  let code: ExitCode = 0;
  const finish = (c: ExitCode) => {
    code = c;
  };
  const program = new Command()
    .name('borderline')
    .description('Data-lineage tracker: Kafka data-movement events into a Neo4j lineage graph, with residency alerts.')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) });
  program
    .command('serve')
    .description(
      'run the consumer, the alerting and the API in one process (configuration from the environment, see docs/configuration.md)',
    )
    .action(async () => {
      await runServe({ ...io.env });
    });
  addPolicyCommands(program, io, finish);
  addCheckCommand(program, io, finish);
  addEmitCommand(program, io, finish);
  addAlertsCommand(program, io, finish);
  addTriageCommand(program, io, finish);
  addLineageCommand(program, io, finish);
  addPathsCommand(program, io, finish);
  addNodeCommand(program, io, finish);
  addResidencyCommand(program, io, finish);
  addReportCommand(program, io, finish);
  addSimulateCommand(program, io, finish);
  program.addHelpText('after', EXAMPLES);
  for (const command of program.commands) command.exitOverride();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 1;
    io.stderr.write(`borderline: ${error instanceof BorderlineError ? error.message : String((error as Error).stack ?? error)}\n`);
    return error instanceof BorderlineError && !error.retriable ? 2 : 1;
  }
}
