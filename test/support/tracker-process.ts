import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { testKafkaBrokers, testNeo4jUri } from './infra-endpoints.js';
import { writeTestPolicy } from './test-policy.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** `borderline serve` as a real child process, configured by environment as a user would. */
export class TrackerProcess {
  readonly output: string[] = [];
  private child: ChildProcess | undefined;

  constructor(
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}

  static async create(env: Record<string, string>): Promise<TrackerProcess> {
    return new TrackerProcess(await freePort(), env);
  }

  /**
   * A tracker of its own for one test run, started and healthy: `run`'s alerts, dead-letter topic and
   * group, consuming `eventsTopic`, with the test policy (writeTestPolicy) unless `env` names another.
   */
  static async startForRun(run: string, eventsTopic: string, env: Record<string, string> = {}): Promise<TrackerProcess> {
    const tracker = await TrackerProcess.create({
      BORDERLINE_POLICY: writeTestPolicy(run),
      BORDERLINE_EVENTS_TOPIC: eventsTopic,
      BORDERLINE_ALERTS_TOPIC: `${run}-alerts`,
      BORDERLINE_DLQ_TOPIC: `${run}-dlq`,
      BORDERLINE_GROUP_ID: `${run}-group`,
      ...env,
    });
    tracker.start();
    await tracker.waitUntilHealthy();
    return tracker;
  }

  start(): void {
    this.child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], {
      cwd: root,
      env: {
        ...process.env,
        BORDERLINE_POLICY: 'examples/policy.yaml',
        KAFKA_BROKERS: testKafkaBrokers.join(','),
        NEO4J_URI: testNeo4jUri,
        PORT: String(this.port),
        BORDERLINE_LOG_LEVEL: 'info',
        // The test database is shared by every test's tracker, each with a policy of its own: only the
        // policy-change tests re-judge it (docs/policy-changes.md), the others leave it to them.
        BORDERLINE_POLICY_REEVALUATION: 'off',
        ...this.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => this.output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
  }

  async health(): Promise<number> {
    try {
      return (await fetch(`http://127.0.0.1:${this.port}/healthz`)).status;
    } catch {
      return 0;
    }
  }

  async metrics(): Promise<string> {
    return (await fetch(`http://127.0.0.1:${this.port}/metrics`)).text();
  }

  async waitUntilHealthy(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await this.health()) !== 200) {
      if (Date.now() > deadline) throw new Error(`tracker not healthy in ${timeoutMs} ms; output:\n${this.output.slice(-20).join('\n')}`);
      if (this.child?.exitCode !== null)
        throw new Error(`tracker exited (${this.child?.exitCode}); output:\n${this.output.slice(-20).join('\n')}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Resolves with the exit code once the process ends by itself; rejects when it still runs after `timeoutMs`. */
  async exited(timeoutMs: number): Promise<{ code: number | null; ms: number }> {
    const child = this.child;
    if (!child) throw new Error('the tracker was never started');
    if (child.exitCode !== null) return { code: child.exitCode, ms: 0 };
    const started = Date.now();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the tracker still runs after ${timeoutMs} ms; output:\n${this.output.slice(-15).join('\n')}`)),
        timeoutMs,
      );
      child.once('exit', (code) => {
        clearTimeout(timer);
        resolve({ code, ms: Date.now() - started });
      });
    });
  }

  /** Sends a signal the process handles and goes on running after (SIGHUP). */
  signal(signal: NodeJS.Signals): void {
    if (!this.child || this.child.exitCode !== null) throw new Error('the tracker is not running');
    this.child.kill(signal);
  }

  /** Waits until the process has logged a line matching `pattern` (after `from` lines); resolves with it. */
  async logged(pattern: RegExp, from = 0, timeoutMs = 60_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = this.output.slice(from).find((l) => pattern.test(l));
      if (line) return line;
      if (Date.now() > deadline)
        throw new Error(`no log line ${pattern} in ${timeoutMs} ms; output:\n${this.output.slice(-15).join('\n')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Sends a signal and resolves with the exit code (or signal) once the process is gone. */
  async kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null)
      return { code: child?.exitCode ?? null, signal: child?.signalCode ?? null, ms: 0 };
    const started = Date.now();
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>((resolve) =>
      child.once('exit', (code, sig) => resolve({ code, signal: sig, ms: Date.now() - started })),
    );
    child.kill(signal);
    return exited;
  }
}
