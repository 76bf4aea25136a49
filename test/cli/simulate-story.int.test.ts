import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { STORY } from '../../src/simulate/estate-story.js';
import { testKafkaBrokers } from '../support/infra-endpoints.js';
import { createTestTopic, readTopic } from '../support/kafka-test-topics.js';

describe('borderline simulate --story', () => {
  it("plays the plain story once, narrated: one event per step, with the demo's own names (no tenant suffix)", async () => {
    const topic = await createTestTopic('story-events', 3);
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'simulate', '--story', '--topic', topic, '--brokers', testKafkaBrokers.join(',')],
      { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 },
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`sent the story's ${STORY.length} events to ${topic}`);
    expect(result.stdout).toContain(STORY[0]!.narration);
    const messages = await readTopic(topic, STORY.length);
    const names = messages.flatMap((m) => {
      const event = JSON.parse(String(m.value)) as { inputs: Array<{ name: string }>; outputs?: Array<{ name: string }> };
      return [...event.inputs, ...(event.outputs ?? [])].map((d) => d.name);
    });
    expect(names.some((n) => /-t\d+$/.test(n))).toBe(false);
  }, 90_000);
});
