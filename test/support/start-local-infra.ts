import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const infraScript = fileURLToPath(new URL('../../deploy/local/infra.sh', import.meta.url));

/**
 * Vitest global setup for the integration project: starts the local Kafka and Neo4j when they are
 * not running, and leaves them alone (and running afterwards) when they are. What only some files
 * need is made by those files on first use: the Python clients (test/support/real-clients.ts) and
 * the OpenTelemetry Collector (test/support/collector.ts).
 * Set BORDERLINE_EXTERNAL_INFRA=1 to test against services you run yourself (KAFKA_BROKERS, NEO4J_URI).
 */
export function setup(): void {
  if (process.env.BORDERLINE_EXTERNAL_INFRA === '1') return;
  const status = spawnSync('bash', [infraScript, 'status'], { encoding: 'utf8' });
  if (status.status === 0) return;
  const up = spawnSync('bash', [infraScript, 'up'], { stdio: 'inherit' });
  if (up.status !== 0) {
    throw new Error(`deploy/local/infra.sh up failed with exit code ${String(up.status)}; see its output above`);
  }
}
