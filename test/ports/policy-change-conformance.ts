import { describe, expect, it } from 'vitest';
import { checkEvents } from '../../src/check/check-events.js';
import { DataMovementEvent } from '../../src/events/data-movement-event.js';
import type { Alert } from '../../src/policy/alert.js';
import { parsePolicyFile } from '../../src/policy/load-policy-file.js';
import type { PolicyFile } from '../../src/policy/policy-file.js';
import { PolicyIndex } from '../../src/policy/policy-index.js';
import { uniqueName } from '../support/infra-endpoints.js';
import { finalAlertStates, generateWorkload, RANDOM_POLICY, shuffleWithDuplicates } from '../support/random-workload.js';
import { referenceAlerts } from '../support/reference-residency.js';

/** An engine under test: a graph built under policy A that can be re-judged under another. */
export interface ReevaluatingEngine {
  /** Writes events as the tracker does (the policy's catalog applied); resolves to the states they published. */
  write(events: readonly DataMovementEvent[]): Promise<Alert[]>;
  /** Re-judges the graph under `file`; resolves to the states it published, in order. */
  reevaluate(file: PolicyFile): Promise<Alert[]>;
  close(): Promise<void>;
}
export type MakeReevaluatingEngine = (policy: PolicyFile) => Promise<ReevaluatingEngine>;

/**
 * The policy-change cases (docs/contract.md §13), each on datasets of its own, all under one pair of
 * policies so that one re-evaluation judges them all (on Neo4j it judges the whole shared database).
 * `after` is what the re-evaluation publishes for the case, as "status policy node[ by]".
 */
function estate(run: string) {
  let n = 0;
  const event = (operation: string, extra: object) =>
    DataMovementEvent.parse({
      specVersion: '1.0',
      eventId: `${run}-${++n}`,
      eventTime: new Date(Date.parse('2026-12-01T09:00:00Z') + n * 60_000).toISOString(),
      operation,
      ...extra,
    });
  const ds = (c: string, name: string, provider?: string, region?: string) => ({
    namespace: `s3://${run}-${c}`,
    name,
    ...(provider ? { provider } : {}),
    ...(region ? { region } : {}),
  });
  const origin = (c: string, labels: string[]) => ({ ...ds(c, 'origin', 'oci', 'us-ashburn-1'), classifications: labels });
  const US = `${run}-us`;
  const NEW = `${run}-new`;
  const GONE = `${run}-gone`;
  const copy = (c: string, labels: string[], to: object) => event('copy', { inputs: [origin(c, labels)], outputs: [to] });
  const cases = [
    {
      name: 'tightened: Phoenix dropped',
      events: [copy('tight', [US], ds('tight', 'replica', 'oci', 'us-phoenix-1'))],
      after: ['open us replica'],
    },
    {
      name: 'loosened: Singapore allowed',
      events: [copy('loose', [US], ds('loose', 'backup', 'aws', 'ap-southeast-1'))],
      after: ['remediated us backup by policy'],
    },
    {
      name: 'a label newly protected, through a chain of copies',
      events: [
        copy('new', [NEW], ds('new', 'mid', 'oci', 'us-ashburn-1')),
        event('copy', { inputs: [ds('new', 'mid')], outputs: [ds('new', 'abroad', 'aws', 'eu-west-1')] }),
      ],
      after: ['open new abroad'],
    },
    {
      name: 'a label newly protected whose copy was deleted since',
      events: [copy('deleted', [NEW], ds('deleted', 'gone', 'aws', 'eu-west-1')), event('delete', { inputs: [ds('deleted', 'gone')] })],
      after: ['open new gone', 'remediated new gone by delete'],
    },
    { name: 'a store re-catalogued abroad', events: [copy('store', [US], ds('store', 'dump'))], after: ['open us dump'] },
    {
      name: 'a namespace newly classified',
      events: [
        event('copy', {
          inputs: [ds('classified', 'clicks', 'oci', 'us-ashburn-1')],
          outputs: [ds('classified', 'copy', 'aws', 'us-east-1')],
        }),
      ],
      after: ['open us copy'],
    },
    {
      name: 'a label no longer protected',
      events: [copy('gone', [GONE], ds('gone', 'copy', 'aws', 'eu-west-1'))],
      after: ['remediated gone copy by policy'],
    },
    { name: 'unchanged: nothing published again', events: [copy('same', [US], ds('same', 'copy', 'aws', 'eu-west-1'))], after: [] },
  ];
  const standard = `  - { id: us-user-data-residency, classifications: [us-user-data], severity: critical, allowed: [{ provider: oci, regions: [us-ashburn-1, us-phoenix-1] }] }`;
  const a = parsePolicyFile(`policies:
${standard}
  - { id: ${run}-us, classifications: [${US}], severity: critical, allowed: [{ provider: oci, regions: [us-ashburn-1, us-phoenix-1] }] }
  - { id: ${run}-gone, classifications: [${GONE}], severity: low, allowed: [{ provider: oci, regions: [us-ashburn-1] }] }
stores:
  - { namespace: "s3://${run}-store", provider: oci, region: us-ashburn-1 }
`);
  const b = parsePolicyFile(`policies:
${standard}
  - { id: ${run}-us, classifications: [${US}], severity: critical, allowed: [{ provider: oci, regions: [us-ashburn-1] }, { provider: aws, regions: [ap-southeast-1] }] }
  - { id: ${run}-new, classifications: [${NEW}], severity: high, allowed: [{ provider: oci, regions: [us-ashburn-1] }] }
stores:
  - { namespace: "s3://${run}-store", provider: aws, region: eu-central-1 }
classify:
  - { namespace: "s3://${run}-classified", name: clicks, classifications: [${US}] }
`);
  const caseOf = (alert: Alert) => (alert.node.kind === 'dataset' ? alert.node.namespace.slice(`s3://${run}-`.length) : '');
  return { cases, a, b, caseOf };
}

const ofRun = (run: string) => (a: Alert) => a.node.kind === 'dataset' && a.node.namespace.startsWith(`s3://${run}-`);
const policyOf = (run: string, a: Alert) => a.policyId.slice(run.length + 1);
const described = (run: string, a: Alert) =>
  `${a.status} ${policyOf(run, a)} ${a.node.kind === 'dataset' ? a.node.name : ''}${a.status === 'remediated' ? ` by ${a.remediatedBy}` : ''}`;

/**
 * The policy-change cases on every engine: policy-change.test.ts runs them in memory (the reference),
 * policy-change.int.test.ts on Neo4j. Each engine's verdicts after the change equal a fresh
 * evaluation under the new policy (`borderline check`'s engine), and it publishes exactly the changes.
 */
export function describePolicyChangeConformance(engine: string, make: MakeReevaluatingEngine): void {
  describe(`policy changes re-judge the graph (docs/contract.md §13): ${engine}`, () => {
    it('publishes what each change changes, and ends where a fresh evaluation under the new policy starts', async () => {
      const run = uniqueName('change');
      const { cases, a, b, caseOf } = estate(run);
      const subject = await make(a);
      try {
        const events = cases.flatMap((c) => c.events);
        const before = (await subject.write(events)).filter(ofRun(run));
        const published = (await subject.reevaluate(b)).filter(ofRun(run));
        const names = new Map(cases.map((c) => [c.events[0]!.inputs[0]!.namespace.slice(`s3://${run}-`.length), c]));
        for (const c of cases) {
          const states = published.filter((s) => names.get(caseOf(s)) === c).map((s) => described(run, s));
          expect(states, c.name).toEqual(c.after);
        }
        // The open alerts now (the last state published of each) are a fresh evaluation's under B.
        const last = new Map([...before, ...published].map((s) => [s.alertId, s]));
        const open = [...last.values()].filter((s) => s.status === 'open').map((s) => s.alertId);
        const fresh = await checkEvents(events, [], new PolicyIndex(b));
        expect(open.sort()).toEqual(
          fresh.alerts
            .filter((x) => x.status === 'open')
            .map((x) => x.alertId)
            .sort(),
        );
        expect(open.length).toBe(5); // tight, new, store, classified, same
        const again = (await subject.reevaluate(b)).filter(ofRun(run));
        expect(again, 'a second re-evaluation under the same policy publishes nothing').toEqual([]);
      } finally {
        await subject.close();
      }
    }, 180_000);

    it('changes policy in the middle of a shuffled random workload: ends with the reference verdicts of the new policy', async () => {
      const run = uniqueName('rchange');
      const seed = 4242;
      const standard = `  - { id: us-user-data-residency, classifications: [us-user-data], severity: critical, allowed: [{ provider: oci, regions: [us-ashburn-1, us-phoenix-1] }] }\n`;
      // B is the randomized tests' policy; A drops Phoenix from us-oci and does not protect EU data at all.
      const b = parsePolicyFile(RANDOM_POLICY.replace('policies:\n', `policies:\n${standard}`));
      const a = parsePolicyFile(
        RANDOM_POLICY.replace('policies:\n', `policies:\n${standard}`)
          .replace('regions: [us-ashburn-1, us-phoenix-1] }] }\n  - { id: us-country', 'regions: [us-ashburn-1] }] }\n  - { id: us-country')
          .replace(/ {2}- \{ id: eu,.*\n/, ''),
      );
      expect(a.policies.map((p) => p.id)).toEqual(['us-user-data-residency', 'us-oci', 'us-country']);
      const events = generateWorkload(run, seed, 1500);
      const delivered = shuffleWithDuplicates(events, seed + 1);
      const half = Math.floor(delivered.length / 2);
      const subject = await make(a);
      try {
        const published: Alert[] = [];
        for (let i = 0; i < half; i += 100) published.push(...(await subject.write(delivered.slice(i, Math.min(i + 100, half)))));
        const atChange = await subject.reevaluate(b);
        published.push(...atChange);
        for (let i = half; i < delivered.length; i += 100) published.push(...(await subject.write(delivered.slice(i, i + 100))));
        const mine = published.filter((x) => (x.node.kind === 'dataset' ? x.node.namespace : x.node.service).includes(run));
        // Every alert B raises ends as a fresh evaluation under B leaves it; every other alert — a
        // violation of A that B allows — ends remediated: by policy if it was open at the change, by
        // a delete if the data had gone before (that violation did happen; it stays on record).
        const final = finalAlertStates(mine);
        const expected = referenceAlerts(events, new PolicyIndex(b));
        expect(expected.size).toBeGreaterThan(10);
        expect(
          final.filter(([key]) => expected.has(key)),
          `seed ${seed}`,
        ).toEqual([...expected.entries()].sort(([x], [y]) => x.localeCompare(y)));
        expect(final.filter(([key, state]) => !expected.has(key) && state.status !== 'remediated')).toEqual([]);
        expect(atChange.filter((x) => x.status === 'open').length, 'the change opened alerts (EU data newly protected)').toBeGreaterThan(0);
      } finally {
        await subject.close();
      }
    }, 300_000);
  });
}
