import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderJsonSchema, wireSchemas } from '../src/wire/wire-schemas.js';

/** `npm run schemas`: regenerates schemas/*.json from the zod sources. */
for (const { file, schema } of wireSchemas) {
  const target = fileURLToPath(new URL(`../schemas/${file}`, import.meta.url));
  writeFileSync(target, renderJsonSchema(file, schema));
  process.stdout.write(`wrote schemas/${file}\n`);
}
