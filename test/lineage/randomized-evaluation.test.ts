import { describe, expect, it } from 'vitest';
import { parsePolicyFile } from '../../src/policy/load-policy-file.js';
import { PolicyIndex } from '../../src/policy/policy-index.js';
import { evaluateInMemory } from '../support/evaluate-in-memory.js';
import { finalAlertStates, generateWorkload, RANDOM_POLICY, shuffleWithDuplicates } from '../support/random-workload.js';
import { referenceAlerts } from '../support/reference-residency.js';

const policies = new PolicyIndex(parsePolicyFile(RANDOM_POLICY));

const seeds = process.env.BORDERLINE_TEST_SEED ? [Number(process.env.BORDERLINE_TEST_SEED)] : [1, 2, 3, 4, 5, 3333, 8888];

describe('the in-memory graph against the independent reference', () => {
  it.each(seeds)('raises exactly the reference alerts, each state once, for shuffled events with duplicates (seed %i)', async (seed) => {
    const events = generateWorkload(`r${seed}`, seed, 2500);
    const expected = referenceAlerts(events, policies);
    const published = await evaluateInMemory(shuffleWithDuplicates(events, seed + 1), policies, seed + 2);
    expect(expected.size).toBeGreaterThan(10);
    expect(finalAlertStates(published), `replay with BORDERLINE_TEST_SEED=${seed}`).toEqual(
      [...expected.entries()].sort(([a], [b]) => a.localeCompare(b)),
    );
    const states = published.map((a) => `${a.alertId}/${a.status}`);
    expect(new Set(states).size, 'each (alertId, status) once').toBe(states.length);
  });

  it.each(seeds)(
    'writes events straight into the graph exactly as it writes their plans: the same states with the same witness paths (seed %i)',
    async (seed) => {
      const delivered = shuffleWithDuplicates(generateWorkload(`w${seed}`, seed, 2500), seed + 1);
      const sameSeed = seed + 2; // the same batches both ways
      const published = (via: 'plans' | 'events') =>
        evaluateInMemory(delivered, policies, sameSeed, via).then((alerts) =>
          // The order of the states one write publishes is not part of the contract.
          alerts.map(({ detectedAt: _, ...alert }) => JSON.stringify(alert)).sort(),
        );
      const [planned, direct] = await Promise.all([published('plans'), published('events')]);
      expect(planned.length).toBeGreaterThan(10);
      expect(direct).toEqual(planned);
    },
  );
});
