import { describe, expect, it } from 'vitest';
import { redactUri } from '../../src/observability/redact-uri.js';

describe('redactUri', () => {
  it('hides the password of a URI and keeps the rest', () => {
    expect(redactUri('neo4j+s://neo4j:hunter2@xxxx.databases.neo4j.io')).toBe('neo4j+s://neo4j:[redacted]@xxxx.databases.neo4j.io');
    expect(redactUri('https://user:p%40ss:word@hooks.example.com/x')).toBe('https://user:[redacted]@hooks.example.com/x');
  });

  it('leaves a URI without a password as it is', () => {
    expect(redactUri('bolt://127.0.0.1:7687')).toBe('bolt://127.0.0.1:7687');
    expect(redactUri('bolt://neo4j@host:7687')).toBe('bolt://neo4j@host:7687');
  });
});
