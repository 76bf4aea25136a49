import { appendAll } from '../collections/append-all.js';
import pLimit, { type LimitFunction } from 'p-limit';
import type { IncomingMessage } from '../ports/incoming-message.js';

export interface PartitionLanesOptions {
  /** Most events one write takes from a partition's queue. */
  maxEventsPerWrite: number;
  /** Queued events at which a partition's fetching is paused, until its writes take the queue below it again. */
  maxQueuedPerPartition: number;
  /** Writes in flight at once, over all partitions. */
  concurrentWrites: number;
}

/** What the lanes need from the consumer around them. */
export interface LaneHooks {
  /**
   * Writes the messages (one partition's, in offset order). True when written; false when abandoned
   * because `isRunning` turned false (the consumer is stopping). Throws only on a fatal error.
   */
  write(messages: readonly IncomingMessage[], isRunning: () => boolean): Promise<boolean>;
  /** Commits these offsets (each partition's last written offset plus one). Never throws: a failed commit is covered by the next. */
  commit(offsets: readonly CommitOffset[]): Promise<void>;
  pause(topic: string, partition: number): void;
  resume(topic: string, partition: number): void;
  /** A write failed for good: the consumer must stop. */
  fatal(error: Error): void;
}

export interface CommitOffset {
  topic: string;
  partition: number;
  offset: string;
}

interface Lane {
  key: string;
  topic: string;
  partition: number;
  queue: IncomingMessage[];
  /**
   * True while the lane's writer runs. Cleared by the writer itself in the same step that finds the
   * queue empty: a batch queued a moment later starts a new writer, never waits for the next batch.
   */
  writing: boolean;
  /** The latest writer's run (settled when the lane is idle). */
  draining: Promise<void>;
  paused: boolean;
}

/**
 * One write queue per partition, so that fetching never waits for writing and no partition waits for
 * another's write. A fetched batch is queued and the consumer fetches again at once; each partition's
 * queue is written in offset order, up to `maxEventsPerWrite` events a write (a backlog is taken in
 * larger writes), and its offset is committed only after its write. Commits do not hold up writing:
 * one commit is in flight at a time, carrying every partition's latest written offset. A partition whose queue reaches
 * `maxQueuedPerPartition` is paused until its writes catch up, which bounds memory and is how a
 * database outage stops consumption.
 *
 * When the group rebalances, `reassigned()` drops everything queued, and writes in flight finish
 * (their alerts are published) without committing: the consumer starts again from the committed
 * offsets, so every message is written (idempotently) by whoever owns its partition next, and no lane
 * commits an offset out of order.
 */
export class PartitionLanes {
  private readonly lanes = new Map<string, Lane>();
  private readonly limit: LimitFunction;
  /** Incremented on each reassignment; a write of an older epoch is never committed. */
  private epoch = 0;
  private stopped = false;
  private readonly isRunning = () => !this.stopped;
  /** Per partition, the offset to commit next (written, not committed yet). */
  private readonly toCommit = new Map<string, CommitOffset>();
  private committing: Promise<void> | undefined;

  constructor(
    private readonly options: PartitionLanesOptions,
    private readonly hooks: LaneHooks,
  ) {
    this.limit = pLimit(options.concurrentWrites);
  }

  /** Queues one fetched batch of a partition (in offset order, after what is queued already). */
  enqueue(topic: string, partition: number, messages: readonly IncomingMessage[]): void {
    if (this.stopped || messages.length === 0) return;
    const lane = this.lane(topic, partition);
    appendAll(lane.queue, messages);
    if (!lane.paused && lane.queue.length >= this.options.maxQueuedPerPartition) {
      lane.paused = true;
      this.hooks.pause(topic, partition);
    }
    if (!lane.writing) {
      lane.writing = true;
      lane.draining = this.drain(lane);
    }
  }

  /** The group rebalanced (or is rebalancing): drop what is queued, commit no write in flight, resume paused partitions. */
  reassigned(): void {
    this.epoch += 1;
    this.toCommit.clear();
    for (const lane of this.lanes.values()) {
      lane.queue.length = 0;
      this.resumeIfPaused(lane);
    }
  }

  /** Stops taking messages; resolves once no write is in flight (a write in flight finishes and commits). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const lane of this.lanes.values()) lane.queue.length = 0;
    await Promise.all([...this.lanes.values()].map((lane) => lane.draining));
    while (this.committing) await this.committing;
  }

  /** Events queued and not yet taken by a write, over all partitions. */
  queued(): number {
    let total = 0;
    for (const lane of this.lanes.values()) total += lane.queue.length;
    return total;
  }

  private lane(topic: string, partition: number): Lane {
    const key = `${topic}\u0000${partition}`;
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = { key, topic, partition, queue: [], writing: false, draining: Promise.resolve(), paused: false };
      this.lanes.set(key, lane);
    }
    return lane;
  }

  /** Commits what is written, in the background; one commit in flight at a time takes every partition's latest offset. */
  private commitWritten(lane: Lane, offset: string): void {
    this.toCommit.set(lane.key, { topic: lane.topic, partition: lane.partition, offset });
    if (this.committing) return;
    this.committing = (async () => {
      try {
        while (this.toCommit.size > 0) {
          const offsets = [...this.toCommit.values()];
          this.toCommit.clear();
          await this.hooks.commit(offsets);
        }
      } finally {
        this.committing = undefined;
      }
    })();
  }

  private async drain(lane: Lane): Promise<void> {
    try {
      while (lane.queue.length > 0) {
        const epoch = this.epoch;
        const slice = lane.queue.splice(0, this.options.maxEventsPerWrite);
        if (lane.queue.length < this.options.maxQueuedPerPartition) this.resumeIfPaused(lane);
        const written = await this.limit(() => (this.epoch === epoch && !this.stopped ? this.hooks.write(slice, this.isRunning) : false));
        // Abandoned, or reassigned while writing: not committed, so delivered again to the partition's owner.
        if (!written || this.epoch !== epoch) continue;
        const last = BigInt(slice[slice.length - 1]!.offset);
        this.commitWritten(lane, (last + 1n).toString());
      }
    } catch (error) {
      this.stopped = true;
      for (const other of this.lanes.values()) other.queue.length = 0;
      this.hooks.fatal(error as Error);
    } finally {
      lane.writing = false;
    }
  }

  private resumeIfPaused(lane: Lane): void {
    if (!lane.paused) return;
    lane.paused = false;
    this.hooks.resume(lane.topic, lane.partition);
  }
}
