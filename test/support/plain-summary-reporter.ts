import { mkdirSync, writeFileSync } from 'node:fs';
import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints one plain closing line, `Tests: N passed, N failed, N skipped`, counted from vitest's own
 * results, so CI tooling that does not parse vitest's summary can still tell how many tests ran.
 * Files that failed to load, or whose hooks failed, count as failed. Each failure is listed above that line (file, test,
 * first non-blank line of the error) and also written to test-results/failures.txt, so a CI log that keeps
 * only its tail still says what failed.
 */
export class PlainSummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let skipped = 0;
    const failures: string[] = unhandledErrors.map((e) => `unhandled error: ${firstLine(e)}`);
    for (const module of testModules) {
      const tests = [...module.children.allTests()];
      const failedBefore = failures.length;
      for (const test of tests) {
        const result = test.result();
        if (result.state === 'passed') passed += 1;
        else if (result.state === 'skipped') skipped += 1;
        else if (result.state === 'failed') {
          failures.push(`${module.moduleId} > ${test.fullName}: ${(result.errors ?? []).map(firstLine).join('; ')}`);
        }
      }
      // A file that failed to load, or whose hooks failed (beforeAll, afterAll), counts as a failure
      // even when none of its tests did: "0 failed" must never stand above a red run.
      if (module.state() === 'failed' && failures.length === failedBefore) {
        failures.push(`${module.moduleId}: ${module.errors().map(firstLine).join('; ') || 'failed to load'}`);
      }
    }
    const list = failures.map((f) => `FAILED ${f}\n`).join('');
    process.stdout.write(`\n${list}Tests: ${passed} passed, ${failures.length} failed, ${skipped} skipped\n`);
    mkdirSync('test-results', { recursive: true });
    writeFileSync('test-results/failures.txt', list);
  }
}

function firstLine(error: unknown): string {
  const message = typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : String(error);
  // The first line that says something: a message may open with a blank line (an assertion's custom message often does).
  return (message.split('\n').find((line) => line.trim() !== '') ?? '').slice(0, 300);
}
