import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const infraScript = fileURLToPath(new URL('../../deploy/local/infra.sh', import.meta.url));
const pythonScript = fileURLToPath(new URL('../../deploy/local/python-env.sh', import.meta.url));
const collectorScript = fileURLToPath(new URL('../../deploy/local/collector.sh', import.meta.url));

/**
 * Vitest global setup for the integration project: makes the Python environment of the real clients,
 * builds the OpenTelemetry Collector,
 * starts the local Kafka and Neo4j when they are not running, and leaves them alone (and running
 * afterwards) when they are.
 * Set BORDERLINE_EXTERNAL_INFRA=1 to test against services you run yourself (KAFKA_BROKERS, NEO4J_URI).
 */
export function setup(): void {
  // The real Python clients the compatibility tests drive (made once, cached under .infra/).
  const python = spawnSync('bash', [pythonScript], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (python.status !== 0)
    throw new Error(`deploy/local/python-env.sh failed with exit code ${String(python.status)}; see its output above`);
  // The OpenTelemetry Collector the OTLP tests run (built once from the Go module proxy, cached under .infra/).
  const collector = spawnSync('bash', [collectorScript, 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (collector.status !== 0)
    throw new Error(`deploy/local/collector.sh build failed with exit code ${String(collector.status)}; see its output above`);
  if (process.env.BORDERLINE_EXTERNAL_INFRA === '1') return;
  const status = spawnSync('bash', [infraScript, 'status'], { encoding: 'utf8' });
  if (status.status === 0) return;
  const up = spawnSync('bash', [infraScript, 'up'], { stdio: 'inherit' });
  if (up.status !== 0) {
    throw new Error(`deploy/local/infra.sh up failed with exit code ${String(up.status)}; see its output above`);
  }
}
