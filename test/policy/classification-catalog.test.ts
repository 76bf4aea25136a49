import { describe, expect, it } from 'vitest';
import type { DataMovementEvent } from '../../src/events/data-movement-event.js';
import { ClassificationCatalog } from '../../src/policy/classification-catalog.js';
import { parsePolicyFile } from '../../src/policy/load-policy-file.js';

const catalog = new ClassificationCatalog([
  { namespace: 'postgres://users-db*', name: 'public.profiles', classifications: ['us-user-data'] },
  { namespace: 'mysql://crm-eu', classifications: ['eu-personal-data'] },
  { namespace: 'postgres://users-db:5432', name: 'public.*', classifications: ['us-user-data', 'internal'] },
]);

describe('the classification catalog (docs/contract.md §10)', () => {
  it('matches exact namespaces and names, prefixes ending in *, and every dataset of a namespace when name is absent', () => {
    expect(catalog.labelsOf('postgres://users-db:5432', 'public.profiles')).toEqual(['us-user-data', 'internal']);
    expect(catalog.labelsOf('postgres://users-db', 'public.orders')).toEqual([]);
    expect(catalog.labelsOf('mysql://crm-eu', 'anything')).toEqual(['eu-personal-data']);
    expect(catalog.labelsOf('mysql://crm-eu-2', 'anything')).toEqual([]);
    expect(catalog.labels).toEqual(['eu-personal-data', 'internal', 'us-user-data']);
  });

  it("asserts its labels on every dataset an event names, inputs and outputs, keeping the event's own", () => {
    const event = {
      specVersion: '1.0',
      eventId: 'e',
      eventTime: '2026-11-22T10:00:00Z',
      operation: 'copy',
      inputs: [{ namespace: 'mysql://crm-eu', name: 'contacts', classifications: ['x'] }],
      outputs: [
        { namespace: 'postgres://users-db', name: 'public.profiles' },
        { namespace: 's3://b', name: 'c' },
      ],
    } as DataMovementEvent;
    const classified = catalog.classify(event);
    expect(classified.inputs[0]?.classifications).toEqual(['x', 'eu-personal-data']);
    expect(classified.outputs?.map((o) => o.classifications)).toEqual([['us-user-data'], undefined]);
    expect(event.inputs[0]?.classifications).toEqual(['x']); // the original is left as it was
  });

  it('is part of the policy file, checked: a * only at the end, at least one label', () => {
    const file = parsePolicyFile(
      'policies: [{ id: p, classifications: [a], severity: low, allowed: [{ provider: oci }] }]\nclassify:\n  - namespace: "pg://*"\n    classifications: [a]\n',
    );
    expect(file.classify).toEqual([{ namespace: 'pg://*', classifications: ['a'] }]);
    expect(() =>
      parsePolicyFile(
        'policies: [{ id: p, classifications: [a], severity: low, allowed: [{ provider: oci }] }]\nclassify:\n  - namespace: "pg://*/x"\n    classifications: []\n',
      ),
    ).toThrow(
      /classify\[0\]\.namespace: only a trailing \* is allowed in namespace[\s\S]*classify\[0\]\.classifications: an entry assigns at least one classification/,
    );
  });
});
