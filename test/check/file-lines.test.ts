import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileLines, type FileLine } from '../../src/check/file-lines.js';
import { readEventFiles } from '../../src/check/read-event-files.js';

const dir = mkdtempSync(join(tmpdir(), 'borderline-lines-'));
const fileOf = (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const linesOf = (path: string, chunkBytes: number, maxLineBytes?: number): FileLine[] => [...fileLines(path, { chunkBytes, maxLineBytes })];

describe('fileLines: a file cut into lines a chunk at a time', () => {
  // Multi-byte characters (2, 3 and 4 bytes in UTF-8), a CRLF line, an empty line and no newline at the end.
  const content = 'ä,第一\r\n\n𝄞 clef\nlast without newline';
  const expected = content.split('\n').map((text, i) => ({ line: i + 1, text }));

  it('gives every line whole, wherever the chunks cut it (inside a character too)', () => {
    const path = fileOf('mixed.txt', content);
    for (const chunkBytes of [1, 2, 3, 5, 7, 64, 1 << 20]) expect(linesOf(path, chunkBytes), `chunks of ${chunkBytes}`).toEqual(expected);
  });

  it('gives no line after a final newline, and none for an empty file', () => {
    expect(linesOf(fileOf('final.txt', 'a\nb\n'), 3)).toEqual([
      { line: 1, text: 'a' },
      { line: 2, text: 'b' },
    ]);
    expect(linesOf(fileOf('empty.txt', ''), 3)).toEqual([]);
  });

  it('reports a line over the limit by its length, without keeping it, and goes on with the next', () => {
    const path = fileOf('long.txt', `short\n${'x'.repeat(40)}\nafter\n${'y'.repeat(25)}`);
    expect(linesOf(path, 8, 16)).toEqual([
      { line: 1, text: 'short' },
      { line: 2, overLongBytes: 40 },
      { line: 3, text: 'after' },
      { line: 4, overLongBytes: 25 },
    ]);
  });

  it('tells the bytes read so far of the whole', () => {
    const path = fileOf('progress.txt', 'abcdefghij\n');
    const seen: Array<[number, number]> = [];
    const lines = [...fileLines(path, { chunkBytes: 4, onProgress: (done, total) => seen.push([done, total]) })];
    expect(lines).toEqual([{ line: 1, text: 'abcdefghij' }]);
    expect(seen).toEqual([
      [4, 11],
      [8, 11],
      [11, 11],
    ]);
  });
});

describe('readEventFiles, chunk by chunk', () => {
  it('reads the example files the same whatever the chunk size: events, OpenLineage, line numbers of problems', () => {
    const bad = fileOf(
      'bad.ndjson',
      `${readFileSync('examples/check/current-estate.ndjson', 'utf8')}\r\nnot json\n{"specVersion":"1.0","eventId":"é"}\n`,
    );
    const paths = ['examples/check/current-estate.ndjson', 'examples/check/airflow-export.json', bad];
    const whole = readEventFiles(paths, []);
    expect(whole.problems.length).toBeGreaterThan(1);
    expect(whole.problems[0]).toMatch(/bad\.ndjson:4: not JSON/);
    expect(whole.events.length).toBeGreaterThan(4);
    for (const chunkBytes of [1, 7, 100]) expect(readEventFiles(paths, [], { chunkBytes }), `chunks of ${chunkBytes}`).toEqual(whole);
  });

  it('names a file it cannot read, and reads the others', () => {
    const missing = join(dir, 'missing.ndjson');
    const { problems, events } = readEventFiles([missing, dir, 'examples/check/current-estate.ndjson'], []);
    expect(problems).toEqual([`${missing}: cannot read (ENOENT)`, `${dir}: cannot read (EISDIR)`]);
    expect(events).toHaveLength(2);
  });

  it('refuses a line over the limit naming its file, line and length', () => {
    const path = fileOf('one-line.ndjson', `${' '.repeat(10)}{}`.repeat(8 << 20));
    const { problems, events } = readEventFiles([path], []);
    expect(events).toEqual([]);
    expect(problems).toEqual([`${path}:1: a line of ${12 * (8 << 20)} bytes is over the ${64 << 20}-byte limit (one event per line?)`]);
  });
});
