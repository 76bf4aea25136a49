import neo4j from 'neo4j-driver';
import { afterAll, describe, expect, it } from 'vitest';
import { testNeo4jUri, uniqueName } from '../support/infra-endpoints.js';

describe('the local Neo4j database', () => {
  const driver = neo4j.driver(testNeo4jUri, neo4j.auth.basic('neo4j', ''));

  afterAll(async () => {
    await driver.close();
  });

  it('answers on Bolt and reports a 5.26 Community server', async () => {
    const info = await driver.getServerInfo();
    expect(info.agent).toMatch(/^Neo4j\/5\.26\./);
  });

  it('writes a node in one transaction and reads it back in another', async () => {
    const id = uniqueName('smoke');
    await driver.executeQuery('CREATE (:SmokeTest {id: $id, n: $n})', { id, n: 42 });
    const { records } = await driver.executeQuery('MATCH (s:SmokeTest {id: $id}) RETURN s.n AS n', { id });
    expect(records.map((r) => Number(r.get('n')))).toEqual([42]);
    await driver.executeQuery('MATCH (s:SmokeTest {id: $id}) DELETE s', { id });
  });
});
