import { describe, expect, it, vi } from 'vitest';
import type { IncomingMessage } from '../../src/ports/incoming-message.js';
import { PartitionLanes, type CommitOffset, type LaneHooks, type PartitionLanesOptions } from '../../src/ingest/partition-lanes.js';

const message = (partition: number, offset: number): IncomingMessage => ({
  topic: 't',
  partition,
  offset: String(offset),
  key: null,
  value: null,
  headers: {},
});
const messages = (partition: number, from: number, count: number) => Array.from({ length: count }, (_, i) => message(partition, from + i));

interface Gate<T> {
  promise: Promise<T>;
  open: (value: T) => void;
}

/** A promise and its resolver. */
function gate<T = boolean>(): Gate<T> {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (open = resolve));
  return { promise, open };
}

/** Lanes over hooks that record everything; a write waits for its gate when `gated` (then resolves as the gate says). */
function setup(options: Partial<PartitionLanesOptions> = {}) {
  const log: string[] = [];
  const writes: Array<{ partition: number; offsets: string[]; gate: Gate<boolean>; isRunning: () => boolean }> = [];
  const commits: CommitOffset[][] = [];
  const commitGates: Array<Gate<void>> = [];
  const fatal: Error[] = [];
  let gated = true;
  let gatedCommits = false;
  let failWith: Error | undefined;
  const hooks: LaneHooks = {
    write: (batch, isRunning) => {
      if (failWith) return Promise.reject(failWith);
      const g = gate();
      writes.push({ partition: batch[0]!.partition, offsets: batch.map((m) => m.offset), gate: g, isRunning });
      log.push(`write p${batch[0]!.partition} ${batch[0]!.offset}-${batch[batch.length - 1]!.offset}`);
      return gated ? g.promise : Promise.resolve(true);
    },
    commit: (offsets) => {
      commits.push([...offsets]);
      log.push(`commit ${offsets.map((o) => `p${o.partition}@${o.offset}`).join(',')}`);
      if (!gatedCommits) return Promise.resolve();
      const g = gate<void>();
      commitGates.push(g);
      return g.promise;
    },
    pause: (_topic, partition) => void log.push(`pause p${partition}`),
    resume: (_topic, partition) => void log.push(`resume p${partition}`),
    fatal: (error) => void fatal.push(error),
  };
  const lanes = new PartitionLanes({ maxEventsPerWrite: 10, maxQueuedPerPartition: 20, concurrentWrites: 6, ...options }, hooks);
  return {
    lanes,
    log,
    writes,
    commits,
    commitGates,
    fatal,
    ungate: () => void (gated = false),
    gateCommits: () => void (gatedCommits = true),
    failWith: (error: Error) => void (failWith = error),
  };
}

/** Waits for a positive signal: `condition` holds (polled; fails after 2 s). Never a fixed wait. */
const until = (condition: () => boolean, what: string) =>
  vi.waitFor(() => expect(condition(), what).toBe(true), { timeout: 2_000, interval: 1 });

describe('PartitionLanes', () => {
  it("writes a partition while another partition's write is still in flight", async () => {
    const { lanes, writes, log } = setup();
    lanes.enqueue('t', 0, messages(0, 0, 3));
    await until(() => writes.length === 1, 'partition 0 writing');
    lanes.enqueue('t', 1, messages(1, 0, 2));
    await until(() => writes.length === 2, 'partition 1 writing too');
    expect(writes.map((w) => w.partition)).toEqual([0, 1]);
    writes[1]!.gate.open(true);
    await until(() => log.includes('commit p1@2'), 'partition 1 committed');
    expect(writes[0]!.isRunning()).toBe(true); // partition 0 still writing, untouched
  });

  it('writes one partition in offset order, a backlog in writes of at most maxEventsPerWrite, each committed after it', async () => {
    const { lanes, writes, log } = setup();
    lanes.enqueue('t', 0, messages(0, 0, 2));
    await until(() => writes.length === 1, 'the first write');
    lanes.enqueue('t', 0, messages(0, 2, 9));
    lanes.enqueue('t', 0, messages(0, 11, 4));
    expect(lanes.queued()).toBe(13); // the backlog waits for the write in flight
    expect(writes).toHaveLength(1);
    expect(log).not.toContain('commit p0@2');
    writes[0]!.gate.open(true);
    await until(() => writes.length === 2, 'the second write');
    expect(writes[1]!.offsets).toEqual(messages(0, 2, 10).map((m) => m.offset));
    writes[1]!.gate.open(true);
    await until(() => writes.length === 3, 'the third write');
    writes[2]!.gate.open(true);
    await until(() => log.includes('commit p0@15'), 'the last commit');
    expect(writes[2]!.offsets).toEqual(['12', '13', '14']);
    expect(log.filter((l) => l.startsWith('write') || l.startsWith('commit'))).toEqual([
      'write p0 0-1',
      'commit p0@2',
      'write p0 2-11',
      'commit p0@12',
      'write p0 12-14',
      'commit p0@15',
    ]);
  });

  it('pauses a partition whose queue reaches the bound, and resumes it once its writes take the queue below', async () => {
    const { lanes, writes, log } = setup({ maxEventsPerWrite: 10, maxQueuedPerPartition: 20 });
    lanes.enqueue('t', 0, messages(0, 0, 5)); // taken by the first write at once
    await until(() => writes.length === 1, 'the first write');
    lanes.enqueue('t', 0, messages(0, 5, 19));
    expect(log).not.toContain('pause p0');
    lanes.enqueue('t', 0, messages(0, 24, 1)); // 20 queued
    expect(log).toContain('pause p0');
    writes[0]!.gate.open(true);
    await until(() => writes.length === 2, 'the next write, which takes 10: 10 left');
    expect(log.slice(-2)).toEqual(['resume p0', 'write p0 5-14']);
  });

  it("writes a batch queued at any moment, also just as the partition's previous write ends", async () => {
    for (let ticks = 0; ticks < 12; ticks += 1) {
      const { lanes, writes, log, ungate } = setup();
      ungate();
      lanes.enqueue('t', 0, messages(0, 0, 1));
      for (let i = 0; i < ticks; i += 1) await Promise.resolve();
      lanes.enqueue('t', 0, messages(0, 1, 1));
      await until(() => log.some((l) => l.startsWith('commit') && l.includes('p0@2')), `both committed (queued after ${ticks} microtasks)`);
      expect(
        writes.flatMap((w) => w.offsets),
        `queued after ${ticks} microtasks`,
      ).toEqual(['0', '1']);
    }
  });

  it('commits nothing that was abandoned', async () => {
    const { lanes, writes, commits } = setup();
    lanes.enqueue('t', 0, messages(0, 0, 3));
    await until(() => writes.length === 1, 'the write');
    writes[0]!.gate.open(false);
    // A marker on another partition, written after the abandoned one: once it is committed, a commit
    // of the abandoned write would have been made (commits carry every partition's latest offset).
    lanes.enqueue('t', 1, messages(1, 0, 1));
    await until(() => writes.length === 2, 'the marker written');
    writes[1]!.gate.open(true);
    await until(() => commits.length > 0, "the marker's commit");
    expect(commits.flat().filter((c) => c.partition === 0)).toEqual([]);
  });

  it('on reassignment, drops what is queued, lets the write in flight finish uncommitted, and resumes paused partitions', async () => {
    const { lanes, writes, commits, log } = setup({ maxEventsPerWrite: 10, maxQueuedPerPartition: 20 });
    lanes.enqueue('t', 0, messages(0, 0, 10));
    await until(() => writes.length === 1, 'the write');
    lanes.enqueue('t', 0, messages(0, 10, 25));
    expect(log).toContain('pause p0');
    lanes.reassigned();
    expect(writes[0]!.isRunning()).toBe(true); // its alerts still go out
    expect(lanes.queued()).toBe(0);
    expect(log.at(-1)).toBe('resume p0');
    writes[0]!.gate.open(true); // finished, but not committed: the new owner starts from the committed offset
    lanes.enqueue('t', 0, messages(0, 0, 2)); // delivered again after the rebalance
    await until(() => writes.length === 2, 'the redelivered batch written (the lane is free: the first write ended)');
    expect(writes[1]!.offsets).toEqual(['0', '1']); // the redelivered batch, not what the reassignment dropped
    expect(commits).toEqual([]);
    writes[1]!.gate.open(true);
    await until(() => commits.length > 0, 'the commit of the redelivered batch');
    expect(commits).toEqual([[{ topic: 't', partition: 0, offset: '2' }]]);
  });

  it("keeps one commit in flight, the next carrying every partition's latest offset", async () => {
    const { lanes, commits, commitGates, writes, ungate, gateCommits } = setup();
    ungate();
    gateCommits();
    lanes.enqueue('t', 0, messages(0, 0, 1));
    await until(() => commits.length === 1, 'the first commit');
    expect(commits).toEqual([[{ topic: 't', partition: 0, offset: '1' }]]);
    lanes.enqueue('t', 0, messages(0, 1, 1));
    lanes.enqueue('t', 1, messages(1, 0, 1));
    lanes.enqueue('t', 0, messages(0, 2, 1));
    await until(() => writes.length === 4, 'every batch written');
    commitGates[0]!.open();
    await until(() => commits.length === 2, 'the next commit');
    // Had a commit gone out while the first was in flight, the second would not carry all three.
    expect(commits[1]).toEqual([
      { topic: 't', partition: 0, offset: '3' },
      { topic: 't', partition: 1, offset: '1' },
    ]);
  });

  it('bounds the writes in flight over all partitions', async () => {
    const { lanes, writes } = setup({ concurrentWrites: 2 });
    for (const p of [0, 1, 2, 3]) lanes.enqueue('t', p, messages(p, 0, 1));
    await until(() => writes.length === 2, 'two writes');
    expect(writes.map((w) => w.partition)).toEqual([0, 1]);
    writes[0]!.gate.open(true);
    await until(() => writes.length === 3, 'a third write once one ended');
    expect(writes.map((w) => w.partition)).toEqual([0, 1, 2]);
  });

  it('stops for good and reports when a write fails for good', async () => {
    const { lanes, fatal, failWith, writes } = setup();
    failWith(new Error('boom'));
    lanes.enqueue('t', 0, messages(0, 0, 1));
    await until(() => fatal.length === 1, 'the failure reported');
    expect(fatal.map((e) => e.message)).toEqual(['boom']);
    lanes.enqueue('t', 1, messages(1, 0, 1));
    await lanes.stop(); // every lane has drained: a write of the second batch would have happened (and failed) by now
    expect(writes).toEqual([]);
    expect(fatal).toHaveLength(1);
  });

  it('on stop, lets the write in flight finish and waits for its commit', async () => {
    const { lanes, writes, commits, commitGates, gateCommits } = setup();
    gateCommits();
    lanes.enqueue('t', 0, messages(0, 0, 2));
    await until(() => writes.length === 1, 'the write');
    lanes.enqueue('t', 0, messages(0, 2, 2)); // queued: dropped by stop
    let stopped = false;
    const stopping = lanes.stop().then(() => (stopped = true));
    expect(writes[0]!.isRunning()).toBe(false); // a retrying write gives up
    writes[0]!.gate.open(true); // but one that succeeds is committed
    await until(() => commits.length > 0, 'its commit');
    expect(commits).toEqual([[{ topic: 't', partition: 0, offset: '2' }]]);
    expect(stopped).toBe(false);
    commitGates[0]!.open();
    await stopping;
    expect(writes).toHaveLength(1);
  });
});
