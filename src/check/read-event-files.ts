import { appendAll } from '../collections/append-all.js';
import { constants } from 'node:buffer';
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { getNodeValue, parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { decodeOpenLineageValue } from '../adapters/openlineage/openlineage-decoder.js';
import { isOpenLineageEvent, openLineageKind } from '../adapters/openlineage/openlineage-event.js';
import type { DataMovementEvent } from '../events/data-movement-event.js';
import { parseDataMovementEvent } from '../events/parse-data-movement-event.js';
import { fileLines, MAX_LINE_BYTES, type FileLine } from './file-lines.js';
import type { DatasetObservation } from '../lineage/plan-graph-write.js';

/** What a set of event files holds: the events (native, and mapped from OpenLineage RunEvents), or what is wrong where. */
export interface EventFiles {
  events: DataMovementEvent[];
  datasets: DatasetObservation[];
  /** `file:line: field: problem`, one per problem. */
  problems: string[];
  /** Records read, per kind. */
  counts: { native: number; openLineage: number };
}

/** OpenLineage: names its spec (`schemaURL`), or has no `specVersion` and has a `run`, `job` or `dataset` (a native event never has those). */
const isOpenLineage = (value: unknown) =>
  isOpenLineageEvent(value) ||
  (typeof value === 'object' && value !== null && !('specVersion' in value) && openLineageKind(value) !== undefined);

/** One JSON value of a file with the line it starts on. */
export interface JsonRecord {
  line: number;
  value: unknown;
}
/** What is wrong at a line of a file (not JSON). */
export interface LineError {
  line: number;
  message: string;
}

const lineOf = (text: string, offset: number) => {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line += 1;
  return line;
};

/** A JSON array's elements, each with its line; or the syntax errors, each with its line. */
function readArray(text: string): { records: JsonRecord[]; errors: LineError[] } {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  if (errors.length > 0 || !tree)
    return {
      records: [],
      errors: errors.map((e) => ({ line: lineOf(text, e.offset), message: `not JSON (${printParseErrorCode(e.error)})` })),
    };
  const offsets = (tree.children ?? []).map((child) => child.offset);
  const lines: number[] = [];
  let line = 1;
  let at = 0;
  for (const offset of offsets) {
    for (let i = text.indexOf('\n', at); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
      line += 1;
      at = i + 1;
    }
    lines.push(line);
  }
  return { records: (tree.children ?? []).map((child, i) => ({ line: lines[i]!, value: getNodeValue(child) as unknown })), errors: [] };
}

/** A JSON value of NDJSON, or what is wrong with its line. */
export type JsonLine = JsonRecord | LineError;

/**
 * NDJSON records from numbered lines: one JSON value per non-empty line (white space around it, a
 * `\r` included, trimmed), or what is wrong with the line — not JSON, or over the line limit.
 */
export function* jsonLines(lines: Iterable<FileLine>): Generator<JsonLine> {
  for (const read of lines) {
    if ('overLongBytes' in read) {
      yield {
        line: read.line,
        message: `a line of ${read.overLongBytes} bytes is over the ${MAX_LINE_BYTES}-byte limit (one event per line?)`,
      };
      continue;
    }
    const line = read.text.trim();
    if (line.length === 0) continue;
    try {
      yield { line: read.line, value: JSON.parse(line) as unknown };
    } catch (error) {
      yield { line: read.line, message: `not JSON (${(error as Error).message})` };
    }
  }
}

/** Whether a file is a JSON array: its first character, past white space, is `[` (read 64 KiB at a time until one is found). */
function isJsonArray(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const chunk = Buffer.allocUnsafe(64 << 10);
    for (let read = readSync(fd, chunk); read > 0; read = readSync(fd, chunk)) {
      const text = chunk.toString('utf8', 0, read).trimStart();
      if (text.length > 0) return text.startsWith('[');
    }
    return false;
  } finally {
    closeSync(fd);
  }
}

/** A JSON array file's elements (the file is read whole: a larger one is refused with a pointer to NDJSON). */
function* readArrayFile(path: string): Generator<JsonLine> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_STRING_TOO_LONG') throw error;
    throw new FileProblem(
      `a JSON array of ${statSync(path).size} bytes is more than one string holds (${constants.MAX_STRING_LENGTH} characters): write the events as NDJSON, one per line, which is read line by line`,
    );
  }
  const { records, errors } = readArray(text);
  yield* errors;
  yield* records;
}

/** A problem with a whole file (it cannot be read), said as `file: problem`. */
class FileProblem extends Error {}

/** How `readEventFiles` reads: `onProgress` is told the bytes read of each NDJSON file as it goes; `chunkBytes` as `fileLines`. */
export interface ReadOptions {
  chunkBytes?: number;
  onProgress?: (path: string, bytesRead: number, bytesTotal: number) => void;
}

/**
 * Reads data-movement events from NDJSON or JSON-array files (docs/contract.md §11): a file whose first
 * character is `[` is an array, any other is NDJSON. OpenLineage events are recognised and mapped as
 * the tracker maps them (§8). Every problem names the file, the line and the field.
 */
export function readEventFiles(paths: readonly string[], maskableLabels: readonly string[], options: ReadOptions = {}): EventFiles {
  const out: EventFiles = { events: [], datasets: [], problems: [], counts: { native: 0, openLineage: 0 } };
  for (const path of paths) {
    const problems: Array<{ line: number; text: string }> = [];
    try {
      const onProgress = options.onProgress && ((done: number, total: number) => options.onProgress?.(path, done, total));
      const records = isJsonArray(path) ? readArrayFile(path) : jsonLines(fileLines(path, { chunkBytes: options.chunkBytes, onProgress }));
      for (const record of records) {
        const where = `${path}:${record.line}`;
        if ('message' in record) problems.push({ line: record.line, text: `${where}: ${record.message}` });
        else
          readRecord(
            record.value,
            out,
            (list) =>
              appendAll(
                problems,
                list.map((p) => ({ line: record.line, text: `${where}: ${p}` })),
              ),
            maskableLabels,
          );
      }
    } catch (error) {
      // What the file system refused (no such file, a directory, …), or a file too large: anything else is a fault, not bad input.
      const { syscall, code } = error as NodeJS.ErrnoException;
      if (!(error instanceof FileProblem) && syscall === undefined) throw error;
      out.problems.push(`${path}: ${error instanceof FileProblem ? error.message : `cannot read (${code ?? syscall})`}`);
      continue;
    }
    appendAll(
      out.problems,
      problems.sort((a, b) => a.line - b.line).map((p) => p.text),
    );
  }
  return out;
}

/** One JSON value of a file into `out`: an OpenLineage RunEvent mapped as the tracker maps it (§8), else a native event; `fail` takes what is wrong. */
function readRecord(value: unknown, out: EventFiles, fail: (problems: readonly string[]) => void, maskableLabels: readonly string[]): void {
  if (isOpenLineage(value)) {
    const decoded = decodeOpenLineageValue(value, { maskableLabels });
    out.counts.openLineage += 1;
    if (!decoded.ok) fail(decoded.problems);
    else {
      appendAll(out.events, decoded.events);
      appendAll(out.datasets, decoded.datasets ?? []);
    }
    return;
  }
  const parsed = parseDataMovementEvent(value);
  out.counts.native += 1;
  if (parsed.ok) out.events.push(parsed.event);
  else fail(parsed.problems);
}
