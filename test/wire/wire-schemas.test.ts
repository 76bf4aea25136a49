import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { DataMovementEvent } from '../../src/events/data-movement-event.js';
import { renderJsonSchema, wireSchemas } from '../../src/wire/wire-schemas.js';
import { invalidEvents, validEvents } from '../events/event-cases.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const committed = (file: string) => readFileSync(new URL(`../../schemas/${file}`, import.meta.url), 'utf8');

describe('schemas/', () => {
  it.each(wireSchemas.map((w) => [w.file, w] as const))(
    '%s is what `npm run schemas` generates from the zod source',
    (file, { schema }) => {
      expect(committed(file), `schemas/${file} is stale: run npm run schemas`).toBe(renderJsonSchema(file, schema));
    },
  );
});

describe('the generated event JSON Schema and the zod schema', () => {
  const ajv = addFormats(new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }));
  const validate = ajv.compile(JSON.parse(committed('data-movement-event.v1.json')) as object);
  const cases = [
    ...Object.entries(validEvents).map(([name, event]) => [name, event, true] as const),
    ...Object.entries(invalidEvents).map(([name, { event }]) => [name, event, false] as const),
  ];

  it.each(cases)('agree on %s', (_name, event, expected) => {
    expect(DataMovementEvent.safeParse(event).success).toBe(expected);
    expect(validate(event)).toBe(expected);
  });
});
