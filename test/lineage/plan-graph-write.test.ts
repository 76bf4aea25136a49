import { describe, expect, it } from 'vitest';
import type { DataMovementEvent } from '../../src/events/data-movement-event.js';
import type { DatasetRef } from '../../src/events/dataset-ref.js';
import { UNLOCATED_MS, planGraphWrite } from '../../src/lineage/plan-graph-write.js';

const t = (iso: string) => `2026-11-22T${iso}Z`;
const users = { namespace: 'pg://users', name: 'profiles', region: 'US-Ashburn-1', provider: 'oci', classifications: ['us-user-data'] };
const backup: DatasetRef = { namespace: 's3://sg', name: 'profiles' };

const copy = (eventId: string, time: string, outputs = [backup]): DataMovementEvent => ({
  specVersion: '1.0',
  eventId,
  eventTime: t(time),
  operation: 'copy',
  inputs: [users],
  outputs,
});

describe('planGraphWrite', () => {
  it('plans one event row per event id, even when the batch holds duplicates', () => {
    const plan = planGraphWrite([copy('e1', '10:00:00'), copy('e1', '10:00:00'), copy('e2', '10:00:01')]);
    expect(plan.events.map((e) => e.eventId)).toEqual(['e1', 'e2']);
    expect(plan.flows.map((f) => f.eventId)).toEqual(['e1', 'e2']);
  });

  it('plans each dataset once, lower-cases regions, and keeps the location of the latest event', () => {
    const moved = { ...backup, region: 'ap-southeast-1', provider: 'aws' };
    const plan = planGraphWrite([
      copy('late', '12:00:00', [moved]),
      copy('early', '09:00:00', [{ ...backup, region: 'eu-west-1', provider: 'aws' }]),
    ]);
    expect(plan.datasets).toEqual([
      { namespace: 'pg://users', name: 'profiles', provider: 'oci', region: 'us-ashburn-1', timeMs: Date.parse(t('12:00:00')) },
      { namespace: 's3://sg', name: 'profiles', provider: 'aws', region: 'ap-southeast-1', timeMs: Date.parse(t('12:00:00')) },
    ]);
  });

  it('marks a dataset without a stated location so that it never overwrites a known one', () => {
    const plan = planGraphWrite([copy('e1', '10:00:00')]);
    expect(plan.datasets.find((d) => d.namespace === 's3://sg')).toMatchObject({ region: null, provider: null, timeMs: UNLOCATED_MS });
  });

  it('keeps the stated location of an event before 1970 newer than no location at all', () => {
    const early: DataMovementEvent = {
      specVersion: '1.0',
      eventId: 'e1969',
      eventTime: '1969-07-20T20:17:00Z',
      operation: 'copy',
      inputs: [users],
      outputs: [backup],
    };
    const located = planGraphWrite([early]).datasets.find((d) => d.region !== null);
    expect(located?.timeMs).toBe(Date.parse('1969-07-20T20:17:00Z'));
    expect(located!.timeMs).toBeGreaterThan(UNLOCATED_MS);
    expect(Date.parse('0001-01-01T00:00:00Z')).toBeGreaterThan(UNLOCATED_MS);
  });

  it('plans a flow for every input and output pair, with the labels a derive strips', () => {
    const event: DataMovementEvent = {
      specVersion: '1.0',
      eventId: 'd1',
      eventTime: t('10:00:00'),
      operation: 'derive',
      inputs: [users, { namespace: 'pg://users', name: 'orders' }],
      outputs: [backup, { namespace: 'bq://a', name: 'agg' }],
      removesClassifications: ['us-user-data'],
    };
    const plan = planGraphWrite([event]);
    expect(plan.flows.map((f) => `${f.fromName}->${f.toName}:${f.removes.join(',')}`)).toEqual([
      'profiles->profiles:us-user-data',
      'profiles->agg:us-user-data',
      'orders->profiles:us-user-data',
      'orders->agg:us-user-data',
    ]);
  });

  it('plans an access as the actor reading each input, and a delete as a deletion of each input', () => {
    const access: DataMovementEvent = {
      specVersion: '1.0',
      eventId: 'a1',
      eventTime: t('10:00:00'),
      operation: 'access',
      inputs: [users],
      actor: { service: 'debug', region: 'CN-North-1' },
    };
    const remove: DataMovementEvent = {
      specVersion: '1.0',
      eventId: 'x1',
      eventTime: t('11:00:00'),
      operation: 'delete',
      inputs: [backup],
    };
    const plan = planGraphWrite([access, remove]);
    expect(plan.actors).toEqual([{ service: 'debug', region: 'cn-north-1', provider: null }]);
    expect(plan.accesses).toEqual([
      {
        eventId: 'a1',
        namespace: 'pg://users',
        name: 'profiles',
        service: 'debug',
        region: 'cn-north-1',
        timeMs: Date.parse(t('10:00:00')),
      },
    ]);
    expect(plan.deletions).toEqual([{ eventId: 'x1', namespace: 's3://sg', name: 'profiles', timeMs: Date.parse(t('11:00:00')) }]);
    expect(plan.flows).toEqual([]);
  });

  it('plans the classifications each dataset asserts, at the event time', () => {
    const plan = planGraphWrite([copy('e1', '10:00:00')]);
    expect(plan.assertions).toEqual([
      { eventId: 'e1', namespace: 'pg://users', name: 'profiles', classification: 'us-user-data', timeMs: Date.parse(t('10:00:00')) },
    ]);
  });
});
