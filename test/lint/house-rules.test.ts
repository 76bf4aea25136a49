import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';

// The guards guarded: each rule of the house is shown to fail on a planted violation, so a config
// change that silently disables one is caught.

const root = fileURLToPath(new URL('../..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'borderline-house-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const run = promisify(execFile);

/**
 * Runs dependency-cruiser with the project's rules over a tree of these files (paths under src/);
 * resolves to what it printed, violations or not. Each tree is its own directory: the cases run at once.
 */
async function cruise(files: Record<string, string>): Promise<string> {
  const dir = mkdtempSync(join(scratch, 'tree-'));
  cpSync(join(root, '.dependency-cruiser.cjs'), join(dir, '.dependency-cruiser.cjs'));
  cpSync(join(root, 'tsconfig.json'), join(dir, 'tsconfig.json'));
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const args = [join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'), 'src', '--config', '.dependency-cruiser.cjs'];
  try {
    const { stdout, stderr } = await run(process.execPath, args, { cwd: dir, encoding: 'utf8' });
    return `${stdout}${stderr}`;
  } catch (error) {
    // Violations make it exit non-zero: what it printed is the answer.
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    return `${stdout}${stderr}`;
  }
}

describe('the import rules (.dependency-cruiser.cjs)', () => {
  it.concurrent('passes a tree that keeps them', async () => {
    const out = await cruise({
      'src/events/a.ts': 'export const a = 1;\n',
      'src/lineage/b.ts': "import { a } from '../events/a.js';\nexport const b = a;\n",
    });
    expect(out).toContain('no dependency violations found');
  });

  it.concurrent.each([
    [
      'adapters-not-to-sdk-cli-http',
      { 'src/sdk/e.ts': 'export const e = 1;\n', 'src/adapters/kafka/x.ts': "import { e } from '../../sdk/e.js';\nexport const x = e;\n" },
    ],
    [
      'no-cycles',
      {
        'src/ingest/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
        'src/ingest/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
      },
    ],
    ['vendor-clients-in-adapters', { 'src/lineage/k.ts': "import { Kafka } from 'kafkajs';\nexport const k = Kafka;\n" }],
    [
      'the-rules-stay-the-rules',
      { 'src/alerts/s.ts': 'export const s = 1;\n', 'src/lineage/r.ts': "import { s } from '../alerts/s.js';\nexport const r = s;\n" },
    ],
    [
      'nothing-imports-the-cli',
      { 'src/cli/main.ts': 'export const m = 1;\n', 'src/http/h.ts': "import { m } from '../cli/main.js';\nexport const h = m;\n" },
    ],
  ])('fails %s on a planted violation', async (rule, files) => {
    expect(await cruise(files)).toContain(`error ${rule}`);
  });
});

describe('the file size cap (eslint max-lines)', () => {
  it('fails a 600-line file in src/', async () => {
    const eslint = new ESLint({ cwd: root });
    const planted = Array.from({ length: 600 }, (_, i) => `export const v${i} = ${i};`).join('\n');
    // An existing file's path, so the type-aware parser has a project for it; the text is the planted one.
    const [result] = await eslint.lintText(planted, { filePath: join(root, 'src/collections/append-all.ts') });
    expect(result?.messages.map((m) => m.ruleId)).toContain('max-lines');
  }, 60_000);
});
