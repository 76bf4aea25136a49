import { afterAll, describe, expect, it } from 'vitest';
import { createNeo4jDriver } from '../../../src/adapters/neo4j/create-neo4j-driver.js';
import { Neo4jGraphStore } from '../../../src/adapters/neo4j/neo4j-graph-store.js';
import { HELD_BY_PLACE, LEFT_BY_PLACE, RESIDENCY_TOTAL, residencyQuery } from '../../../src/adapters/neo4j/lineage-query-statements.js';
import { testNeo4jUri, uniqueName } from '../../support/infra-endpoints.js';
import { testDriver } from '../../support/graph-queries.js';
import { at, CONFORMANCE_POLICIES, estate, movement, planOf } from '../../ports/conformance-estate.js';

const store = new Neo4jGraphStore(createNeo4jDriver({ uri: testNeo4jUri, user: 'neo4j', password: '' }), undefined, CONFORMANCE_POLICIES);
afterAll(() => store.close());

const paramsAt = (asOf: number | null) => ({
  label: 'us-user-data',
  skew: CONFORMANCE_POLICIES.skewMs,
  asOf,
  exact: [],
  prefixes: [],
  services: [],
});

/** Both statements' answer on the whole graph (every test's data), now or as of an instant. */
async function totals(asOf: number | null): Promise<{ reference: number; fast: number }> {
  const read = async (cypher: string) => Number((await testDriver.executeQuery(cypher, paramsAt(asOf))).records[0]?.get('total') ?? -1);
  return { reference: await read(residencyQuery(false, 'count')), fast: await read(RESIDENCY_TOTAL) };
}

/** Holders by place: the per-holding pass, and the holdings by place less those left (what the summary does unfiltered). */
async function places(asOf: number | null): Promise<{ reference: Record<string, number>; fast: Record<string, number> }> {
  const byPlace = async (cypher: string) =>
    new Map(
      (await testDriver.executeQuery(cypher, paramsAt(asOf))).records.map((r) => [
        JSON.stringify([r.get('isActor'), r.get('provider'), r.get('region'), r.get('namespace')]),
        Number(r.get('holders')),
      ]),
    );
  const [reference, held, left] = [
    await byPlace(residencyQuery(false, 'places')),
    await byPlace(HELD_BY_PLACE),
    await byPlace(LEFT_BY_PLACE),
  ];
  const fast = [...held].map(([place, n]) => [place, n - (left.get(place) ?? 0)] as const).filter(([, n]) => n > 0);
  return { reference: Object.fromEntries(reference), fast: Object.fromEntries(fast) };
}

describe('the residency total on Neo4j', () => {
  it('counts what the per-holding check counts, in all and by place: copies deleted, moved out, copied again, asserted again, as of every instant', async () => {
    await store.ensureSchema();
    const run = uniqueName('residency-total');
    const e = estate(run);
    const claimant = { id: `${run}-writer`, outbox: `${run}-alerts` };
    const before = await totals(null);
    await store.write(
      planOf(
        movement(`${run}-1`, 0, 'copy', [e.labelledHome], [e.phoenix, e.singapore, e.virginia]),
        movement(`${run}-2`, 10, 'delete', [e.singapore]), // gone
        movement(`${run}-3`, 20, 'move', [e.virginia], [{ ...e.virginia, name: 'moved' }]), // left virginia
        movement(`${run}-4`, 30, 'delete', [e.phoenix]),
        movement(`${run}-5`, 40, 'copy', [e.home], [e.phoenix]), // phoenix holds it again
        movement(`${run}-6`, 50, 'delete', [{ ...e.virginia, name: 'moved' }]),
        movement(`${run}-7`, 60, 'copy', [{ ...e.virginia, name: 'moved', classifications: ['us-user-data'] }], [e.singapore]), // asserted again at moved, copied on
      ),
      claimant,
    );
    const now = await totals(null);
    expect(now.fast).toBe(now.reference);
    expect(now.reference - before.reference, 'this estate holds the label at profiles, phoenix, moved and singapore now').toBe(4);
    for (const seconds of [-1, 0, 5, 15, 25, 35, 45, 55, 65]) {
      const then = await totals(Date.parse(at(seconds)));
      expect(then.fast, `as of ${at(seconds)}`).toBe(then.reference);
    }
    for (const asOf of [null, Date.parse(at(25)), Date.parse(at(55))]) {
      const counted = await places(asOf);
      expect(counted.fast, `by place, as of ${String(asOf)}`).toEqual(counted.reference);
    }
  }, 60_000);
});
