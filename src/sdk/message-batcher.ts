import { BorderlineError } from '../errors/borderline-error.js';
import type { MessagePublisher, OutgoingMessage } from '../ports/message-publisher.js';

export interface BatchingOptions {
  /** How long a message may wait for companions before its batch is sent. */
  lingerMs: number;
  /** A batch is sent as soon as it holds this many messages. */
  maxBatchMessages: number;
  /**
   * A batch closes before its values pass this many bytes (one message always fits), so a send
   * stays under the broker's `message.max.bytes` (1 MiB by default) whatever the event sizes.
   */
  maxBatchBytes: number;
  /** Messages accepted but not yet acknowledged; past this, `add` waits for room. */
  maxBufferedMessages: number;
}

interface Pending<T> {
  message: OutgoingMessage;
  resolve: (value: T) => void;
  value: T;
  reject: (error: unknown) => void;
}

/**
 * Groups messages into batches and sends one batch at a time, in order (what an idempotent
 * producer needs). While a batch is in flight the next one fills up, so batches grow with load.
 * Every message's promise settles with its batch's outcome; nothing accepted is dropped.
 */
export class MessageBatcher<T = void> {
  private queue: Array<Pending<T>> = [];
  private inFlight: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private buffered = 0;
  private queuedBytes = 0;
  private roomWaiters: Array<() => void> = [];
  private failure: Error | undefined;

  constructor(
    private readonly publisher: MessagePublisher,
    private readonly topic: string,
    private readonly options: BatchingOptions,
  ) {}

  /** Accepts a message; resolves with `value` when the broker has acknowledged it. */
  add(message: OutgoingMessage, value: T): Promise<T> {
    if (this.buffered >= this.options.maxBufferedMessages) return this.addWhenRoom(message, value);
    this.buffered += 1;
    const acknowledged = new Promise<T>((resolve, reject) => {
      this.queue.push({ message, resolve, reject, value });
    });
    this.queuedBytes += message.value?.length ?? 0;
    if (this.queue.length >= this.options.maxBatchMessages || this.queuedBytes >= this.options.maxBatchBytes) this.pump();
    else this.timer ??= setTimeout(() => this.pump(), this.options.lingerMs);
    return acknowledged;
  }

  private async addWhenRoom(message: OutgoingMessage, value: T): Promise<T> {
    while (this.buffered >= this.options.maxBufferedMessages) {
      await new Promise<void>((resolve) => this.roomWaiters.push(resolve));
    }
    return this.add(message, value);
  }

  /** Sends everything accepted so far and waits for it; rejects if anything since the last flush failed. */
  async flush(): Promise<void> {
    while (this.queue.length > 0 || this.inFlight) {
      this.pump();
      await this.inFlight;
    }
    const failure = this.failure;
    this.failure = undefined;
    if (failure) throw failure;
  }

  /** How many queued messages make the next batch, within both limits. */
  private batchLength(): number {
    const limit = Math.min(this.queue.length, this.options.maxBatchMessages);
    let bytes = 0;
    for (let i = 0; i < limit; i += 1) {
      bytes += this.queue[i]!.message.value?.length ?? 0;
      if (bytes > this.options.maxBatchBytes) return Math.max(i, 1);
    }
    return limit;
  }

  private pump(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.inFlight || this.queue.length === 0) return;
    const batch = this.queue.splice(0, this.batchLength());
    for (const p of batch) this.queuedBytes -= p.message.value?.length ?? 0;
    this.inFlight = this.publisher
      .send(
        this.topic,
        batch.map((p) => p.message),
      )
      .then(
        () => batch.forEach((p) => p.resolve(p.value)),
        (error: unknown) => {
          this.failure = error instanceof Error ? error : new BorderlineError('publishing failed', { cause: error, retriable: true });
          batch.forEach((p) => p.reject(error));
        },
      )
      .finally(() => {
        this.inFlight = undefined;
        this.buffered -= batch.length;
        this.roomWaiters.splice(0).forEach((wake) => wake());
        if (this.queue.length > 0) this.pump();
      });
  }
}
