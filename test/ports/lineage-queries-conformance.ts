import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { summarizePlaces } from '../../src/lineage/residency-inventory.js';
import type { GraphStore } from '../../src/ports/graph-store.js';
import type { LineageQueries } from '../../src/ports/lineage-queries.js';
import type { NodeRef } from '../../src/policy/alert.js';
import { uniqueName } from '../support/infra-endpoints.js';
import { at, estate, movement, planOf } from './conformance-estate.js';

/** A store and the queries over the same graph, with CONFORMANCE_POLICIES. */
export interface QueriesUnderTest {
  store: GraphStore;
  queries: LineageQueries;
  close(): Promise<void>;
}

const LIMITS = { maxNodes: 100, maxEdges: 100 };
const LABEL = 'us-user-data';
const nameOf = (node: NodeRef) => (node.kind === 'dataset' ? node.name : `actor:${node.service}@${node.region}`);

/**
 * The LineageQueries port's answers (src/ports/lineage-queries.ts) on one small estate, one test
 * body for every adapter: lineage-queries.test.ts runs it in memory, lineage-queries.int.test.ts on Neo4j.
 * The estate: profiles (OCI Ashburn, labelled) → replica (OCI Phoenix) → backup (AWS Singapore);
 * profiles → legacy (AWS Virginia), deleted at 40 s; an engineer in London reads the profiles at 30 s.
 */
export function describeLineageQueriesConformance(engine: string, make: () => Promise<QueriesUnderTest>): void {
  describe(`LineageQueries conformance: ${engine}`, () => {
    const run = uniqueName('queries');
    const e = estate(run);
    const namespace = [e.home.namespace];
    let under: QueriesUnderTest;
    let q: LineageQueries;

    beforeAll(async () => {
      under = await make();
      q = under.queries;
      const claimant = { id: `${run}-writer`, outbox: `${run}-alerts` };
      const reader = { service: `${run}-console`, region: 'eu-west-2', provider: 'aws' };
      await under.store.write(
        planOf(
          movement(`${run}-1`, 0, 'copy', [e.labelledHome], [e.phoenix]),
          movement(`${run}-2`, 10, 'copy', [e.phoenix], [e.singapore]),
          movement(`${run}-3`, 20, 'copy', [e.home], [e.virginia]),
          movement(`${run}-4`, 30, 'access', [e.home], [], reader),
        ),
        claimant,
      );
      await under.store.write(planOf(movement(`${run}-5`, 40, 'delete', [e.virginia])), claimant);
    });

    afterAll(async () => {
      await under?.close();
    });

    it('answers the lineage downstream of a dataset: every node and movement, by event', async () => {
      const answer = await q.lineage({ ...e.home, direction: 'downstream', depth: 5 }, LIMITS);
      expect(answer?.nodes.map(nameOf).sort()).toEqual(
        ['backup', 'legacy', 'profiles', 'replica', `actor:${run}-console@eu-west-2`].sort(),
      );
      expect(answer?.edges.map((edge) => [edge.eventId, edge.operation, edge.eventTime]).sort()).toEqual([
        [`${run}-1`, 'copy', at(0)],
        [`${run}-2`, 'copy', at(10)],
        [`${run}-3`, 'copy', at(20)],
        [`${run}-4`, 'access', at(30)],
      ]);
      expect(answer?.truncated).toBe(false);
      expect(await q.lineage({ namespace: e.home.namespace, name: 'nothing', direction: 'both', depth: 1 }, LIMITS)).toBeUndefined();
    });

    it('answers where a label lives now, judged by the policy, with a true total and paging', async () => {
      const all = await q.residency(LABEL, 100, { namespace });
      expect(all.holdings.map((h) => [nameOf(h.node), h.approved, h.since]).sort()).toEqual([
        ['backup', false, at(10)],
        ['profiles', true, at(0)],
        ['replica', true, at(0)],
      ]);
      expect(all.total).toBe(3);
      const unapproved = await q.residency(LABEL, 1, { namespace, approved: false });
      expect([unapproved.total, unapproved.truncated, unapproved.holdings.map((h) => nameOf(h.node))]).toEqual([1, false, ['backup']]);
      const firstOfTwo = await q.residency(LABEL, 1, { namespace, approved: true });
      expect([firstOfTwo.total, firstOfTwo.truncated, firstOfTwo.holdings.length]).toEqual([2, true, 1]);
      expect((await q.residencyPlaces(LABEL, { namespace })).places).toEqual(summarizePlaces(all.holdings));
    });

    it('answers as of an instant: the legacy copy before its delete', async () => {
      const before = await q.residency(LABEL, 100, { namespace }, Date.parse(at(25)));
      expect(before.holdings.map((h) => nameOf(h.node)).sort()).toEqual(['backup', 'legacy', 'profiles', 'replica']);
      expect(before.asOf).toBe(at(25));
    });

    it('answers the earliest time-respecting path between two datasets', async () => {
      const answer = await q.paths(
        {
          fromNamespace: e.home.namespace,
          fromName: 'profiles',
          toNamespace: e.home.namespace,
          toName: 'backup',
          classification: LABEL,
          maxDepth: 5,
        },
        LIMITS,
      );
      expect(answer?.paths.map((p) => [p.nodes.map(nameOf), p.edges.map((edge) => edge.eventId), p.arrivesAt])).toEqual([
        [['profiles', 'replica', 'backup'], [`${run}-1`, `${run}-2`], at(10)],
      ]);
    });

    it('describes a node: where it is, what it holds since when and by which event, its open alerts', async () => {
      const detail = await q.node({ kind: 'dataset', namespace: e.home.namespace, name: 'backup' });
      expect(detail?.holdings).toEqual([{ classification: LABEL, since: at(10), viaEventId: `${run}-2` }]);
      expect(detail?.node.openAlertIds).toHaveLength(1);
      expect(await q.node({ kind: 'dataset', namespace: e.home.namespace, name: 'nothing' })).toBeUndefined();
    });

    it('lists alerts a page at a time, with the true total and the counts by status', async () => {
      const scope = { namespace, service: [`${run}-console`] };
      const all = await q.alerts({ ...scope, offset: 0, limit: 10 });
      expect(all.alerts.map((a) => [nameOf(a.node), a.status]).sort()).toEqual([
        ['actor:' + `${run}-console@eu-west-2`, 'open'],
        ['backup', 'open'],
        ['legacy', 'remediated'],
      ]);
      expect([all.total, all.counts]).toEqual([3, { open: 2, remediated: 1 }]);
      const second = await q.alerts({ ...scope, offset: 1, limit: 1 });
      expect([second.total, second.alerts.map((a) => a.alertId)]).toEqual([3, [all.alerts[1]!.alertId]]);
      const open = await q.alerts({ ...scope, status: 'open', offset: 0, limit: 10 });
      expect([open.total, open.counts]).toEqual([2, { open: 2, remediated: 1 }]);
      expect((await q.alert(all.alerts[0]!.alertId))?.status).toBe(all.alerts[0]!.status);
      expect(await q.alert(`${run}-no-such-alert`)).toBeUndefined();
    });

    it('finds datasets by words of their namespace and name, a page at a time with the total', async () => {
      const found = await q.searchDatasets(`${run} back`, { offset: 0, limit: 10 });
      expect([found.total, found.datasets.map(nameOf)]).toEqual([1, ['backup']]);
      const page = await q.searchDatasets(run, { offset: 1, limit: 2 });
      expect([page.total, page.datasets.length]).toEqual([4, 2]);
    });
  });
}
