import type { CliIo } from '../../src/cli/cli-io.js';
import { runCli } from '../../src/cli/run-cli.js';

/** What a `borderline` run printed and its exit code, as spawnSync would give them, run in this process. */
export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs `borderline ARGS…` in-process (src/cli/run-cli.ts) with captured output, not a terminal. */
export async function borderline(...args: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (text) => void (stdout += text), isTTY: false },
    stderr: { write: (text) => void (stderr += text), isTTY: false },
    env: process.env,
  };
  const status = await runCli(args, io);
  return { status, stdout, stderr };
}
