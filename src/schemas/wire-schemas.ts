import { z } from 'zod';
import { DataMovementEvent } from '../events/data-movement-event.js';
import { Alert } from '../policy/alert.js';
import { PolicyFile } from '../policy/policy-file.js';

/** Every wire format, with the file its JSON Schema is generated into (under schemas/). */
export const wireSchemas: ReadonlyArray<{ file: string; schema: z.ZodType }> = [
  { file: 'data-movement-event.v1.json', schema: DataMovementEvent },
  { file: 'policy.v1.json', schema: PolicyFile },
  { file: 'alert.v1.json', schema: Alert },
];

/** The JSON Schema (draft 2020-12) of one wire format, as committed under schemas/. */
export function renderJsonSchema(file: string, schema: z.ZodType): string {
  const generated = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' });
  const { $schema, ...rest } = generated;
  const document = { $schema, $id: `https://borderline.dev/schemas/${file}`, ...rest };
  return `${JSON.stringify(document, null, 2)}\n`;
}
