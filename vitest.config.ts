import { defineConfig } from 'vitest/config';
import { PlainSummaryReporter } from './test/support/plain-summary-reporter.js';

/**
 * Two projects: `unit` runs the domain against in-memory adapters; `integration` talks to the
 * real Kafka and Neo4j that deploy/local starts (the global setup starts them when they are down).
 */
export default defineConfig({
  test: {
    reporters: ['default', new PlainSummaryReporter()],
    // Tests read the CLI's words, not its colours: picocolors colours every stream when CI is set
    // (https://no-color.org stops it), and the in-process runner shares this process's decision.
    env: { NO_COLOR: '1' },
    projects: [
      {
        test: {
          name: 'unit',
          // Worker threads start faster than forked processes: on two cores they took the unit
          // suite from 75 s to 63 s (nothing here needs a process of its own).
          pool: 'threads',
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.int.test.ts', 'node_modules/**'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/**/*.int.test.ts'],
          globalSetup: ['test/support/start-local-infra.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // The services are shared; integration files run one at a time so they do not fight over CPU.
          fileParallelism: false,
        },
      },
    ],
  },
});
