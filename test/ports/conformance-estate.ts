import { eventDigest } from '../../src/events/event-digest.js';
import { parseDataMovementEvent } from '../../src/events/parse-data-movement-event.js';
import type { DataMovementEvent } from '../../src/events/data-movement-event.js';
import { planGraphWrite, type GraphWritePlan } from '../../src/lineage/plan-graph-write.js';
import { parsePolicyFile } from '../../src/policy/load-policy-file.js';
import { PolicyIndex } from '../../src/policy/policy-index.js';

/** The policy of the port conformance suites: US user data only in OCI's US regions. */
export const CONFORMANCE_POLICIES = new PolicyIndex(
  parsePolicyFile(`
policies:
  - id: us-residency
    classifications: [us-user-data]
    severity: critical
    allowed: [{ provider: oci, regions: [us-ashburn-1, us-phoenix-1] }]
clockSkewToleranceMs: 1000
`),
);

export const at = (seconds: number): string => new Date(Date.parse('2026-11-22T10:00:00Z') + seconds * 1000).toISOString();

/** Datasets of one test, in a namespace no other test (or run) uses. */
export function estate(run: string) {
  const home = { namespace: `pg://${run}`, name: 'profiles', region: 'us-ashburn-1', provider: 'oci' };
  const place = (name: string, region: string, provider: string) => ({ namespace: `pg://${run}`, name, region, provider });
  return {
    home,
    labelledHome: { ...home, classifications: ['us-user-data'] },
    phoenix: place('replica', 'us-phoenix-1', 'oci'),
    singapore: place('backup', 'ap-southeast-1', 'aws'),
    virginia: place('legacy', 'us-east-1', 'aws'),
  };
}

type Ref = { namespace: string; name: string; region?: string; provider?: string; classifications?: string[] };

/** A validated event of the given operation (parsed as the tracker parses it). */
export function movement(
  eventId: string,
  seconds: number,
  operation: string,
  inputs: Ref[],
  outputs: Ref[] = [],
  actor?: { service: string; region: string; provider?: string },
): DataMovementEvent {
  const parsed = parseDataMovementEvent({
    specVersion: '1.0',
    eventId,
    eventTime: at(seconds),
    operation,
    inputs,
    outputs,
    ...(actor ? { actor } : {}),
  });
  if (!parsed.ok) throw new Error(`bad conformance event ${eventId}: ${parsed.problems.join('; ')}`);
  return parsed.event;
}

/** The plan the ingest pipeline would write for these events (digests included, so conflicts are seen). */
export function planOf(...events: DataMovementEvent[]): GraphWritePlan {
  const digests = new Map(events.map((e) => [e, eventDigest(e)]));
  return planGraphWrite(events, [], (e) => digests.get(e));
}
