import { readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { BorderlineError } from '../errors/borderline-error.js';
import { describeIssues } from '../events/describe-issues.js';
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

/** The 1-based line of a path in the YAML document, when the path exists there. */
function lineOf(doc: Document, path: ReadonlyArray<PropertyKey>, text: string): number | undefined {
  let node: unknown = doc.contents;
  for (const key of path) {
    if (isMap(node)) node = node.get(key, true);
    else if (isSeq(node) && typeof key === 'number') node = node.get(key, true);
    else break;
  }
  const range = (node as { range?: [number, number] } | undefined)?.range;
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

/** Parses and validates policy YAML; throws PolicyFileError naming the line, field and rule. */
export function parsePolicyFile(text: string, file = '(policy)'): PolicyFile {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0)
    throw new PolicyFileError(
      file,
      doc.errors.map((e) => `${file}:${e.linePos?.[0]?.line ?? '?'}: not valid YAML: ${e.message.split('\n')[0]}`),
    );
  const parsed = PolicyFile.safeParse(doc.toJS());
  if (parsed.success) return parsed.data;
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

export function loadPolicyFile(path: string): PolicyFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new PolicyFileError(path, [`cannot read: ${(error as Error).message}`]);
  }
  return parsePolicyFile(text, path);
}
