import { describe, expect, it } from 'vitest';
import type { DataMovementEvent } from '../../src/events/data-movement-event.js';
import { withTraceFromHeaders } from '../../src/ingest/trace-from-headers.js';

const event = {
  specVersion: '1.0',
  eventId: 'e',
  eventTime: '2026-11-22T10:00:00Z',
  operation: 'copy',
  inputs: [],
  outputs: [],
} as unknown as DataMovementEvent;

describe('withTraceFromHeaders', () => {
  it('reads the trace and span ids of a W3C traceparent', () => {
    expect(withTraceFromHeaders(event, { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' }).trace).toEqual({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
    });
  });

  it('ignores all-zero ids, malformed headers and a missing header', () => {
    for (const traceparent of ['00-00000000000000000000000000000000-00f067aa0ba902b7-01', 'garbage', '']) {
      expect(withTraceFromHeaders(event, { traceparent }).trace).toBeUndefined();
    }
    expect(withTraceFromHeaders(event, {}).trace).toBeUndefined();
  });
});
