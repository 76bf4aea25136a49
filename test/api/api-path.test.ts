import { describe, expect, it } from 'vitest';
import { apiPath } from '../../src/api/api-path.js';

describe('the path of an API call (the CLI and the page share it)', () => {
  it('puts the set parameters in the query, encoded, and leaves the unset ones out', () => {
    expect(apiPath('alerts', { status: 'open', policyId: undefined, limit: 50, q: 'a b&c' })).toBe(
      '/api/v1/alerts?status=open&limit=50&q=a+b%26c',
    );
    expect(apiPath('/alerts/x%2Fy/triage')).toBe('/api/v1/alerts/x%2Fy/triage');
    expect(apiPath('policies', {})).toBe('/api/v1/policies');
  });
});
