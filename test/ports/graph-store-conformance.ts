import { describe, expect, it } from 'vitest';
import { InMemoryMessagePublisher } from '../../src/adapters/memory/in-memory-message-publisher.js';
import { AlertOutbox } from '../../src/ingest/alert-outbox.js';
import { EventIdConflictError } from '../../src/lineage/event-id-conflict.js';
import { createLogger } from '../../src/observability/create-logger.js';
import type { Alert } from '../../src/policy/alert.js';
import type { GraphStore, OutboxClaimant, PendingAlert } from '../../src/ports/graph-store.js';
import { uniqueName } from '../support/infra-endpoints.js';
import { waitFor } from '../support/wait-for.js';
import { estate, movement, planOf } from './conformance-estate.js';

/** A store under test, with CONFORMANCE_POLICIES and the claim lease asked for. */
export interface StoreUnderTest {
  store: GraphStore;
  /** The store's time (epoch ms): what its leases and holds are judged at. */
  now(): number;
  /** Moves the store's own clock on; absent where the store reads the system clock (the test then waits). */
  elapse?: (ms: number) => void;
}
export type MakeGraphStore = (options: { claimLeaseMs: number }) => Promise<StoreUnderTest>;

const LONG_LEASE_MS = 60_000;
/** Long enough that a claim checked right after the write still holds on a loaded machine; short enough to wait out. */
const SHORT_LEASE_MS = 4_000;

const nameOf = (node: Alert['node']) => (node.kind === 'dataset' ? node.name : node.service);
const states = (claimed: readonly PendingAlert[]) => claimed.map((p) => p.messages.map((m) => `${m.status} ${nameOf(m.node)}`));

async function withStore<T>(
  make: MakeGraphStore,
  claimLeaseMs: number,
  body: (store: GraphStore, run: string, clock: Omit<StoreUnderTest, 'store'>) => Promise<T>,
): Promise<T> {
  const { store, ...clock } = await make({ claimLeaseMs });
  try {
    return await body(store, uniqueName('port'), clock);
  } finally {
    await store.close();
  }
}

const claimants = (run: string) => ({
  a: { id: `${run}-a`, outbox: `${run}-alerts` } satisfies OutboxClaimant,
  b: { id: `${run}-b`, outbox: `${run}-alerts` } satisfies OutboxClaimant,
  elsewhere: { id: `${run}-c`, outbox: `${run}-other-alerts` } satisfies OutboxClaimant,
});

/**
 * The GraphStore port's promises (src/ports/graph-store.ts) and the alert outbox built on them,
 * one test body for every adapter: graph-store.test.ts runs it on the in-memory store,
 * graph-store.int.test.ts on Neo4j.
 */
export function describeGraphStoreConformance(engine: string, make: MakeGraphStore): void {
  describe(`GraphStore conformance: ${engine}`, () => {
    it('raises and claims an alert once, however often the same plan is written', async () => {
      await withStore(make, LONG_LEASE_MS, async (store, run) => {
        const e = estate(run);
        const { a } = claimants(run);
        const plan = planOf(movement(`${run}-1`, 0, 'copy', [e.labelledHome], [e.singapore]));
        expect(states((await store.write(plan, a)).claimed)).toEqual([['open backup']]);
        expect((await store.write(plan, a)).claimed).toEqual([]);
        expect(await store.claimPendingAlerts(a)).toEqual([]); // a holds it already
      });
    });

    it('refuses an event id written before with other content, naming it', async () => {
      await withStore(make, LONG_LEASE_MS, async (store, run) => {
        const e = estate(run);
        const { a } = claimants(run);
        await store.write(planOf(movement(`${run}-1`, 0, 'copy', [e.home], [e.phoenix])), a);
        const changed = planOf(
          movement(`${run}-1`, 0, 'copy', [e.home], [e.virginia]),
          movement(`${run}-2`, 1, 'copy', [e.home], [e.phoenix]),
        );
        const refused = await store.write(changed, a).then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(refused).toBeInstanceOf(EventIdConflictError);
        expect((refused as EventIdConflictError).eventIds).toEqual([`${run}-1`]);
      });
    });

    it("keeps a write's claim from everyone until its lease runs out, then gives it to the next claimant", async () => {
      await withStore(make, SHORT_LEASE_MS, async (store, run, clock) => {
        const e = estate(run);
        const { a, b } = claimants(run);
        const [claimed] = (await store.write(planOf(movement(`${run}-1`, 0, 'copy', [e.labelledHome], [e.singapore])), a)).claimed;
        expect(await store.claimPendingAlerts(b, [claimed!.alertId])).toEqual([]);
        clock.elapse?.(SHORT_LEASE_MS + 1);
        const taken = await waitFor(
          'the lease to run out',
          () => store.claimPendingAlerts(b),
          (c) => c.length > 0,
          SHORT_LEASE_MS * 5,
        );
        expect(taken.map((p) => p.alertId)).toEqual([claimed!.alertId]);
        expect(states(taken)).toEqual([['open backup']]);
      });
    });

    it('marks states published and releases the claim: nothing is left to claim', async () => {
      await withStore(make, LONG_LEASE_MS, async (store, run) => {
        const e = estate(run);
        const { a, b } = claimants(run);
        const [claimed] = (await store.write(planOf(movement(`${run}-1`, 0, 'copy', [e.labelledHome], [e.singapore])), a)).claimed;
        expect(await store.markAlertsPublished(a, [{ alertId: claimed!.alertId, statuses: ['open'] }])).toEqual([]);
        expect(await store.claimPendingAlerts(b)).toEqual([]);
        expect(await store.claimPendingAlerts(a, [claimed!.alertId])).toEqual([]);
      });
    });

    it('records a remediated state when a delete takes the copy away, for the outbox to publish', async () => {
      await withStore(make, LONG_LEASE_MS, async (store, run) => {
        const e = estate(run);
        const { a } = claimants(run);
        const [claimed] = (await store.write(planOf(movement(`${run}-1`, 0, 'copy', [e.labelledHome], [e.singapore])), a)).claimed;
        await store.markAlertsPublished(a, [{ alertId: claimed!.alertId, statuses: ['open'] }]);
        const removed = await store.write(planOf(movement(`${run}-2`, 60, 'delete', [e.singapore])), a);
        expect(removed.claimed.map((p) => p.alertId)).toEqual([claimed!.alertId]);
        expect(states(removed.claimed)).toEqual([['remediated backup']]);
        expect(removed.claimed[0]!.messages[0]!.remediatedBy).toBe('delete');
      });
    });

    it("leaves a state recorded under another's claim to the holder, who gets it back when it marks its own", async () => {
      await withStore(make, LONG_LEASE_MS, async (store, run) => {
        const e = estate(run);
        const { a, b } = claimants(run);
        const [claimed] = (await store.write(planOf(movement(`${run}-1`, 0, 'copy', [e.labelledHome], [e.singapore])), a)).claimed;
        const id = claimed!.alertId;
        expect((await store.write(planOf(movement(`${run}-2`, 60, 'delete', [e.singapore])), b)).claimed).toEqual([]);
        expect(await store.markAlertsPublished(a, [{ alertId: id, statuses: ['open'] }])).toEqual([id]);
        expect(states(await store.claimPendingAlerts(a, [id]))).toEqual([['remediated backup']]);
      });
    });

    it('holds a waived alert from every claimant until the hold ends, then gives it out marked as held', async () => {
      await withStore(make, LONG_LEASE_MS, async (store, run, { now }) => {
        const e = estate(run);
        const { a, b } = claimants(run);
        const [claimed] = (await store.write(planOf(movement(`${run}-1`, 0, 'copy', [e.labelledHome], [e.singapore])), a)).claimed;
        const id = claimed!.alertId;
        await store.holdAlerts(a, [{ alertId: id, untilMs: now() + LONG_LEASE_MS }]);
        expect(await store.claimPendingAlerts(b)).toEqual([]);
        await store.holdAlerts(b, [{ alertId: id, untilMs: now() - 1 }]); // not b's claim: changes nothing
        expect(await store.claimPendingAlerts(b)).toEqual([]);
        await store.holdAlerts(a, [{ alertId: id, untilMs: now() - 1 }]);
        const released = await store.claimPendingAlerts(b);
        expect(released).toEqual([expect.objectContaining({ alertId: id, heldByWaiver: true })]);
      });
    });

    it("claims only its own outbox's alerts, at most `limit` at a time, in id order", async () => {
      await withStore(make, LONG_LEASE_MS, async (store, run, { now }) => {
        const e = estate(run);
        const { a, b, elsewhere } = claimants(run);
        const written = await store.write(
          planOf(movement(`${run}-1`, 0, 'copy', [e.labelledHome], [e.singapore, e.virginia, { ...e.singapore, name: 'backup-2' }])),
          a,
        );
        const ids = written.claimed.map((p) => p.alertId).sort();
        expect(ids).toHaveLength(3);
        await store.holdAlerts(
          a,
          ids.map((alertId) => ({ alertId, untilMs: now() - 1 })),
        );
        expect(await store.claimPendingAlerts(elsewhere)).toEqual([]);
        expect((await store.claimPendingAlerts(b, undefined, 2)).map((p) => p.alertId)).toEqual(ids.slice(0, 2));
        expect((await store.claimPendingAlerts(b, undefined, 2)).map((p) => p.alertId)).toEqual(ids.slice(2));
      });
    });
  });

  describe(`AlertOutbox over ${engine}`, () => {
    const outboxOn = (store: GraphStore, run: string, publisher: InMemoryMessagePublisher) =>
      new AlertOutbox({
        graph: store,
        publisher,
        alertsTopic: `${run}-alerts`,
        logger: createLogger('silent'),
        retry: { initialMs: 1, maxMs: 5 },
      });

    it("publishes a write's states once; the sweep then finds nothing", async () => {
      await withStore(make, LONG_LEASE_MS, async (store, run) => {
        const e = estate(run);
        const publisher = new InMemoryMessagePublisher();
        const outbox = outboxOn(store, run, publisher);
        const written = await store.write(planOf(movement(`${run}-1`, 0, 'copy', [e.labelledHome], [e.singapore])), outbox.claimant);
        expect(await outbox.publishWritten(written.claimed)).toBe(1);
        expect(await outbox.publishPending()).toBe(0);
        expect(publisher.sent.map((m) => [m.topic, m.key])).toEqual([[`${run}-alerts`, written.claimed[0]!.alertId]]);
      });
    });

    it('sweeps up the states a publisher that died had claimed, once its lease ran out, and publishes them once', async () => {
      await withStore(make, SHORT_LEASE_MS, async (store, run, clock) => {
        const e = estate(run);
        const publisher = new InMemoryMessagePublisher();
        const outbox = outboxOn(store, run, publisher);
        const dead = { id: `${run}-dead`, outbox: `${run}-alerts` };
        await store.write(planOf(movement(`${run}-1`, 0, 'copy', [e.labelledHome], [e.singapore])), dead);
        expect(await outbox.publishPending()).toBe(0); // still the dead publisher's
        clock.elapse?.(SHORT_LEASE_MS + 1);
        await waitFor(
          "the dead publisher's lease to run out",
          () => outbox.publishPending(),
          (n) => n > 0,
          SHORT_LEASE_MS * 5,
        );
        expect(await outbox.publishPending()).toBe(0);
        expect(publisher.sent).toHaveLength(1);
      });
    });
  });
}
