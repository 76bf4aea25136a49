import type { Alert } from '../../src/policy/alert.js';
import { uniqueName } from './infra-endpoints.js';
import { testKafka } from './kafka-test-topics.js';

/** Reads an alerts topic from the beginning into `alerts`, in arrival order, until `stop()`. */
export async function readAlerts(topic: string): Promise<{ alerts: Alert[]; stop: () => Promise<void> }> {
  const alerts: Alert[] = [];
  const consumer = testKafka.consumer({ groupId: uniqueName('alert-reader'), maxWaitTimeInMs: 50 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: ({ message }) => Promise.resolve(void alerts.push(JSON.parse(message.value?.toString() ?? '{}') as Alert)) });
  return { alerts, stop: () => consumer.disconnect() };
}
