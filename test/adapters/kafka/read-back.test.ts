import type { Kafka } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { readIdentitiesSince } from '../../../src/adapters/kafka/read-back.js';
import { BorderlineError } from '../../../src/errors/borderline-error.js';

/**
 * A kafkajs client whose consumer crashes while it joins its group, as kafkajs does when a broker
 * restarts under it: `run` reports the crash to CRASH listeners, then resolves (kafkajs' own onCrash
 * handles it). Only what readIdentitiesSince calls is there.
 */
function clientCrashingOnJoin(error: Error): Kafka {
  const admin = {
    connect: () => Promise.resolve(),
    disconnect: () => Promise.resolve(),
    deleteGroups: () => Promise.resolve([]),
    fetchTopicOffsets: () => Promise.resolve([{ partition: 0, offset: '5', high: '5', low: '0' }]),
  };
  const listeners: Array<(event: { payload: { error: Error } }) => void> = [];
  const consumer = {
    events: { CRASH: 'consumer.crash' },
    connect: () => Promise.resolve(),
    disconnect: () => Promise.resolve(),
    subscribe: () => Promise.resolve(),
    seek: () => undefined,
    on: (_: string, listener: (event: { payload: { error: Error } }) => void) => listeners.push(listener),
    run: async () => {
      for (const listener of listeners) listener({ payload: { error } });
      // kafkajs returns from run only after its onCrash has disconnected (a few ticks later).
      await new Promise((r) => setTimeout(r, 20));
    },
  };
  return { admin: () => admin, consumer: () => consumer } as unknown as Kafka;
}

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
afterEach(() => {
  process.off('unhandledRejection', onUnhandled);
});

describe('reading back a topic', () => {
  it('rejects, retriable, when the consumer crashes while it joins, and leaves no unhandled rejection', async () => {
    unhandled.length = 0;
    process.on('unhandledRejection', onUnhandled);
    const crash = Object.assign(new Error("The coordinator is loading and hence can't process requests"), { retriable: true });
    const reading = readIdentitiesSince(clientCrashingOnJoin(crash), 'alerts', new Map([[0, '2']]), 5_000);
    const error = await reading.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BorderlineError);
    expect((error as BorderlineError).retriable).toBe(true);
    expect((error as Error).message).toContain('coordinator is loading');
    // Past the turn in which Node reports rejections nobody handled.
    await new Promise((r) => setTimeout(r, 50));
    expect(unhandled).toEqual([]);
  });
});
