#!/usr/bin/env node
import { Command } from 'commander';
import { BorderlineError } from '../errors/borderline-error.js';
import { addCheckCommand } from './check-command.js';
import { addEmitCommand } from './emit-command.js';
import { runPolicyCheck } from './policy-check.js';
import { addQueryCommands } from './query-commands.js';
import { addSimulateCommand } from './simulate-command.js';
import { runServe } from './serve.js';

const program = new Command()
  .name('borderline')
  .description('Data-lineage tracker: Kafka data-movement events into a Neo4j lineage graph, with residency alerts.')
  .showHelpAfterError();

program
  .command('serve')
  .description('run the consumer, the alerting and the API in one process (configuration from the environment, see docs/configuration.md)')
  .action(async () => {
    await runServe(process.env);
  });

const policy = program.command('policy').description('work with policy files');
policy
  .command('check')
  .description('validate a policy file and summarise what each policy allows where (exit 2 when invalid)')
  .argument('<file>', 'the policy YAML')
  .option('--json', 'print the validated file, defaults filled in, as JSON')
  .action((file: string, options: { json?: boolean }) => runPolicyCheck(file, options));

addCheckCommand(program);
addEmitCommand(program);
addQueryCommands(program);
addSimulateCommand(program);
program.addHelpText(
  'after',
  `
Exit codes: 0 done; 1 a service could not be reached or failed; 2 bad input (names what to fix); 3 alerts --fail-on-open (or check) found open alerts.
Configuration of serve: environment variables, see docs/configuration.md. Examples:
  $ borderline policy check examples/policy.yaml
  $ borderline check --policy examples/policy.yaml --events examples/events/*.ndjson
  $ BORDERLINE_POLICY=examples/policy.yaml borderline serve
  $ borderline alerts --status open
  $ borderline lineage postgres://users-db public.profiles --direction downstream --depth 5
  $ borderline residency us-user-data --unapproved
  $ borderline report --json > report.json
  $ borderline simulate --rate 500 --duration 60`,
);

// A reader that stops early (`borderline alerts --json | head`) closes the pipe: end quietly, as
// Unix tools do, instead of dying on EPIPE with a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // A configuration or usage error gets its message alone; anything else its stack, for the bug report.
  process.stderr.write(`borderline: ${error instanceof BorderlineError ? error.message : String((error as Error).stack ?? error)}\n`);
  process.exitCode = error instanceof BorderlineError && !error.retriable ? 2 : 1;
}
