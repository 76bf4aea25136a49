import type { DataMovementEvent } from '../../src/events/data-movement-event.js';

/** A deterministic pseudo-random copy between two of the datasets; one source in ten asserts US data. */
export function benchEvent(run: string, i: number, datasets: number, label = 'us-user-data'): DataMovementEvent {
  const from = (i * 7919) % datasets;
  const to = (i * 104_729 + 13) % datasets;
  return {
    specVersion: '1.0',
    eventId: `${run}-${i}`,
    eventTime: new Date(Date.parse('2026-11-22T00:00:00Z') + i).toISOString(),
    operation: 'copy',
    inputs: [{ namespace: `pg://${run}`, name: `table-${from}`, region: regionOf(from), provider: 'oci', ...(from % 10 === 0 ? { classifications: [label] } : {}) }],
    outputs: [{ namespace: `pg://${run}`, name: `table-${to}`, region: regionOf(to), provider: 'oci' }],
    producer: 'bench',
  };
}


/** Each dataset lives in one region (a dataset's region changes only when it moves). */
const regionOf = (dataset: number): string => (dataset % 2 === 0 ? 'us-ashburn-1' : 'us-phoenix-1');
