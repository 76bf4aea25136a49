import type { Alert } from '../../src/policy/alert.js';
import { uniqueName } from './infra-endpoints.js';
import { countMessages, testKafka } from './kafka-test-topics.js';

/**
 * Reads an alerts topic from the beginning into `alerts`, in arrival order, until `stop()`: each
 * message the topic holds once, however often the reader is given it (after a broker restart the
 * group fetches again from its last committed offset; that is the reader's redelivery, not a
 * second message on the topic).
 */
export async function readAlerts(topic: string): Promise<{ alerts: Alert[]; stop: () => Promise<void> }> {
  const alerts: Alert[] = [];
  const seen = new Set<string>();
  const consumer = testKafka.consumer({ groupId: uniqueName('alert-reader'), maxWaitTimeInMs: 50 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: ({ message, partition }) => {
      const at = `${partition}:${message.offset}`;
      if (!seen.has(at)) {
        seen.add(at);
        alerts.push(JSON.parse(message.value?.toString() ?? '{}') as Alert);
      }
      return Promise.resolve();
    },
  });
  return { alerts, stop: () => consumer.disconnect() };
}

/**
 * Waits until `reader` has read every message the alerts topic held when called: the positive signal
 * a "no such alert" assertion needs (anything published before now has then been seen).
 */
export async function waitUntilAlertsRead(reader: { alerts: Alert[] }, topic: string, timeoutMs = 30_000): Promise<void> {
  const total = await countMessages(topic);
  const deadline = Date.now() + timeoutMs;
  while (reader.alerts.length < total) {
    if (Date.now() > deadline) throw new Error(`read ${reader.alerts.length} of the ${total} alerts on ${topic} in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
