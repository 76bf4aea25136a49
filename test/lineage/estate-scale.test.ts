import { constants } from 'node:buffer';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InMemoryLineageGraph } from '../../src/adapters/memory/in-memory-lineage-graph.js';
import { checkEvents } from '../../src/check/check-events.js';
import { readEventFiles } from '../../src/check/read-event-files.js';
import { parsePolicyFile } from '../../src/policy/load-policy-file.js';
import { PolicyIndex } from '../../src/policy/policy-index.js';
import { FAN_OUT_POLICY, fanOutEvents } from '../support/fan-out.js';

// More items than one call can take as arguments (V8 stops near 125,000): lists this long are appended item by item.
const MANY = 131_000;

describe('borderline check and the in-memory graph at estate scale', () => {
  it('evaluates a write that raises more alerts than a call takes arguments', async () => {
    const events = fanOutEvents(MANY / 500);
    const { alerts, published } = await checkEvents(events, [], new PolicyIndex(parsePolicyFile(FAN_OUT_POLICY)), { chunk: events.length });
    expect(alerts).toHaveLength(MANY);
    expect(published).toHaveLength(MANY);
    expect(new Set(alerts.map((a) => a.status))).toEqual(new Set(['open']));
  }, 60_000);

  it('reports every bad line of a file with more bad lines than a call takes arguments', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'borderline-check-')), 'bad.ndjson');
    writeFileSync(path, 'not json\n'.repeat(MANY));
    const { problems, events } = readEventFiles([path], []);
    expect(events).toEqual([]);
    expect(problems).toHaveLength(MANY);
    expect(problems.at(-1)).toMatch(new RegExp(`bad\\.ndjson:${MANY}: not JSON`));
  }, 60_000);

  it('reads an NDJSON file longer than the longest string Node can hold, line by line, numbering lines across it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'borderline-check-'));
    const path = join(dir, 'estate.ndjson');
    const event = (eventId: string) =>
      `${JSON.stringify({
        specVersion: '1.0',
        eventId,
        eventTime: '2026-01-01T00:00:00.000Z',
        operation: 'copy',
        inputs: [{ namespace: 's3://a', name: 'x' }],
        outputs: [{ namespace: 's3://b', name: 'x' }],
      })}\n`;
    const blank = Buffer.alloc(1 << 20, ' ');
    blank[blank.length - 1] = 0x0a;
    const blankLines = Math.ceil(constants.MAX_STRING_LENGTH / blank.length) + 1;
    const fd = openSync(path, 'w');
    try {
      writeSync(fd, event('first'));
      for (let i = 0; i < blankLines; i++) writeSync(fd, blank);
      writeSync(fd, 'not json\n');
      writeSync(fd, event('last'));
    } finally {
      closeSync(fd);
    }
    try {
      const { problems, events } = readEventFiles([path], []);
      expect(problems).toEqual([`${path}:${blankLines + 2}: not JSON (Unexpected token 'o', "not json" is not valid JSON)`]);
      expect(events.map((e) => e.eventId)).toEqual(['first', 'last']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('refuses a JSON array longer than the longest string, pointing to NDJSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'borderline-check-'));
    const path = join(dir, 'estate.json');
    const blank = Buffer.alloc(1 << 20, ' ');
    const fd = openSync(path, 'w');
    try {
      writeSync(fd, '[');
      for (let i = 0; i <= constants.MAX_STRING_LENGTH / blank.length; i++) writeSync(fd, blank);
      writeSync(fd, ']');
    } finally {
      closeSync(fd);
    }
    try {
      expect(readEventFiles([path], []).problems).toEqual([
        expect.stringMatching(/estate\.json: a JSON array of \d+ bytes is more than one string holds .*: write the events as NDJSON/),
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('gives the latest delete of a dataset deleted more often than a call takes arguments', async () => {
    const graph = new InMemoryLineageGraph(new PolicyIndex(parsePolicyFile(FAN_OUT_POLICY)));
    const start = Date.parse('2026-01-01T00:00:00.000Z');
    const deletes = Array.from({ length: MANY }, (_, i) => ({
      specVersion: '1.0' as const,
      eventId: `scratch-delete-${i}`,
      eventTime: new Date(start + i * 60_000).toISOString(),
      operation: 'delete' as const,
      inputs: [{ namespace: 's3://scratch', name: 'tmp' }],
    }));
    graph.writeEvents(deletes, [], { id: 'test', outbox: 'test' });
    const detail = await graph.queries.node({ kind: 'dataset', namespace: 's3://scratch', name: 'tmp' });
    expect(detail?.deletedAt).toBe(deletes.at(-1)!.eventTime);
  }, 60_000);
});
