import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka } from 'kafkajs';
import type { Logger } from '../../observability/create-logger.js';
import { Alert } from '../../policy/alert.js';
import type { AlertFeed } from '../../ports/alert-feed.js';

/**
 * Follows the alerts topic from its end, so a live view sees every alert state any tracker process
 * publishes. Each process reads in a group of its own (`<group>-live-<random>`) and commits nothing:
 * the group leaves no offsets behind. Messages that are not valid alerts are skipped with a warning.
 */
export class KafkaAlertFeed implements AlertFeed {
  private readonly listeners = new Set<(alert: Alert) => void>();
  private readonly consumer: Consumer;
  private markReady: () => void = () => undefined;
  private readonly following = new Promise<void>((resolve) => (this.markReady = resolve));

  constructor(
    kafka: Kafka,
    private readonly topic: string,
    groupPrefix: string,
    private readonly logger: Logger,
  ) {
    this.consumer = kafka.consumer({
      groupId: `${groupPrefix}-live-${randomUUID()}`,
      maxWaitTimeInMs: 1_000,
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
    });
  }

  async start(): Promise<void> {
    // The first fetch comes after the group assigned the partitions and their offsets were resolved.
    const off = this.consumer.on(this.consumer.events.FETCH_START, () => {
      this.markReady();
      off();
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.topic, fromBeginning: false });
    await this.consumer.run({
      autoCommit: false,
      // eslint-disable-next-line @typescript-eslint/require-await -- kafkajs wants a promise; the work is synchronous
      eachMessage: async ({ message }) => {
        const parsed = Alert.safeParse(safeJson(message.value?.toString() ?? ''));
        if (!parsed.success) {
          this.logger.warn({ topic: this.topic, offset: message.offset }, 'skipped a message on the alerts topic that is not an alert');
          return;
        }
        for (const listener of this.listeners) listener(parsed.data);
      },
    });
  }

  subscribe(listener: (alert: Alert) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  ready(): Promise<void> {
    return this.following;
  }

  async stop(): Promise<void> {
    this.listeners.clear();
    await this.consumer.disconnect();
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
