import { BorderlineError } from '../errors/borderline-error.js';
import type { MessagePublisher, OutgoingMessage } from '../ports/message-publisher.js';

export interface BatchingOptions {
  /** How long a message may wait for companions before its batch is sent. */
  lingerMs: number;
  /** A batch is sent as soon as it holds this many messages. */
  maxBatchMessages: number;
  /** Messages accepted but not yet acknowledged; past this, `add` waits for room. */
  maxBufferedMessages: number;
}

interface Pending {
  message: OutgoingMessage;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Groups messages into batches and sends one batch at a time, in order (what an idempotent
 * producer needs). While a batch is in flight the next one fills up, so batches grow with load.
 * Every message's promise settles with its batch's outcome; nothing accepted is dropped.
 */
export class MessageBatcher {
  private queue: Pending[] = [];
  private inFlight: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private buffered = 0;
  private roomWaiters: Array<() => void> = [];
  private failure: Error | undefined;

  constructor(
    private readonly publisher: MessagePublisher,
    private readonly topic: string,
    private readonly options: BatchingOptions,
  ) {}

  /** Accepts a message; resolves when the broker has acknowledged it. */
  async add(message: OutgoingMessage): Promise<void> {
    while (this.buffered >= this.options.maxBufferedMessages) {
      await new Promise<void>((resolve) => this.roomWaiters.push(resolve));
    }
    this.buffered += 1;
    const acknowledged = new Promise<void>((resolve, reject) => this.queue.push({ message, resolve, reject }));
    if (this.queue.length >= this.options.maxBatchMessages) this.pump();
    else this.timer ??= setTimeout(() => this.pump(), this.options.lingerMs);
    return acknowledged;
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

  private pump(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.inFlight || this.queue.length === 0) return;
    const batch = this.queue.splice(0, this.options.maxBatchMessages);
    this.inFlight = this.publisher
      .send(this.topic, batch.map((p) => p.message))
      .then(
        () => batch.forEach((p) => p.resolve()),
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
