import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { borderline } from '../support/run-borderline.js';

const dir = mkdtempSync(join(tmpdir(), 'borderline-emit-'));
// Nothing listens on port 1: these files are refused before anything is sent.
const emitFile = async (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return { path, result: await borderline('emit', '--file', path, '--brokers', '127.0.0.1:1') };
};
const copy = (eventId: string) =>
  JSON.stringify({
    operation: 'copy',
    eventId,
    inputs: [{ namespace: 's3://a', name: 'x' }],
    outputs: [{ namespace: 's3://b', name: 'x' }],
  });

describe('borderline emit --file', () => {
  it('names the line of NDJSON that is not JSON, counting blank lines (exit 2, nothing sent)', async () => {
    const { path, result } = await emitFile('bad.ndjson', `\n${copy('e-1')}\n{"operation": \n${copy('e-2')}\n`);
    expect(result.stderr).toContain(`${path}:3: not JSON (`);
    expect(result.status).toBe(2);
  });

  it('names the line of an NDJSON event that is not valid, and the field', async () => {
    const { path, result } = await emitFile(
      'invalid.ndjson',
      `\n\n{"operation":"copy","inputs":[{"namespace":"s3://a","name":"x"}]}\n${copy('e-3')}\n`,
    );
    expect(result.stderr).toMatch(new RegExp(`${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3: .*outputs`));
    expect(result.status).toBe(2);
  });
});
