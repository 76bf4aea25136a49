import type { DataMovementEvent } from '../../src/events/data-movement-event.js';

/** The policy the random workloads are judged by. */
export const RANDOM_POLICY = `
policies:
  - { id: us-oci, classifications: [us-user-data], severity: critical, allowed: [{ provider: oci, regions: [us-ashburn-1, us-phoenix-1] }] }
  - { id: us-country, classifications: [us-user-data], severity: high, allowed: [{ countries: [US] }] }
  - { id: eu, classifications: [eu-personal-data], severity: high, allowed: [{ countries: [DE, FR, IE] }] }
stores:
  - { namespace: "s3://sg-*", provider: aws, region: ap-southeast-1 }
clockSkewToleranceMs: 1000
`;

/** A small seeded generator (mulberry32), so a failing seed can be replayed. */
export function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!, chance: (p: number) => next() < p };
}

const LOCATIONS = [
  { region: 'us-ashburn-1', provider: 'oci' },
  { region: 'us-phoenix-1', provider: 'oci' },
  { region: 'us-east-1', provider: 'aws' },
  { region: 'ap-southeast-1', provider: 'aws' },
  { region: 'eu-central-1', provider: 'aws' },
  { region: 'europe-west1', provider: 'gcp' },
  {},
];
const LABELS = ['us-user-data', 'eu-personal-data', 'internal'];
const ACTORS = [
  { service: 'console', region: 'cn-north-1', provider: 'aws' },
  { service: 'console', region: 'us-ashburn-1', provider: 'oci' },
  { service: 'bi', region: 'eu-west-1', provider: 'aws' },
];

/**
 * Random events over a random graph of `datasets` datasets (every tenth placed only by the store
 * catalog); each dataset keeps one location (or none) throughout. Copies, moves, derives (some
 * stripping a label), accesses from three actors and deletes, over ten minutes; about one dataset
 * reference in eight asserts a label.
 */
export function generateWorkload(run: string, seed: number, count: number, datasets = 40): DataMovementEvent[] {
  const rnd = random(seed);
  const all = Array.from({ length: datasets }, (_, i) => ({
    namespace: i % 10 === 9 ? `s3://sg-${run}` : `pg://${run}`,
    name: `d${i}`,
    ...(i % 10 === 9 ? {} : rnd.pick(LOCATIONS)),
  }));
  const ref = () => {
    const d = rnd.pick(all);
    return rnd.chance(0.12) ? { ...d, classifications: [rnd.pick(LABELS)] } : { ...d };
  };
  const some = () => Array.from({ length: rnd.chance(0.25) ? 2 : 1 }, ref);
  return Array.from({ length: count }, (_, i): DataMovementEvent => {
    const head = {
      specVersion: '1.0' as const,
      eventId: `${run}-${i}`,
      eventTime: new Date(Date.parse('2026-11-22T00:00:00Z') + Math.floor(rnd.next() * 600_000)).toISOString(),
    };
    const kind = rnd.next();
    if (kind < 0.5) return { ...head, operation: rnd.chance(0.8) ? 'copy' : 'move', inputs: some(), outputs: some() };
    if (kind < 0.7)
      return {
        ...head,
        operation: 'derive',
        inputs: some(),
        outputs: some(),
        removesClassifications: rnd.chance(0.5) ? [rnd.pick(LABELS)] : [],
      };
    if (kind < 0.85)
      return {
        ...head,
        operation: 'access',
        inputs: some(),
        actor: { ...rnd.pick(ACTORS), service: `${run}-${rnd.pick(ACTORS).service}` },
      };
    return { ...head, operation: 'delete', inputs: [ref()] };
  });
}

/** The events as a broker would deliver them: shuffled, about one in ten twice. */
export function shuffleWithDuplicates<T>(events: readonly T[], seed: number): T[] {
  const rnd = random(seed);
  return [...events, ...events.filter(() => rnd.chance(0.1))]
    .map((e) => ({ e, order: rnd.next() }))
    .sort((a, b) => a.order - b.order)
    .map(({ e }) => e);
}

/** Final (policy, node) → reason and status, from the alert messages in publication order. */
export function finalAlertStates(
  alerts: ReadonlyArray<{
    policyId: string;
    reason: string;
    status: string;
    node: { kind: string; namespace?: string; name?: string; service?: string; region?: string };
  }>,
) {
  const final = new Map<string, { policyId: string; node: string; reason: string; status: string }>();
  for (const a of alerts) {
    const node = a.node.kind === 'dataset' ? `dataset|${a.node.namespace}|${a.node.name}` : `actor|${a.node.service}|${a.node.region}`;
    final.set(`${a.policyId}|${node}`, { policyId: a.policyId, node, reason: a.reason, status: a.status });
  }
  return [...final.entries()].sort(([a], [b]) => a.localeCompare(b));
}
