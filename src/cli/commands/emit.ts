import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { CliIo, ExitCode, Finish } from '../cli-io.js';
import pc from 'picocolors';
import { createLineageEmitter } from '../../sdk/create-lineage-emitter.js';
import { ConfigurationError } from '../../errors/borderline-error.js';
import type { DatasetRef } from '../../events/dataset-ref.js';
import type { EventDraft } from '../../events/event-draft.js';
import { jsonLines } from '../../check/read-event-files.js';

export interface EmitOptions {
  from?: string[];
  to?: string[];
  classification?: string[];
  removes?: string[];
  fromRegion?: string;
  fromProvider?: string;
  toRegion?: string;
  toProvider?: string;
  actorService?: string;
  actorRegion?: string;
  actorProvider?: string;
  time?: string;
  file?: string;
  brokers: string;
  topic: string;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** `NAMESPACE#NAME` → a dataset reference. */
function parseRef(
  text: string,
  flag: string,
  where: { region?: string | undefined; provider?: string | undefined },
  classifications?: string[],
): DatasetRef {
  const at = text.lastIndexOf('#');
  if (at <= 0 || at === text.length - 1)
    throw new ConfigurationError(`${flag} "${text}": expected NAMESPACE#NAME, e.g. postgres://users-db#public.profiles`);
  return {
    namespace: text.slice(0, at),
    name: text.slice(at + 1),
    ...(where.region ? { region: where.region } : {}),
    ...(where.provider ? { provider: where.provider } : {}),
    ...(classifications && classifications.length > 0 ? { classifications } : {}),
  };
}

/** An event read from a file, and where it is (`file:line` in NDJSON, `event i of n` in an array; empty for a lone event). */
interface FileDraft {
  draft: EventDraft;
  where: string;
}

/** Events from a file: one JSON event, a JSON array, or one event per line (NDJSON, a bad line named by its number); `-` reads stdin. */
function readEvents(path: string): FileDraft[] {
  const whole = readFileSync(path === '-' ? 0 : path, 'utf8');
  const text = whole.trim();
  const notJson = (where: string, problem: string) =>
    new ConfigurationError(`${where}: ${problem}; expected an event, an array of events, or one event per line`);
  if (text.startsWith('[') || !text.includes('\n')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw notJson(path, `not JSON (${(error as Error).message})`);
    }
    if (!Array.isArray(parsed)) return [{ draft: parsed as EventDraft, where: '' }];
    return (parsed as EventDraft[]).map((draft, i) => ({ draft, where: `event ${i + 1} of ${parsed.length}` }));
  }
  const drafts: FileDraft[] = [];
  for (const record of jsonLines(whole.split('\n').map((line, i) => ({ line: i + 1, text: line })))) {
    if ('message' in record) throw notJson(`${path}:${record.line}`, record.message);
    drafts.push({ draft: record.value as EventDraft, where: `${path}:${record.line}` });
  }
  return drafts;
}

function draftFromFlags(operation: string, o: EmitOptions): EventDraft {
  const operations = ['copy', 'move', 'derive', 'access', 'delete'];
  if (!operations.includes(operation)) throw new ConfigurationError(`operation "${operation}": expected one of ${operations.join(', ')}`);
  if (!o.from?.length) throw new ConfigurationError('--from: required (NAMESPACE#NAME of an input dataset)');
  const inputs = o.from.map((f, i) =>
    parseRef(f, '--from', { region: o.fromRegion, provider: o.fromProvider }, i === 0 ? o.classification : undefined),
  );
  const outputs = (o.to ?? []).map((t) => parseRef(t, '--to', { region: o.toRegion, provider: o.toProvider }));
  return {
    operation: operation as EventDraft['operation'],
    inputs,
    ...(outputs.length > 0 ? { outputs } : {}),
    ...(o.removes?.length ? { removesClassifications: o.removes } : {}),
    ...(o.actorService || o.actorRegion
      ? {
          actor: {
            ...(o.actorService ? { service: o.actorService } : {}),
            ...(o.actorRegion ? { region: o.actorRegion } : {}),
            ...(o.actorProvider ? { provider: o.actorProvider } : {}),
          },
        }
      : {}),
    ...(o.time ? { eventTime: o.time } : {}),
  };
}

/** `borderline emit`: sends data-movement events through the SDK (validated first; nothing invalid is sent). */
export async function runEmit(operation: string | undefined, options: EmitOptions, io: CliIo): Promise<ExitCode> {
  if (options.file && operation) throw new ConfigurationError('give either an operation with flags or --file, not both');
  if (!options.file && !operation)
    throw new ConfigurationError('give an operation (copy, move, derive, access, delete) or --file; see borderline emit --help');
  const drafts = options.file ? readEvents(options.file) : [{ draft: draftFromFlags(operation ?? '', options), where: '' }];
  const emitter = createLineageEmitter({ brokers: options.brokers.split(',').map((b) => b.trim()), topic: options.topic });
  const tty = io.stderr.isTTY;
  let sent = 0;
  try {
    let inFlight: Array<Promise<unknown>> = [];
    for (const { draft, where } of drafts) {
      let accepted;
      try {
        accepted = emitter.emit(draft); // validates at once: throws naming the field
      } catch (error) {
        throw where ? new ConfigurationError(`${where}: ${(error as Error).message}`) : error;
      }
      inFlight.push(
        accepted.then((event) => {
          sent += 1;
          if (drafts.length === 1) io.stdout.write(`${pc.green('sent')} ${event.operation} ${event.eventId}\n`);
          else if (tty && sent % 500 === 0) io.stderr.write(`\r${sent}/${drafts.length} sent`);
        }),
      );
      if (inFlight.length >= 1_000) {
        await Promise.all(inFlight);
        inFlight = [];
      }
    }
    await Promise.all(inFlight);
    await emitter.flush();
  } finally {
    await emitter.close();
  }
  if (drafts.length > 1) io.stdout.write(`${tty ? '\r' : ''}${pc.green('sent')} ${sent} events to ${options.topic}\n`);
  return 0;
}

/** Registers `emit` and its flags. */
export function addEmitCommand(program: Command, io: CliIo, finish: Finish): void {
  program
    .command('emit')
    .description('send a data-movement event to Kafka through the SDK: from flags, or from a JSON file')
    .argument('[operation]', 'copy, move, derive, access or delete (with flags; not with --file)')
    .option('--from <ref>', 'input dataset as NAMESPACE#NAME (repeatable)', collect)
    .option('--to <ref>', 'output dataset as NAMESPACE#NAME (repeatable)', collect)
    .option('--classification <label>', 'label asserted on the first input (repeatable)', collect)
    .option('--removes <label>', 'derive only: a label the output no longer carries (repeatable)', collect)
    .option('--from-region <region>', 'region of the inputs')
    .option('--from-provider <provider>', 'provider of the inputs (aws, gcp, azure, oci, …)')
    .option('--to-region <region>', 'region of the outputs')
    .option('--to-provider <provider>', 'provider of the outputs')
    .option('--actor-service <service>', 'who moved or read the data (default: OTEL_SERVICE_NAME)')
    .option('--actor-region <region>', 'where the actor ran (required for access, unless cloud.region is set)')
    .option('--actor-provider <provider>', "the actor's provider")
    .option('--time <rfc3339>', 'when it happened (default: now)')
    .option('--file <path>', 'events as JSON (one, an array, or one per line); - for stdin')
    .option('--brokers <list>', 'Kafka brokers (env KAFKA_BROKERS)', io.env.KAFKA_BROKERS ?? '127.0.0.1:9092')
    .option('--topic <topic>', 'events topic (env BORDERLINE_EVENTS_TOPIC)', io.env.BORDERLINE_EVENTS_TOPIC ?? 'lineage.events')
    .addHelpText(
      'after',
      `
Examples:
  $ borderline emit copy --from 'postgres://users-db#public.profiles' --from-region us-ashburn-1 --from-provider oci \\
      --classification us-user-data --to 's3://tt-backup-sg#profiles' --actor-service backup-job --actor-region ap-southeast-1
  $ borderline emit access --from 'postgres://users-db#public.profiles' --actor-service admin-tool --actor-region eu-west-2
  $ borderline emit --file events.ndjson`,
    )
    .action(async (operation: string | undefined, options: EmitOptions) => finish(await runEmit(operation, options, io)));
}
