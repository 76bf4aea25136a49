import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface BenchTracker {
  port: number;
  child: ChildProcess;
  written(): Promise<number>;
  rssKb(kind: 'VmRSS' | 'VmHWM'): number;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts the built `borderline serve` (dist/) with `env` and waits until /healthz answers 200; its log level is BENCH_TRACKER_LOG_LEVEL (error). */
export async function startBenchTracker(env: Record<string, string>): Promise<BenchTracker> {
  const port = 18_000 + Math.floor(Math.random() * 1000);
  const child = spawn(
    process.execPath,
    [...(process.env.BENCH_TRACKER_NODE_ARGS ?? '').split(' ').filter(Boolean), 'dist/cli/main.js', 'serve'],
    {
      env: {
        BORDERLINE_POLICY: 'examples/policy.yaml',
        ...process.env,
        PORT: String(port),
        BORDERLINE_LOG_LEVEL: process.env.BENCH_TRACKER_LOG_LEVEL ?? 'error',
        ...env,
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  while (
    (await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.status,
      () => 0,
    )) !== 200
  ) {
    if (child.exitCode !== null) throw new Error(`the tracker exited with ${child.exitCode}`);
    await sleep(200);
  }
  return {
    port,
    child,
    async written() {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      return Number(/^borderline_events_written_total (\d+)/m.exec(text)?.[1] ?? 0);
    },
    rssKb(kind) {
      return Number(new RegExp(`${kind}:\\s+(\\d+)`).exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0);
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

/** p-th percentile (0..100) of numbers, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}
