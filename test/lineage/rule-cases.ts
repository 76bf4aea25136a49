import { expect } from 'vitest';
import type { Alert, NodeRef } from '../../src/policy/alert.js';
import type { ResidencyAnswer } from '../../src/lineage/answers.js';

/**
 * One table of the lineage rules (docs/contract.md §3–5, §10), run against the in-memory graph
 * (rule-cases.test.ts) and against Neo4j through Kafka and a tracker process (rule-cases.int.test.ts):
 * the same events, batch by batch, and the same expected alerts, witness paths and residency.
 */
export const RULES_POLICY = `
policies:
  - id: us-residency
    classifications: [us-user-data]
    severity: critical
    allowed: [{ provider: oci, regions: [us-ashburn-1, us-phoenix-1] }]
  - id: us-country
    classifications: [us-user-data]
    severity: high
    allowed: [{ countries: [US] }]
  - id: eu-residency
    classifications: [eu-personal-data, eu-health-data]
    severity: high
    allowed: [{ countries: [DE, FR, IE, NL] }]
stores:
  - namespace: "s3://catalogued-sg-*"
    provider: aws
    region: ap-southeast-1
classify:
  - namespace: "mysql://classified-*"
    name: "payments"
    classifications: [us-user-data]
clockSkewToleranceMs: 1000
`;

type Where = { region?: string; provider?: string };
const US_HOME: Where = { region: 'us-ashburn-1', provider: 'oci' };
const US_PHX: Where = { region: 'us-phoenix-1', provider: 'oci' };
const SG: Where = { region: 'ap-southeast-1', provider: 'aws' };
const VIRGINIA: Where = { region: 'us-east-1', provider: 'aws' };
const FRANKFURT: Where = { region: 'eu-central-1', provider: 'aws' };
const CHINA = { region: 'cn-north-1', provider: 'aws' };

export const T = (seconds: number): string => new Date(Date.parse('2026-11-22T10:00:00Z') + seconds * 1000).toISOString();

/** What one alert message of a case must be (a subset of the Alert, with nodes and events named as the case names them). */
export interface ExpectedMessage {
  /** `name` of a dataset in the case's namespace, `namespace name` for another, `actor:service@region` for an actor. */
  at: string;
  policyId: string;
  status: Alert['status'];
  reason?: Alert['reason'];
  severity?: Alert['severity'];
  classifications?: string[];
  /** The witness path, named as `at` is. */
  path?: string[];
  /** The events on the path, as indices into the case's events (all batches, in order). */
  eventIds?: number[];
  occurredAt?: string;
  node?: Partial<NodeRef>;
}

export interface RuleCase {
  name: string;
  /** Batches delivered in order, each consumed before the next is sent. */
  batches: object[][];
  /** Every alert message the case publishes, grouped by node and policy, in publication order per alert. */
  expected: ExpectedMessage[];
  /** Where each label lives at the end: the `at` names of its holdings. */
  residency?: Record<string, string[]>;
  /** Where a label lived as of an instant (seconds after T(0), event time): the `at` names of its holdings then. */
  residencyAsOf?: Array<{ at: number; label: string; holders: string[] }>;
  /**
   * The lineage around a dataset (both directions, depth 5) as of an instant: the `at` names of its
   * nodes, those deleted by then, and those with an open alert then.
   */
  lineageAsOf?: Array<{ at: number; from: string; nodes: string[]; deleted: string[]; withOpenAlerts: string[] }>;
}

/** The builders of one case, for its own namespace `pg://<p>` (p unique per run). */
function casesFor(p: string) {
  let sequence = 0;
  const ds = (name: string, where: Where = {}, classifications?: string[]) => ({
    namespace: `pg://${p}`,
    name,
    ...where,
    ...(classifications ? { classifications } : {}),
  });
  const base = (at: number | string) => ({
    specVersion: '1.0',
    eventId: `${p}-${(sequence += 1)}`,
    eventTime: typeof at === 'string' ? at : T(at),
  });
  const assert = (at: number, name: string, where: Where, labels: string[]) => ({
    ...base(at),
    operation: 'copy',
    inputs: [ds(name, where, labels)],
    outputs: [ds(`${name}-snapshot`, where)],
  });
  const move = (operation: string, at: number | string, from: string[], to: string, where: Where = {}, extra: object = {}) => ({
    ...base(at),
    operation,
    inputs: from.map((f) => ds(f)),
    outputs: [ds(to, where)],
    ...extra,
  });
  const del = (at: number, name: string) => ({ ...base(at), operation: 'delete', inputs: [ds(name)] });
  const access = (at: number, name: string, actor: Where & { region: string }) => ({
    ...base(at),
    operation: 'access',
    inputs: [ds(name)],
    actor: { service: `${p}-console`, ...actor },
  });
  const both = (at: string, status: Alert['status'] = 'open', extra: Partial<ExpectedMessage> = {}): ExpectedMessage[] => [
    { at, policyId: 'us-country', status, ...extra },
    { at, policyId: 'us-residency', status, ...extra },
  ];
  const openThenRemediated = (at: string) => [
    ...both(at).slice(0, 1),
    ...both(at, 'remediated').slice(0, 1),
    ...both(at).slice(1),
    ...both(at, 'remediated').slice(1),
  ];
  return { ds, base, assert, move, del, access, both, openThenRemediated };
}

/** The case table. `p` is the case's own prefix (namespace `pg://<p>`, actor service `<p>-console`). */
export function ruleCases(prefixOf: (name: string) => string): RuleCase[] {
  const make = (name: string, build: (c: ReturnType<typeof casesFor>, p: string) => Omit<RuleCase, 'name'>): RuleCase => {
    const p = prefixOf(
      name
        .replace(/[^a-z0-9]+/gi, '-')
        .slice(0, 30)
        .toLowerCase(),
    );
    return { name, ...build(casesFor(p), p) };
  };
  return [
    make('flags US data that reaches Singapore through two hops, under both policies, with the witness path', ({ assert, move, both }) => ({
      batches: [
        [
          assert(0, 'profiles', US_HOME, ['us-user-data']),
          move('copy', 10, ['profiles'], 'replica', US_PHX),
          move('copy', 20, ['replica'], 'backup', SG),
        ],
      ],
      expected: both('backup', 'open', {
        reason: 'unapproved-location',
        path: ['profiles', 'replica', 'backup'],
        eventIds: [1, 2],
        occurredAt: T(20),
        classifications: ['us-user-data'],
        node: { region: 'ap-southeast-1', provider: 'aws' },
      }).map((m) => ({ ...m, severity: m.policyId === 'us-residency' ? 'critical' : 'high' })),
      residency: { 'us-user-data': ['profiles', 'profiles-snapshot', 'replica', 'backup'] },
      residencyAsOf: [
        { at: -1, label: 'us-user-data', holders: [] },
        { at: 15, label: 'us-user-data', holders: ['profiles', 'profiles-snapshot', 'replica'] },
        { at: 20, label: 'us-user-data', holders: ['profiles', 'profiles-snapshot', 'replica', 'backup'] },
      ],
      lineageAsOf: [
        { at: 15, from: 'profiles', nodes: ['profiles', 'profiles-snapshot', 'replica'], deleted: [], withOpenAlerts: [] },
        {
          at: 25,
          from: 'profiles',
          nodes: ['profiles', 'profiles-snapshot', 'replica', 'backup'],
          deleted: [],
          withOpenAlerts: ['backup'],
        },
      ],
    })),
    make('finds the violation when a late event completes an older path (A->B arrives after B->C)', ({ assert, move, both }) => ({
      batches: [
        [move('copy', 20, ['replica'], 'backup', SG)],
        [move('copy', 10, ['profiles'], 'replica', US_PHX)],
        [assert(0, 'profiles', US_HOME, ['us-user-data'])],
      ],
      expected: both('backup', 'open', { path: ['profiles', 'replica', 'backup'], eventIds: [1, 0] }),
    })),
    make('does not flag a copy made before the data arrived, and flags the later re-sync', ({ assert, move, both }) => ({
      batches: [
        [move('copy', 10, ['profiles'], 'backup', SG), assert(20, 'profiles', US_HOME, ['us-user-data'])],
        [move('copy', 30, ['profiles'], 'backup', SG)],
      ],
      expected: both('backup', 'open', { eventIds: [2], occurredAt: T(30) }),
    })),
    make('lets data flow through a copy inside the clock-skew tolerance, and not outside it', ({ assert, move, both }) => ({
      batches: [
        [
          assert(100, 'profiles', US_HOME, ['us-user-data']),
          move('copy', new Date(Date.parse(T(100)) - 500).toISOString(), ['profiles'], 'inside', SG),
          move('copy', new Date(Date.parse(T(100)) - 1500).toISOString(), ['profiles'], 'outside', SG),
        ],
      ],
      expected: both('inside'),
    })),
    make('carries every input label through a derive fan-in, minus what it strips', ({ assert, move }) => ({
      batches: [
        [
          assert(0, 'us-profiles', US_HOME, ['us-user-data']),
          assert(0, 'eu-profiles', FRANKFURT, ['eu-personal-data']),
          move('derive', 10, ['us-profiles', 'eu-profiles'], 'joined', SG),
          move('derive', 10, ['us-profiles', 'eu-profiles'], 'partly-anonymised', SG, { removesClassifications: ['us-user-data'] }),
          move('derive', 10, ['us-profiles', 'eu-profiles'], 'aggregate', SG, {
            removesClassifications: ['us-user-data', 'eu-personal-data'],
          }),
        ],
      ],
      expected: [
        { at: 'joined', policyId: 'eu-residency', status: 'open', classifications: ['eu-personal-data'] },
        { at: 'joined', policyId: 'us-country', status: 'open' },
        { at: 'joined', policyId: 'us-residency', status: 'open' },
        {
          at: 'partly-anonymised',
          policyId: 'eu-residency',
          status: 'open',
          classifications: ['eu-personal-data'],
          path: ['eu-profiles', 'partly-anonymised'],
        },
      ],
    })),
    make('raises one alert listing every label of the policy that reached the node together', ({ assert, move }) => ({
      batches: [[assert(0, 'patients', FRANKFURT, ['eu-personal-data', 'eu-health-data']), move('copy', 10, ['patients'], 'export', SG)]],
      expected: [{ at: 'export', policyId: 'eu-residency', status: 'open', classifications: ['eu-health-data', 'eu-personal-data'] }],
    })),
    make('flags an engineer reading US data from abroad, and not one reading it at home', ({ assert, access, both }, p) => ({
      batches: [
        [
          assert(0, 'profiles', US_HOME, ['us-user-data']),
          access(10, 'profiles', CHINA),
          access(10, 'profiles', { region: 'us-ashburn-1', provider: 'oci' }),
        ],
      ],
      expected: both(`actor:${p}-console@cn-north-1`, 'open', {
        eventIds: [1],
        path: ['profiles', `actor:${p}-console@cn-north-1`],
        node: { kind: 'actor', service: `${p}-console`, region: 'cn-north-1', provider: 'aws' },
      }),
      residency: { 'us-user-data': ['profiles', 'profiles-snapshot', `actor:${p}-console@cn-north-1`, `actor:${p}-console@us-ashburn-1`] },
    })),
    make('fails closed on an unknown location, and places a store through the store catalog', ({ assert, move, base, ds, both }, p) => ({
      batches: [
        [
          assert(0, 'profiles', US_HOME, ['us-user-data']),
          move('copy', 10, ['profiles'], 'nowhere'),
          { ...base(10), operation: 'copy', inputs: [ds('profiles')], outputs: [{ namespace: `s3://catalogued-sg-${p}`, name: 'dump' }] },
        ],
      ],
      expected: [
        ...both(`s3://catalogued-sg-${p} dump`, 'open', {
          reason: 'unapproved-location',
          node: { kind: 'dataset', namespace: `s3://catalogued-sg-${p}`, name: 'dump', region: 'ap-southeast-1', provider: 'aws' },
        }),
        ...both('nowhere', 'open', { reason: 'unknown-location' }),
      ],
    })),
    make('places regions in countries: Virginia breaks the OCI-only policy but not the US-only one', ({ assert, move }) => ({
      batches: [[assert(0, 'profiles', US_HOME, ['us-user-data']), move('copy', 10, ['profiles'], 'legacy', VIRGINIA)]],
      expected: [{ at: 'legacy', policyId: 'us-residency', status: 'open', node: { region: 'us-east-1', provider: 'aws' } }],
    })),
    make('flags a dataset holding US data when a later event states it lives in Singapore', ({ assert, move, both }) => ({
      batches: [
        [assert(0, 'profiles', US_HOME, ['us-user-data']), move('copy', 10, ['profiles'], 'store', US_PHX)],
        [move('copy', 20, ['elsewhere'], 'store', SG)],
      ],
      expected: both('store', 'open', { node: { region: 'ap-southeast-1', provider: 'aws' }, path: ['profiles', 'store'], eventIds: [1] }),
    })),
    make('raises one alert per (policy, node) however often the events are delivered', ({ assert, move, both }) => {
      const events = [
        assert(0, 'profiles', US_HOME, ['us-user-data']),
        move('copy', 10, ['profiles'], 'backup', SG),
        move('copy', 11, ['profiles'], 'backup', SG),
      ];
      return { batches: [[...events, ...events], events], expected: both('backup', 'open', { eventIds: [1] }) };
    }),
    make('publishes the same alertId as remediated when a delete removes the dataset', ({ assert, move, del, openThenRemediated }) => ({
      batches: [[assert(0, 'profiles', US_HOME, ['us-user-data']), move('copy', 10, ['profiles'], 'backup', SG)], [del(50, 'backup')]],
      expected: openThenRemediated('backup'),
      residency: { 'us-user-data': ['profiles', 'profiles-snapshot'] },
      residencyAsOf: [
        { at: 49, label: 'us-user-data', holders: ['profiles', 'profiles-snapshot', 'backup'] },
        { at: 50, label: 'us-user-data', holders: ['profiles', 'profiles-snapshot'] },
      ],
      lineageAsOf: [
        { at: 30, from: 'profiles', nodes: ['profiles', 'profiles-snapshot', 'backup'], deleted: [], withOpenAlerts: ['backup'] },
        { at: 60, from: 'profiles', nodes: ['profiles', 'profiles-snapshot', 'backup'], deleted: ['backup'], withOpenAlerts: [] },
      ],
    })),
    make(
      'publishes open then remediated when the delete was consumed before the copy it remediates',
      ({ assert, move, del, openThenRemediated }) => ({
        batches: [[del(50, 'backup')], [assert(0, 'profiles', US_HOME, ['us-user-data']), move('copy', 10, ['profiles'], 'backup', SG)]],
        expected: openThenRemediated('backup'),
      }),
    ),
    make(
      'publishes open then remediated, each once, when the copy and its delete are written together',
      ({ assert, move, del, openThenRemediated }) => ({
        batches: [[assert(0, 'profiles', US_HOME, ['us-user-data']), move('copy', 10, ['profiles'], 'backup', SG), del(50, 'backup')]],
        expected: openThenRemediated('backup').map((m) => ({ ...m, path: ['profiles', 'backup'] })),
      }),
    ),
    make('keeps an alert open when the delete came before the data arrived', ({ assert, move, del, both }) => ({
      batches: [[assert(0, 'profiles', US_HOME, ['us-user-data']), del(5, 'backup'), move('copy', 10, ['profiles'], 'backup', SG)]],
      expected: both('backup'),
      residency: { 'us-user-data': ['profiles', 'profiles-snapshot', 'backup'] },
    })),
    make(
      'counts a copy that arrives again after a delete as living there again, without a second alert',
      ({ assert, move, del, openThenRemediated }) => ({
        batches: [
          [
            assert(0, 'profiles', US_HOME, ['us-user-data']),
            move('copy', 10, ['profiles'], 'backup', SG),
            del(20, 'backup'),
            move('copy', 30, ['profiles'], 'backup', SG),
          ],
        ],
        expected: openThenRemediated('backup'),
        residency: { 'us-user-data': ['profiles', 'profiles-snapshot', 'backup'] },
        residencyAsOf: [
          { at: 25, label: 'us-user-data', holders: ['profiles', 'profiles-snapshot'] },
          { at: 30, label: 'us-user-data', holders: ['profiles', 'profiles-snapshot', 'backup'] },
        ],
      }),
    ),
    make('takes the data out of a move’s input for the residency inventory, not out of its lineage', ({ assert, move, both }) => ({
      batches: [
        [
          assert(0, 'profiles', US_HOME, ['us-user-data']),
          move('move', 10, ['profiles'], 'archive', SG),
          move('copy', 20, ['profiles'], 'later', SG),
        ],
      ],
      expected: [...both('archive'), ...both('later')],
      residency: { 'us-user-data': ['profiles-snapshot', 'archive', 'later'] },
      residencyAsOf: [
        { at: 5, label: 'us-user-data', holders: ['profiles', 'profiles-snapshot'] },
        { at: 15, label: 'us-user-data', holders: ['profiles-snapshot', 'archive'] },
      ],
    })),
    make('judges events before 1970 like any other: an approved copy in 1969 is fine, a copy abroad is not', ({ ds, base, both }) => ({
      batches: [
        [
          {
            ...base('1969-07-20T20:17:00Z'),
            operation: 'copy',
            inputs: [ds('profiles', US_HOME, ['us-user-data'])],
            outputs: [ds('apollo', US_PHX)],
          },
          { ...base('1969-07-21T02:56:00Z'), operation: 'copy', inputs: [ds('apollo')], outputs: [ds('abroad', SG)] },
        ],
      ],
      expected: both('abroad', 'open', { path: ['profiles', 'apollo', 'abroad'], occurredAt: '1969-07-21T02:56:00Z' }),
    })),
    make('judges events in year 9999 like any other, and answers with RFC 3339 times', ({ ds, base, both }) => ({
      batches: [
        [
          {
            ...base('9999-12-31T22:00:00Z'),
            operation: 'copy',
            inputs: [ds('profiles', US_HOME, ['us-user-data'])],
            outputs: [ds('late', US_PHX)],
          },
          { ...base('9999-12-31T23:59:59.999Z'), operation: 'copy', inputs: [ds('late')], outputs: [ds('abroad', SG)] },
        ],
      ],
      expected: both('abroad', 'open', { path: ['profiles', 'late', 'abroad'], occurredAt: '9999-12-31T23:59:59.999Z' }),
      residency: { 'us-user-data': ['profiles', 'late', 'abroad'] },
    })),
    make('labels a dataset through the classification catalog from its first appearance', ({ base, both }, p) => ({
      batches: [
        [
          {
            ...base(10),
            operation: 'copy',
            inputs: [{ namespace: `mysql://classified-${p}`, name: 'payments', ...US_HOME }],
            outputs: [{ namespace: `pg://${p}`, name: 'export', ...SG }],
          },
          {
            ...base(5),
            operation: 'copy',
            inputs: [{ namespace: `mysql://classified-${p}`, name: 'other', ...US_HOME }],
            outputs: [{ namespace: `pg://${p}`, name: 'unlabelled', ...SG }],
          },
        ],
      ],
      expected: both('export', 'open', { path: [`mysql://classified-${p} payments`, 'export'], eventIds: [0] }),
    })),
  ];
}

/** How a case names a node: `name` in its own namespace, `namespace name` elsewhere, `actor:service@region`. */
export function caseName(node: NodeRef, p: string): string {
  if (node.kind === 'actor') return `actor:${node.service}@${node.region}`;
  return node.namespace === `pg://${p}` ? node.name : `${node.namespace} ${node.name}`;
}

type LineageAsOf = NonNullable<RuleCase['lineageAsOf']>[number];

/** A lineage answer as a case names it: its nodes, those deleted, those with open alerts (each sorted). */
export function lineageAsOfOf(
  answer: { nodes: Array<NodeRef & { deletedAt?: string | undefined; openAlertIds: string[] }> },
  p: string,
): Omit<LineageAsOf, 'at' | 'from'> {
  const names = (nodes: typeof answer.nodes) => nodes.map((n) => caseName(n, p)).sort();
  return {
    nodes: names(answer.nodes),
    deleted: names(answer.nodes.filter((n) => n.deletedAt !== undefined)),
    withOpenAlerts: names(answer.nodes.filter((n) => n.openAlertIds.length > 0)),
  };
}

/** What a case expects of a lineage answer as of an instant, sorted as `lineageAsOfOf` gives it. */
export const expectedLineageAsOf = ({ nodes, deleted, withOpenAlerts }: LineageAsOf): Omit<LineageAsOf, 'at' | 'from'> => ({
  nodes: [...nodes].sort(),
  deleted: [...deleted].sort(),
  withOpenAlerts: [...withOpenAlerts].sort(),
});

/** Whether an alert belongs to the case with prefix p. */
export const ofCase = (alert: Alert, p: string): boolean =>
  alert.node.kind === 'actor' ? alert.node.service.startsWith(`${p}-`) : alert.node.namespace.endsWith(p);

/** Checks the alert messages a case published (in publication order) against what the table expects. */
export function expectCaseAlerts(rule: RuleCase, p: string, published: readonly Alert[], eventIds: readonly string[]): void {
  const mine = published.filter((a) => ofCase(a, p));
  const seen = mine.map((a) => ({
    at: caseName(a.node, p),
    policyId: a.policyId,
    status: a.status,
    reason: a.reason,
    severity: a.severity,
    classifications: a.classifications,
    path: a.path.map((n) => caseName(n, p)),
    eventIds: a.eventIds.map((id) => eventIds.indexOf(id)),
    occurredAt: a.occurredAt,
    node: a.node,
  }));
  const order = (m: { at: string; policyId: string }) => `${m.at}\u0000${m.policyId}`;
  const sorted = [...seen].sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
  const expected = [...rule.expected].sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
  expect(sorted, `${rule.name}: published ${JSON.stringify(sorted.map((m) => [m.at, m.policyId, m.status]))}`).toMatchObject(expected);
}

/** The event ids of a case, in order. */
export const caseEventIds = (rule: RuleCase): string[] =>
  rule.batches
    .flat()
    .map((e) => (e as { eventId: string }).eventId)
    .filter((id, i, all) => all.indexOf(id) === i);

/** The prefix a case's nodes carry. */
export const casePrefix = (rule: RuleCase): string => (rule.batches.flat()[0] as { eventId: string }).eventId.replace(/-\d+$/, '');

/**
 * The residency list narrowed to approved (or unapproved) holdings, one holding a page, agrees with
 * the whole list: the true total of each verdict, the first of them, and `truncated` when cut.
 */
export async function expectApprovedPages(
  all: ResidencyAnswer['holdings'],
  firstOf: (approved: boolean) => Promise<Pick<ResidencyAnswer, 'holdings' | 'total' | 'truncated'>>,
): Promise<void> {
  for (const approved of [true, false]) {
    const those = all.filter((h) => h.approved === approved);
    const { holdings, total, truncated } = await firstOf(approved);
    expect({ holdings, total, truncated }, `approved=${String(approved)}, limit=1`).toEqual({
      holdings: those.slice(0, 1),
      total: those.length,
      truncated: those.length > 1,
    });
  }
}
