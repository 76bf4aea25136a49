import { readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { BorderlineError } from '../errors/borderline-error.js';
import { describeIssues } from '../events/describe-issues.js';
import { waiverDateProblems } from './waiver-dates.js';
import { PolicyFile } from './policy-file.js';

/** A policy file that cannot be used, with one line per problem: `file:line: path: rule`. */
export class PolicyFileError extends BorderlineError {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`invalid policy file ${file}:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}

/** The 1-based line of a path in the YAML document; for a key that is missing (a required one), the line of the map it belongs in. */
function lineOf(doc: Document, path: ReadonlyArray<PropertyKey>, text: string): number | undefined {
  let node: unknown = doc.contents;
  let found = node;
  for (const key of path) {
    if (isMap(node)) node = node.get(key, true);
    else if (isSeq(node) && typeof key === 'number') node = node.get(key, true);
    else break;
    if (node === undefined) break;
    found = node;
  }
  const range = (found as { range?: [number, number] } | undefined)?.range;
  return range ? text.slice(0, range[0]).split('\n').length : undefined;
}

/** The 1-based line of a key in the map at `path` (an unknown key is reported where it is written, not at its list item). */
function lineOfKey(doc: Document, path: ReadonlyArray<PropertyKey>, key: string, text: string): number | undefined {
  let node: unknown = doc.contents;
  for (const step of path) {
    if (isMap(node)) node = node.get(step, true);
    else if (isSeq(node) && typeof step === 'number') node = node.get(step, true);
    else return undefined;
  }
  if (!isMap(node)) return lineOf(doc, path, text);
  const pair = node.items.find((item) => isScalar(item.key) && item.key.value === key);
  const range = (pair?.key as { range?: [number, number] } | undefined)?.range;
  return range ? text.slice(0, range[0]).split('\n').length : lineOf(doc, path, text);
}

/**
 * How waiver dates are judged, at `now`: a waiver more than a year ahead is always an error; an
 * expired one is an error for `policy check` (`expired: 'reject'`) and ignored by a running tracker
 * (`'ignore'`, the default: a waiver running out must not stop the tracker at its next restart).
 */
export interface WaiverDates {
  now?: number;
  expired?: 'reject' | 'ignore';
}

/** Parses and validates policy YAML; throws PolicyFileError naming the line, field and rule. */
export function parsePolicyFile(text: string, file = '(policy)', dates: WaiverDates = {}): PolicyFile {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0)
    throw new PolicyFileError(
      file,
      doc.errors.map((e) => `${file}:${e.linePos?.[0]?.line ?? '?'}: not valid YAML: ${e.message.split('\n')[0]}`),
    );
  const parsed = PolicyFile.safeParse(doc.toJS());
  if (parsed.success) {
    const dated = waiverDateProblems(parsed.data.waivers, dates.now ?? Date.now()).filter((p) => !p.expired || dates.expired === 'reject');
    if (dated.length === 0) return parsed.data;
    throw new PolicyFileError(
      file,
      dated.map((p) => {
        const at = lineOf(doc, ['waivers', p.index, 'until'], text);
        return `${file}${at ? `:${at}` : ''}: waivers[${p.index}].until: ${p.message}`;
      }),
    );
  }
  // One issue may give several lines (each unknown key of an object); each names its own line.
  const problems = parsed.error.issues.flatMap((issue) => {
    const lines = describeIssues({ issues: [issue] } as unknown as z.ZodError);
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    return lines.map((line, k) => {
      const at = keys[k] !== undefined ? lineOfKey(doc, issue.path, keys[k], text) : lineOf(doc, issue.path, text);
      return `${file}${at ? `:${at}` : ''}: ${line}`;
    });
  });
  throw new PolicyFileError(file, problems);
}

export function loadPolicyFile(path: string, dates: WaiverDates = {}): PolicyFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new PolicyFileError(path, [`cannot read: ${(error as Error).message}`]);
  }
  return parsePolicyFile(text, path, dates);
}
