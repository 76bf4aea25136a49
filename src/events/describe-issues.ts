import type { z } from 'zod';

/** Fields that are valid on some operations only, with the rule a user needs to read. */
const operationOnlyFields: Record<string, string> = {
  removesClassifications: 'allowed only on derive events',
};

function describePath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)),
    '',
  );
}

/**
 * Turns zod issues into lines a person can act on, each naming the field path and the rule
 * broken: `inputs[0].namespace: namespace must not be empty`, `colour: unknown field`.
 */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.flatMap((issue) => {
    const where = describePath(issue.path);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => `${where ? `${where}.` : ''}${key}: ${operationOnlyFields[key] ?? 'unknown field'}`);
    }
    const message = issue.message.replace(/^Invalid input: expected (\w+), received undefined$/, 'required ($1)');
    return [`${where || '(event)'}: ${message}`];
  });
}
