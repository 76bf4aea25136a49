import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { testDriver } from './graph-queries.js';

const infraScript = fileURLToPath(new URL('../../deploy/local/infra.sh', import.meta.url));

/**
 * Restarts the local Neo4j (deploy/local), with extra `neo4j.conf` settings (`key=value;…`) or
 * without any, and waits until it answers again (`requiresAuth`: it now requires a password, so the suite's
 * driver, which has none, is not used to check).
 */
export async function restartNeo4j(settings = '', { requiresAuth = false } = {}): Promise<void> {
  for (const args of [
    ['down', 'neo4j'],
    ['up', 'neo4j'],
  ]) {
    const result = spawnSync('bash', [infraScript, ...args], {
      stdio: 'inherit',
      env: { ...process.env, BORDERLINE_NEO4J_SETTINGS: args[0] === 'up' ? settings : '' },
    });
    if (result.status !== 0) throw new Error(`infra.sh ${args.join(' ')} exited with ${result.status}`);
  }
  // With authentication (and TLS) on, the suite's own driver cannot ask: the script's readiness check stands.
  if (!requiresAuth) await testDriver.executeQuery('RETURN 1');
}
