import type { DataMovementEvent } from '../../src/events/data-movement-event.js';

/** A policy under which every copy of `us-user-data` outside OCI's US regions is a violation. */
export const FAN_OUT_POLICY = `
policies:
  - { id: us-oci, classifications: [us-user-data], severity: critical, allowed: [{ provider: oci, regions: [us-ashburn-1] }] }
`;

/**
 * `events` copies of one US dataset (labelled, in OCI's Ashburn region) to 500 new datasets each, in
 * AWS us-east-1: `events × 500` alerts at once, one per copy (an estate-wide backfill gone wrong).
 */
export function fanOutEvents(events: number): DataMovementEvent[] {
  return Array.from({ length: events }, (_, e) => ({
    specVersion: '1.0',
    eventId: `fan-out-${e}`,
    eventTime: '2026-11-22T10:00:00.000Z',
    operation: 'copy',
    inputs: [{ namespace: 'pg://us', name: 'users', provider: 'oci', region: 'us-ashburn-1', classifications: ['us-user-data'] }],
    outputs: Array.from({ length: 500 }, (_, o) => ({
      namespace: 's3://backfill',
      name: `part-${e}-${o}`,
      provider: 'aws',
      region: 'us-east-1',
    })),
  }));
}
