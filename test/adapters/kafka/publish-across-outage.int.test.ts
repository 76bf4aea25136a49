import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { KafkaMessagePublisher } from '../../../src/adapters/kafka/kafka-message-publisher.js';
import { kafkaReadBack } from '../../../src/adapters/kafka/read-back.js';
import { retryRetriable } from '../../../src/errors/retry-retriable.js';
import { uniqueName } from '../../support/infra-endpoints.js';
import { countMessages, createTestTopic, readTopic, testKafka } from '../../support/kafka-test-topics.js';

const infraScript = fileURLToPath(new URL('../../../deploy/local/infra.sh', import.meta.url));
const infra = (...args: string[]) => promisify(execFile)('bash', [infraScript, ...args]);
afterAll(async () => {
  await infra('up', 'kafka'); // in case the test left it down
});

/** SIGKILL to the local broker (deploy/local's, found by its command line as infra.sh finds it). */
async function killKafka(): Promise<void> {
  const { stdout } = await promisify(execFile)('pgrep', ['-f', '-d', ' ', 'borderline.service=kafka ']).catch(() => ({ stdout: '' }));
  const pids = stdout.trim().split(/\s+/).filter(Boolean).map(Number);
  if (pids.length === 0) throw new Error('no local Kafka process to kill');
  for (const pid of pids) process.kill(pid, 'SIGKILL');
  while (pids.some((pid) => alive(pid))) await new Promise((r) => setTimeout(r, 50));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('the publisher across a broker outage (issue 16, finding 4)', () => {
  it('writes every message exactly once while sends are in flight when the broker is killed and after it is back', async () => {
    const run = uniqueName('publish-outage');
    const topic = await createTestTopic(run, 3);
    const real = kafkaReadBack(testKafka);
    const readBacks: number[] = []; // how many messages each read-back found
    const publisher = KafkaMessagePublisher.fromKafka(testKafka, {
      readBack: {
        ends: (t) => real.ends(t),
        identitiesSince: async (t, from) => {
          const found = await real.identitiesSince(t, from);
          readBacks.push(found.size);
          return found;
        },
      },
    });
    let sent = 0;
    let failures = 0;
    const state: { phase: 'before' | 'outage' | 'after' } = { phase: 'before' };
    let sentAfter = 0;
    // As the pipeline publishes alerts: batches of distinct messages, each retried until acknowledged.
    const sending = (async () => {
      while (state.phase !== 'after' || sentAfter < 2_000) {
        const batch = Array.from({ length: 50 }, (_, i) => ({
          key: `k${(sent + i) % 97}`,
          value: Buffer.from(`${run}-${sent + i}`),
          headers: {},
        }));
        await retryRetriable(
          () =>
            publisher.send(topic, batch).catch((error: unknown) => {
              failures += 1;
              throw error;
            }),
          { initialMs: 100, maxMs: 2_000 },
        );
        sent += batch.length;
        if (state.phase === 'after') sentAfter += batch.length;
      }
    })();
    while (sent < 3_000) await new Promise((r) => setTimeout(r, 20));
    state.phase = 'outage';
    await killKafka(); // an unclean stop: requests the broker appended are never acknowledged
    // The outage lasts until a send has failed for it (the positive signal that it was felt).
    while (failures === 0) await new Promise((r) => setTimeout(r, 20));
    await infra('up', 'kafka');
    state.phase = 'after';
    await sending;
    await publisher.close();

    const messages = await readTopic(topic, sent, { timeoutMs: 60_000 });
    const values = messages.map((m) => String(m.value));
    const distinct = new Set(values);
    console.log(
      `publisher across an outage: ${sent} sent, ${failures} failed sends retried, read-backs found ${readBacks.join(', ') || 'none'}, ${values.length - distinct.size} written twice`,
    );
    expect(failures, 'the outage failed sends').toBeGreaterThan(0);
    expect(readBacks.length, 'a failed send is read back before it is sent again').toBeGreaterThan(0);
    expect(distinct.size, 'every message written').toBe(sent);
    expect(values.length - distinct.size, 'messages written more than once').toBe(0);
    expect(await countMessages(topic)).toBe(sent);
  }, 240_000);
});
