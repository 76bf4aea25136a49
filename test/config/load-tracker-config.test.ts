import { describe, expect, it } from 'vitest';
import { loadTrackerConfig } from '../../src/config/load-tracker-config.js';
import { ConfigurationError } from '../../src/errors/borderline-error.js';

const minimal = { BORDERLINE_POLICY: 'examples/policy.yaml' };

describe('loadTrackerConfig', () => {
  it('fills the contract defaults', () => {
    expect(loadTrackerConfig(minimal)).toMatchObject({
      KAFKA_BROKERS: ['127.0.0.1:9092'],
      NEO4J_URI: 'bolt://127.0.0.1:7687',
      NEO4J_USER: 'neo4j',
      NEO4J_PASSWORD: '',
      BORDERLINE_EVENTS_TOPIC: 'lineage.events',
      BORDERLINE_ALERTS_TOPIC: 'lineage.alerts',
      BORDERLINE_DLQ_TOPIC: 'lineage.events.dlq',
      BORDERLINE_GROUP_ID: 'borderline',
      BORDERLINE_TOPIC_PARTITIONS: 6,
      PORT: 8080,
    });
  });

  it('names each bad variable and what was expected', () => {
    expect(() => loadTrackerConfig({ KAFKA_BROKERS: 'localhost', PORT: 'eighty' })).toThrow(ConfigurationError);
    try {
      loadTrackerConfig({ KAFKA_BROKERS: 'localhost', PORT: 'eighty' });
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('KAFKA_BROKERS: expected host:port (got "localhost")');
      expect(message).toContain('BORDERLINE_POLICY: required: the path to the policy YAML (see examples/policy.yaml)');
      expect(message).toMatch(/PORT: .* \(got "eighty"\)/);
    }
  });

  it('never repeats a secret in its message', () => {
    expect(() =>
      loadTrackerConfig({
        ...minimal,
        KAFKA_SASL_MECHANISM: 'plain',
        KAFKA_SASL_USERNAME: 'u',
        KAFKA_SASL_PASSWORD: 'x',
        BORDERLINE_WEBHOOK_URL: 'ftp://hooks',
        BORDERLINE_WEBHOOK_AUTHORIZATION: 'Bearer top-secret',
      }),
    ).toThrow(/BORDERLINE_WEBHOOK_URL: expected an http\(s\) URL/);
    const messageOf = (env: Record<string, string>) => {
      try {
        loadTrackerConfig({ ...minimal, ...env });
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error('expected the configuration to be rejected');
    };
    const neo4j = messageOf({ BORDERLINE_WEBHOOK_AUTHORIZATION: '', NEO4J_URI: 'http://x', NEO4J_PASSWORD: 'hunter2' });
    expect(neo4j).toContain('NEO4J_URI');
    expect(neo4j).not.toContain('hunter2');
    const token = messageOf({ BORDERLINE_API_TOKENS: 'short-secret' });
    expect(token).toContain('BORDERLINE_API_TOKENS');
    expect(token).toContain('at least 16 characters');
    expect(token).not.toContain('short-secret');
    const unsendable = messageOf({ BORDERLINE_API_TOKENS: 'abc!def#ghijklmnopq' });
    expect(unsendable).toContain('BORDERLINE_API_TOKENS: each token may contain only letters, digits and . _ ~ + / -');
    expect(unsendable).not.toContain('abc!def');
    const named = messageOf({
      BORDERLINE_API_TOKENS: 'al ice:token-aaaaaaaaaaaaaaaa,bob:token-bbbbbbbbbbbbbbbb,bob:token-cccccccccccccccc',
    });
    expect(named).toContain('a token name is letters, digits and . _ @ - (at most 64)');
    expect(named).toContain('the token name "bob" is given twice');
    expect(named).not.toContain('token-aaaa');
  });

  it('reads the API tokens and the lineage caps', () => {
    const config = loadTrackerConfig({
      ...minimal,
      BORDERLINE_API_TOKENS: ' token-aaaaaaaaaaaaaaaa , token-bbbbbbbbbbbbbbbb ',
      BORDERLINE_LINEAGE_MAX_DEPTH: '6',
    });
    // Bare tokens are named token-1, token-2, … (docs/contract.md §12).
    expect(config.BORDERLINE_API_TOKENS).toEqual([
      { name: 'token-1', token: 'token-aaaaaaaaaaaaaaaa' },
      { name: 'token-2', token: 'token-bbbbbbbbbbbbbbbb' },
    ]);
    const named = loadTrackerConfig({
      ...minimal,
      BORDERLINE_API_TOKENS: 'alice:aaaaaaaaaaaaaaaaaaaa,ci:cccccccccccccccccccc,bbbbbbbbbbbbbbbbbbbb',
    });
    expect(named.BORDERLINE_API_TOKENS).toEqual([
      { name: 'alice', token: 'aaaaaaaaaaaaaaaaaaaa' },
      { name: 'ci', token: 'cccccccccccccccccccc' },
      { name: 'token-1', token: 'bbbbbbbbbbbbbbbbbbbb' },
    ]);
    expect(config.BORDERLINE_LINEAGE_MAX_DEPTH).toBe(6);
    expect(loadTrackerConfig(minimal).BORDERLINE_API_TOKENS).toEqual([]);
  });

  it('requires SASL credentials when a mechanism is set', () => {
    expect(() => loadTrackerConfig({ ...minimal, KAFKA_SASL_MECHANISM: 'scram-sha-512' })).toThrow(
      'KAFKA_SASL_MECHANISM is scram-sha-512, so KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD are required',
    );
  });

  it('listens on loopback by default, and refuses an open API beyond it unless told', () => {
    expect(loadTrackerConfig(minimal).BORDERLINE_HOST).toBe('127.0.0.1');
    expect(() => loadTrackerConfig({ ...minimal, BORDERLINE_HOST: '0.0.0.0' })).toThrow(
      /BORDERLINE_HOST is 0\.0\.0\.0, beyond loopback, and BORDERLINE_API_TOKENS is unset: .*BORDERLINE_ALLOW_OPEN_API=true/,
    );
    expect(
      loadTrackerConfig({ ...minimal, BORDERLINE_HOST: '0.0.0.0', BORDERLINE_API_TOKENS: 'token-aaaaaaaaaaaaaaaa' }).BORDERLINE_HOST,
    ).toBe('0.0.0.0');
    expect(loadTrackerConfig({ ...minimal, BORDERLINE_HOST: '0.0.0.0', BORDERLINE_ALLOW_OPEN_API: 'true' }).BORDERLINE_ALLOW_OPEN_API).toBe(
      true,
    );
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1'])
      expect(loadTrackerConfig({ ...minimal, BORDERLINE_HOST: host }).BORDERLINE_HOST).toBe(host);
  });
});
