import { appendAll } from '../collections/append-all.js';
import { readFileSync } from 'node:fs';
import { getNodeValue, parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { decodeOpenLineageValue } from '../adapters/openlineage/openlineage-decoder.js';
import { isOpenLineageEvent, openLineageKind } from '../adapters/openlineage/openlineage-event.js';
import type { DataMovementEvent } from '../events/data-movement-event.js';
import { parseDataMovementEvent } from '../events/parse-data-movement-event.js';
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
interface Record {
  line: number;
  value: unknown;
}

const lineOf = (text: string, offset: number) => {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line += 1;
  return line;
};

/** A JSON array's elements, each with its line; or the syntax errors, each with its line. */
function readArray(text: string): { records: Record[]; errors: Array<{ line: number; message: string }> } {
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

/** NDJSON: one JSON value per non-empty line. */
function readLines(text: string): { records: Record[]; errors: Array<{ line: number; message: string }> } {
  const records: Record[] = [];
  const errors: Array<{ line: number; message: string }> = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line.length === 0) return;
    try {
      records.push({ line: i + 1, value: JSON.parse(line) as unknown });
    } catch (error) {
      errors.push({ line: i + 1, message: `not JSON (${(error as Error).message})` });
    }
  });
  return { records, errors };
}

/**
 * Reads data-movement events from NDJSON or JSON-array files (CONTRACT §11): a file whose first
 * character is `[` is an array, any other is NDJSON. OpenLineage events are recognised and mapped as
 * the tracker maps them (§8). Every problem names the file, the line and the field.
 */
export function readEventFiles(paths: readonly string[], maskableLabels: readonly string[]): EventFiles {
  const out: EventFiles = { events: [], datasets: [], problems: [], counts: { native: 0, openLineage: 0 } };
  for (const path of paths) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      out.problems.push(`${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      continue;
    }
    const { records, errors } = text.trimStart().startsWith('[') ? readArray(text) : readLines(text);
    const problems: Array<{ line: number; text: string }> = errors.map((e) => ({ line: e.line, text: `${path}:${e.line}: ${e.message}` }));
    for (const { line, value } of records) {
      const where = `${path}:${line}`;
      const fail = (list: readonly string[]) =>
        appendAll(
          problems,
          list.map((p) => ({ line, text: `${where}: ${p}` })),
        );
      if (isOpenLineage(value)) {
        const decoded = decodeOpenLineageValue(value, { maskableLabels });
        out.counts.openLineage += 1;
        if (!decoded.ok) fail(decoded.problems);
        else {
          appendAll(out.events, decoded.events);
          appendAll(out.datasets, decoded.datasets ?? []);
        }
        continue;
      }
      const parsed = parseDataMovementEvent(value);
      out.counts.native += 1;
      if (parsed.ok) out.events.push(parsed.event);
      else fail(parsed.problems);
    }
    appendAll(
      out.problems,
      problems.sort((a, b) => a.line - b.line).map((p) => p.text),
    );
  }
  return out;
}
