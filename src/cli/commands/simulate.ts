import type { Command } from 'commander';
import type { CliIo, ExitCode, Finish } from '../cli-io.js';
import pc from 'picocolors';
import { createKafkaClient } from '../../adapters/kafka/create-kafka-client.js';
import { createLineageEmitter } from '../../sdk/create-lineage-emitter.js';
import { ensureTopics } from '../../adapters/kafka/ensure-topics.js';
import { ConfigurationError } from '../../errors/borderline-error.js';
import { createLogger } from '../../observability/create-logger.js';
import { SERVICES } from '../../simulate/estate-story.js';
import { Estate } from '../../simulate/estate.js';

const positive = (flag: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new ConfigurationError(`${flag} "${value}": expected a positive number`);
  return n;
};

export interface SimulateOptions {
  rate: number;
  duration: number;
  tenants: number;
  brokers: string;
  topic: string;
  story?: boolean;
  pause?: number;
}

/** `borderline simulate`: the demo's estate of instrumented services as a load generator, or its story once (--story). */
export async function runSimulate(options: SimulateOptions, io: CliIo): Promise<ExitCode> {
  const logger = createLogger('warn');
  const kafka = createKafkaClient(
    { brokers: options.brokers.split(',').map((b) => b.trim()), clientId: 'borderline-simulate', ssl: false },
    logger,
  );
  await ensureTopics(kafka, [options.topic], 6);
  const estate = Estate.start((resource) => createLineageEmitter({ kafka, topic: options.topic, resource }));
  if (options.story) {
    try {
      let steps = 0;
      await estate.playStory((step, event) => {
        steps += 1;
        io.stdout.write(
          `${pc.cyan(`▸ ${SERVICES[step.service].name}`)} ${step.narration} ${pc.dim(`(${event.operation} ${event.eventId})`)}\n`,
        );
      }, options.pause ?? 0);
      io.stdout.write(`${pc.green('sent')} the story's ${steps} events to ${options.topic}\n`);
    } finally {
      await estate.stop();
    }
    return 0;
  }
  const tty = io.stderr.isTTY;
  const total = Math.round(options.rate * options.duration);
  let lastPrinted = 0;
  try {
    const sent = await estate.generate(
      { rate: options.rate, durationS: options.duration, tenants: Math.floor(options.tenants) },
      (done, elapsedMs) => {
        const line = `simulate: ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} events · ${Math.round(done / Math.max(elapsedMs / 1000, 0.001)).toLocaleString('en-US')}/s · ${(elapsedMs / 1000).toFixed(0)} s`;
        if (tty) io.stderr.write(`\r${line}   `);
        else if (elapsedMs - lastPrinted >= 5_000) {
          lastPrinted = elapsedMs;
          io.stderr.write(`${line}\n`);
        }
      },
    );
    io.stderr.write(tty ? '\n' : '');
    io.stdout.write(`${pc.green('sent')} ${sent.toLocaleString('en-US')} events to ${options.topic}\n`);
  } finally {
    await estate.stop();
  }
  return 0;
}

export function addSimulateCommand(program: Command, io: CliIo, finish: Finish): void {
  program
    .command('simulate')
    .description('run the demo estate (signup, replication, legacy sync, backups, analytics, admin console, migration) as load')
    .option('--rate <events/s>', 'events per second', positive('--rate'), 200)
    .option('--duration <seconds>', 'how long', positive('--duration'), 30)
    .option('--tenants <n>', 'copies of the estate the events spread over (dataset names end in -t<n>)', positive('--tenants'), 1000)
    .option('--brokers <list>', 'Kafka brokers (env KAFKA_BROKERS)', io.env.KAFKA_BROKERS ?? '127.0.0.1:9092')
    .option('--topic <topic>', 'events topic (env BORDERLINE_EVENTS_TOPIC)', io.env.BORDERLINE_EVENTS_TOPIC ?? 'lineage.events')
    .option('--story', "play the plain story once (the demo's datasets and services, no name suffix), narrated, instead of load")
    .option('--pause <ms>', 'with --story: pause between steps', positive('--pause'))
    .action(async (options: SimulateOptions) => finish(await runSimulate(options, io)));
}
