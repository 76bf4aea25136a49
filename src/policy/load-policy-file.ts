import { readFileSync } from 'node:fs';
import { isMap, isSeq, parseDocument, type Document } from 'yaml';
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
  const problems = describeIssues(parsed.error).map((line, i) => {
    const at = lineOf(doc, parsed.error.issues[i]?.path ?? [], text);
    return `${file}${at ? `:${at}` : ''}: ${line}`;
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
