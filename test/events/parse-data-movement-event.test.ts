import { describe, expect, it } from 'vitest';
import { parseDataMovementEvent, parseDataMovementEventBytes } from '../../src/events/parse-data-movement-event.js';
import { invalidEvents, validEvents } from './event-cases.js';

const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

describe('parseDataMovementEvent', () => {
  it.each(Object.entries(validEvents))('accepts %s', (_name, event) => {
    const result = parseDataMovementEvent(event);
    expect(result).toEqual({ ok: true, event });
  });

  it.each(Object.entries(invalidEvents))('rejects %s, naming the field and the rule', (_name, { event, problem }) => {
    const result = parseDataMovementEvent(event);
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems).toContain(problem);
  });
});

describe('parseDataMovementEventBytes', () => {
  const oneValid = Object.values(validEvents)[0];

  it('accepts a valid event encoded as UTF-8 JSON', () => {
    expect(parseDataMovementEventBytes(encode(oneValid), 1024 * 1024)).toEqual({ ok: true, event: oneValid });
  });

  it('rejects a message over the size limit before parsing it', () => {
    const bytes = encode(oneValid);
    expect(parseDataMovementEventBytes(bytes, bytes.length - 1)).toEqual({
      ok: false,
      problems: [`(message): ${bytes.length} bytes is over the ${bytes.length - 1}-byte limit`],
    });
  });

  it('rejects text that is not JSON, quoting the parser', () => {
    const result = parseDataMovementEventBytes(new TextEncoder().encode('{"eventId": '), 1000);
    expect(result.ok ? '' : result.problems[0]).toMatch(/^\(message\): not JSON: /);
  });

  it('rejects bytes that are not UTF-8', () => {
    expect(parseDataMovementEventBytes(Uint8Array.from([0x7b, 0xff, 0xfe, 0x7d]), 1000)).toEqual({
      ok: false,
      problems: ['(message): not valid UTF-8'],
    });
  });

  it('rejects an empty or null value', () => {
    expect(parseDataMovementEventBytes(null, 1000).ok).toBe(false);
    expect(parseDataMovementEventBytes(new Uint8Array(), 1000).ok).toBe(false);
  });

  it.each(['9999-12-31T23:00:00-05:00', '0001-01-01T00:30:00+01:00'])(
    'rejects %s: its instant in UTC is outside years 0001-9999',
    (eventTime) => {
      const event = { specVersion: '1.0', eventId: 'e', eventTime, operation: 'delete', inputs: [{ namespace: 'a', name: 'b' }] };
      expect(parseDataMovementEvent(event)).toEqual({
        ok: false,
        problems: [
          'eventTime: eventTime must fall between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z in UTC (an offset can push a year-9999 time into year 10000)',
        ],
      });
    },
  );

  describe('bounds the work one event asks for (EVENT_LIMITS)', () => {
    const ref = (i: number, classifications?: string[]) => ({
      namespace: 'pg://a',
      name: `t${i}`,
      ...(classifications ? { classifications } : {}),
    });
    const copy = (inputs: number, outputs: number, labels = 0) => ({
      specVersion: '1.0',
      eventId: 'big',
      eventTime: '2026-11-22T10:00:00Z',
      operation: 'copy',
      inputs: Array.from({ length: inputs }, (_, i) => ref(i, labels ? Array.from({ length: labels }, (_, l) => `label-${l}`) : undefined)),
      outputs: Array.from({ length: outputs }, (_, i) => ref(i + 10_000)),
    });
    const problems = (event: object) => {
      const parsed = parseDataMovementEvent(event);
      return parsed.ok ? [] : parsed.problems;
    };

    it('accepts an event at every limit', () => {
      expect(problems(copy(100, 100, 100))).toEqual([]);
      expect(problems(copy(500, 20))).toEqual([]);
    });

    it('refuses more than 100 labels on a dataset, naming the dataset', () => {
      expect(problems(copy(1, 1, 20_000))).toEqual(['inputs[0].classifications: a dataset asserts at most 100 classifications']);
    });

    it('refuses more than 500 inputs or outputs', () => {
      expect(problems(copy(501, 1))).toEqual(['inputs: an event names at most 500 inputs']);
      expect(problems(copy(1, 501))).toEqual(['outputs: an event names at most 500 outputs']);
    });

    it('refuses more than 10,000 (input, output) pairs, saying how many', () => {
      expect(problems(copy(101, 100))).toEqual([
        'outputs: 101 inputs × 100 outputs make 10100 movements; an event makes at most 10000 (split the run into several events)',
      ]);
    });
  });
});
