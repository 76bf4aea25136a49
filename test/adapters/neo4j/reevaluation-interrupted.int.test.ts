import { afterAll, describe, expect, it } from 'vitest';
import { createNeo4jDriver } from '../../../src/adapters/neo4j/create-neo4j-driver.js';
import { Neo4jGraphStore } from '../../../src/adapters/neo4j/neo4j-graph-store.js';
import { Neo4jPolicyReevaluation } from '../../../src/adapters/neo4j/reevaluate-policy.js';
import { DataMovementEvent } from '../../../src/events/data-movement-event.js';
import { planGraphWrite } from '../../../src/lineage/plan-graph-write.js';
import { parsePolicyFile } from '../../../src/policy/load-policy-file.js';
import { policyFingerprint } from '../../../src/policy/policy-fingerprint.js';
import { PolicyIndex } from '../../../src/policy/policy-index.js';
import { testNeo4jUri, uniqueName } from '../../support/infra-endpoints.js';

// docs/policy-changes.md, "Crashes": the fingerprint is recorded last, so a re-evaluation cut short
// leaves the previous one, and running it again completes it.
const driver = createNeo4jDriver({ uri: testNeo4jUri, user: 'neo4j', password: '' });
afterAll(() => driver.close());

describe('a re-evaluation cut short', () => {
  it('leaves the previous fingerprint, and the next run completes it', async () => {
    const run = uniqueName('cut');
    const label = `${run}-label`;
    const standard = `  - { id: us-user-data-residency, classifications: [us-user-data], severity: critical, allowed: [{ provider: oci, regions: [us-ashburn-1, us-phoenix-1] }] }`;
    const a = parsePolicyFile(`policies:\n${standard}\n`);
    const b = parsePolicyFile(
      `policies:\n${standard}\n  - { id: ${run}, classifications: [${label}], severity: low, allowed: [{ provider: oci, regions: [us-ashburn-1] }] }\n`,
    );
    const store = new Neo4jGraphStore(driver, undefined, new PolicyIndex(a));
    await store.ensureSchema();
    const events = Array.from({ length: 30 }, (_, i) =>
      DataMovementEvent.parse({
        specVersion: '1.0',
        eventId: `${run}-${i}`,
        eventTime: new Date(Date.parse('2026-12-01T00:00:00Z') + i * 1000).toISOString(),
        operation: 'copy',
        inputs: [{ namespace: `s3://${run}`, name: `d${i}`, provider: 'oci', region: 'us-ashburn-1', classifications: [label] }],
        outputs: [{ namespace: `s3://${run}`, name: `abroad-${i}`, provider: 'aws', region: 'eu-west-1' }],
      }),
    );
    await store.write(planGraphWrite(events), { id: run, outbox: `${run}-alerts` });
    const reevaluation = new Neo4jPolicyReevaluation(driver, undefined);
    await reevaluation.reevaluate(a, { outbox: `${run}-alerts` });
    const judgedA = await reevaluation.judgedPolicy();
    expect(judgedA?.fingerprint).toBe(policyFingerprint(a));

    // Cut short once the judging has started: as a crash would, midway.
    const cut = new Error('cut short');
    await expect(
      reevaluation.reevaluate(b, {
        outbox: `${run}-alerts`,
        onProgress: (p) => {
          if (p.phase === 'judging') throw cut;
        },
      }),
    ).rejects.toBe(cut);
    expect((await reevaluation.judgedPolicy())?.fingerprint, 'still the fingerprint of A').toBe(policyFingerprint(a));

    const completed = await reevaluation.reevaluate(b, { outbox: `${run}-alerts` });
    expect((await reevaluation.judgedPolicy())?.fingerprint).toBe(policyFingerprint(b));
    const { records } = await driver.executeQuery(`MATCH (al:Alert {policyId: $policyId}) RETURN al.status AS status, count(*) AS n`, {
      policyId: run,
    });
    expect(records.map((r) => [r.get('status') as string, r.get('n') as number])).toEqual([['open', 30]]);
    expect(completed.newlyProtected, 'the run that was cut short had not recorded B').toEqual([label]);
  }, 120_000);
});
