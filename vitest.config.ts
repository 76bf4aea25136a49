import { defineConfig } from 'vitest/config';
import { PlainSummaryReporter } from './test/support/plain-summary-reporter.js';

/**
 * Two projects: `unit` runs the domain against in-memory adapters; `integration` talks to the
 * real Kafka and Neo4j that deploy/local starts (the global setup starts them when they are down).
 */
export default defineConfig({
  test: {
    reporters: ['default', new PlainSummaryReporter()],
    projects: [
      {
        test: {
          name: 'unit',
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
