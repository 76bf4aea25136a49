import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLineageEmitter } from '../../src/sdk/index.js';
import { readAlerts } from '../support/alerts-reader.js';
import { testDriver, waitFor } from '../support/graph-queries.js';
import { uniqueName } from '../support/infra-endpoints.js';
import { createTestTopic } from '../support/kafka-test-topics.js';
import { restartNeo4j } from '../support/restart-neo4j.js';
import { TrackerProcess } from '../support/tracker-process.js';

// Issue 16, finding 9: Kafka with SASL/SCRAM over TLS and Neo4j with authentication over TLS, as
// deploy/local starts them (its own CA; Kafka's SASL_SSL listener always, Neo4j's auth and Bolt TLS
// for these tests: the server restarts with them and, afterwards, without).
const tls = fileURLToPath(new URL('../../.infra/tls/', import.meta.url));
const caFile = `${tls}ca.pem`;
const scram = {
  mechanism: 'scram-sha-512' as const,
  username: 'borderline',
  password: readFileSync(`${tls}kafka-scram-password`, 'utf8').trim(),
};
const saslBroker = `127.0.0.1:${process.env.BORDERLINE_KAFKA_SASL_PORT ?? '9094'}`;
const neo4jPassword = `pw-${uniqueName('neo4j')}`;
const secureNeo4j = [
  'dbms.security.auth_enabled=true',
  'server.bolt.tls_level=REQUIRED',
  'dbms.ssl.policy.bolt.enabled=true',
  `dbms.ssl.policy.bolt.base_directory=${tls}neo4j-bolt`,
  'dbms.ssl.policy.bolt.client_auth=NONE',
].join(';');

/** How a tracker reaches both services securely; NODE_EXTRA_CA_CERTS is how a Node process trusts a private CA. */
const secureEnv = (overrides: Record<string, string> = {}) => ({
  KAFKA_BROKERS: saslBroker,
  KAFKA_SSL: 'true',
  KAFKA_SASL_MECHANISM: scram.mechanism,
  KAFKA_SASL_USERNAME: scram.username,
  KAFKA_SASL_PASSWORD: scram.password,
  NEO4J_URI: 'bolt+s://127.0.0.1:7687',
  NEO4J_USER: 'neo4j',
  NEO4J_PASSWORD: neo4jPassword,
  NODE_EXTRA_CA_CERTS: caFile,
  ...overrides,
});

beforeAll(async () => {
  // While authentication is off, the local server takes a new password for its neo4j user.
  await testDriver.executeQuery('ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED', { pw: neo4jPassword }, { database: 'system' });
  await restartNeo4j(secureNeo4j, { requiresAuth: true });
}, 240_000);
afterAll(() => restartNeo4j(), 240_000);

let tracker: TrackerProcess | undefined;
let stopReader: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stopReader?.();
  stopReader = undefined;
  await tracker?.kill('SIGTERM');
  tracker = undefined;
});

describe('secured Kafka and Neo4j (issue 16, finding 9)', () => {
  it('runs the tracker and the SDK against Kafka over SASL_SSL (SCRAM-SHA-512) and Neo4j with authentication over TLS', async () => {
    const run = uniqueName('secure');
    const topic = await createTestTopic(`${run}-events`, 3);
    tracker = await TrackerProcess.startForRun(run, topic, secureEnv());
    const reader = await readAlerts(`${run}-alerts`);
    stopReader = reader.stop;

    // The SDK with a client of the application's own: TLS trusting the private CA, SCRAM credentials.
    const kafka = new Kafka({
      brokers: [saslBroker],
      ssl: { ca: [readFileSync(caFile, 'utf8')] },
      sasl: scram,
      logLevel: logLevel.NOTHING,
    });
    const lineage = createLineageEmitter({ kafka, topic });
    try {
      await lineage.copy({
        eventId: `${run}-leak`,
        inputs: { namespace: `pg://${run}`, name: 'profiles', region: 'us-ashburn-1', provider: 'oci', classifications: ['us-user-data'] },
        outputs: { namespace: `s3://${run}-sg`, name: 'copy', region: 'ap-southeast-1', provider: 'aws' },
      });
    } finally {
      await lineage.close();
    }
    await waitFor(
      'the alert of the copy',
      () => Promise.resolve(reader.alerts.length),
      (n) => n >= 1,
    );
    expect(reader.alerts[0]).toMatchObject({ status: 'open', node: { kind: 'dataset', name: 'copy' } });
    const answer = await fetch(`http://127.0.0.1:${tracker.port}/api/v1/alerts?namespace=${encodeURIComponent(`s3://${run}-sg`)}`);
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { total: number }).total).toBe(1);
    expect(tracker.output.join('\n'), 'no secret in the log').not.toContain(scram.password);
    expect(tracker.output.join('\n'), 'no secret in the log').not.toContain(neo4jPassword);
  }, 120_000);

  it.each([
    [
      'Kafka authentication when the SCRAM password is wrong',
      'badscram',
      { KAFKA_SASL_PASSWORD: 'not-the-password' },
      /SASL SCRAM SHA512 authentication failed/,
    ],
    [
      'Neo4j authentication when the password is wrong',
      'badneo4j',
      { NEO4J_PASSWORD: 'not-the-password' },
      /Neo\.ClientError\.Security\.Unauthorized|authentication failure/,
    ],
  ])(
    'stops at once with a message naming %s',
    async (_what, name, wrong, message) => {
      const run = uniqueName(name);
      tracker = await TrackerProcess.create({ ...secureEnv(wrong), BORDERLINE_EVENTS_TOPIC: `${run}-events` });
      tracker.start();
      const { code } = await tracker.exited(60_000);
      expect(code).not.toBe(0);
      expect(tracker.output.join('\n')).toMatch(message);
      expect(tracker.output.join('\n')).not.toContain('not-the-password');
    },
    90_000,
  );
});
