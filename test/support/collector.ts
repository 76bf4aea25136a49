import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { testKafkaBrokers } from './infra-endpoints.js';
import { freePort } from './tracker-process.js';

const script = fileURLToPath(new URL('../../deploy/local/collector.sh', import.meta.url));

/** deploy/local's OpenTelemetry Collector binary, built on first use (cached under .infra/otelcol/). */
export function collectorBinary(): string {
  const built = spawnSync('bash', [script, 'build'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 900_000 });
  if (built.status !== 0) throw new Error(`deploy/local/collector.sh build failed (exit ${String(built.status)})`);
  return built.stdout.trim();
}

/** A running Collector with one OTLP/HTTP receiver per encoding, each exporting to `topic` through the Kafka exporter. */
export interface RunningCollector {
  /** OTLP/HTTP endpoints (…/v1/traces) whose spans reach Kafka as otlp_proto and as otlp_json. */
  endpoints: { otlp_proto: string; otlp_json: string };
  output: string[];
  stop(): Promise<void>;
}

export async function startCollector(topic: string): Promise<RunningCollector> {
  const [protoPort, jsonPort] = [await freePort(), await freePort()];
  const config = join(tmpdir(), `otelcol-${topic}.yaml`);
  writeFileSync(
    config,
    `receivers:
  otlp/proto:
    protocols: { http: { endpoint: "127.0.0.1:${protoPort}" } }
  otlp/json:
    protocols: { http: { endpoint: "127.0.0.1:${jsonPort}" } }
exporters:
  kafka/proto:
    brokers: [${testKafkaBrokers.map((b) => `"${b}"`).join(', ')}]
    traces: { topic: "${topic}", encoding: otlp_proto }
  kafka/json:
    brokers: [${testKafkaBrokers.map((b) => `"${b}"`).join(', ')}]
    traces: { topic: "${topic}", encoding: otlp_json }
service:
  telemetry: { metrics: { level: none } }
  pipelines:
    traces/proto: { receivers: [otlp/proto], exporters: [kafka/proto] }
    traces/json: { receivers: [otlp/json], exporters: [kafka/json] }
`,
  );
  const child: ChildProcess = spawn(collectorBinary(), ['--config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const keep = (chunk: Buffer) => output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const deadline = Date.now() + 60_000;
  while (!output.some((line) => line.includes('Everything is ready'))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the Collector did not start:\n${output.slice(-20).join('\n')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    endpoints: { otlp_proto: `http://127.0.0.1:${protoPort}/v1/traces`, otlp_json: `http://127.0.0.1:${jsonPort}/v1/traces` },
    output,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
