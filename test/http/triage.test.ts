import { describe, expect, it } from 'vitest';
import { InMemoryLineageGraph } from '../../src/adapters/memory/in-memory-lineage-graph.js';
import { parseDataMovementEvent } from '../../src/events/parse-data-movement-event.js';
import { createHttpApp } from '../../src/http/create-http-app.js';
import { planGraphWrite } from '../../src/lineage/plan-graph-write.js';
import { AlertsResponse, ApiAlert } from '../../src/api/api-schemas.js';
import { copyFromUs, NOW, usPolicyWithWaivers } from '../support/waiver-estate.js';

const policies = usPolicyWithWaivers(
  '  - { policyId: us, namespace: "s3://bk-sg", justification: "migration (SEC-142)", approvedBy: security@example.com, until: "2026-12-31" }',
);
const copy = (id: string, to: object) => {
  const parsed = parseDataMovementEvent(copyFromUs(id, to));
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return parsed.event;
};

async function setup(tokens: Array<{ name: string; token: string }> = []) {
  const graph = new InMemoryLineageGraph(policies, { clock: () => new Date(NOW) });
  await graph.write(
    planGraphWrite([
      copy('e1', { namespace: 's3://bk-sg', name: 'nightly', provider: 'aws', region: 'ap-southeast-1' }),
      copy('e2', { namespace: 's3://analytics-fra', name: 'features', provider: 'aws', region: 'eu-central-1' }),
    ]),
    { id: 'unit', outbox: 'alerts' },
  );
  const app = createHttpApp({
    health: { consumerJoined: () => true, graphAvailable: () => true },
    metrics: { contentType: 'text/plain', render: () => Promise.resolve('') },
    api: {
      queries: graph.queries,
      triage: graph.queries,
      policies: policies.policies,
      waivers: policies.waivers,
      now: () => NOW,
      tokens,
      limits: { maxDepth: 10, maxNodes: 100, maxEdges: 100 },
    },
    webRoot: null,
  });
  const { alerts } = AlertsResponse.parse(await (await app.request('/api/v1/alerts', { headers: auth(tokens[0]?.token) })).json());
  const idOf = (name: string) => alerts.find((a) => a.node.kind === 'dataset' && a.node.name === name)?.alertId ?? '';
  return { app, idOf };
}
const auth = (token?: string): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {});
const post = (app: Awaited<ReturnType<typeof setup>>['app'], alertId: string, body: unknown, token?: string, type = 'application/json') =>
  app.request(`/api/v1/alerts/${alertId}/triage`, {
    method: 'POST',
    headers: { 'content-type': type, ...auth(token) },
    body: JSON.stringify(body),
  });

describe('triage (docs/contract.md §12)', () => {
  it('records every change with who made it (the token name), and never changes the status', async () => {
    const tokens = [
      { name: 'alice', token: 'alice-token-0123456789' },
      { name: 'ci', token: 'ci-token-012345678901' },
    ];
    const { app, idOf } = await setup(tokens);
    const id = idOf('features');
    const first = await post(app, id, { state: 'acknowledged', note: 'known extract, ticket SEC-200', assignee: 'bob' }, tokens[0]?.token);
    expect(first.status).toBe(200);
    const second = await post(app, id, { state: 'open', note: 'still there after the fix' }, tokens[1]?.token);
    const alert = ApiAlert.parse(await second.json());
    expect(alert.status).toBe('open'); // what the events say
    expect(alert.triage).toEqual({
      state: 'open',
      assignee: 'bob', // kept from the change before
      history: [
        { at: '2026-12-01T10:00:00.000Z', by: 'alice', state: 'acknowledged', note: 'known extract, ticket SEC-200', assignee: 'bob' },
        { at: '2026-12-01T10:00:00.000Z', by: 'ci', state: 'open', note: 'still there after the fix' },
      ],
    });
    const fetched = ApiAlert.parse(await (await app.request(`/api/v1/alerts/${id}`, { headers: auth(tokens[0]?.token) })).json());
    expect(fetched.triage?.history).toHaveLength(2);
  });

  it('names the caller local when the API has no tokens, and filters the list by triage state', async () => {
    const { app, idOf } = await setup();
    const answer = ApiAlert.parse(await (await post(app, idOf('features'), { state: 'acknowledged', note: 'ok' })).json());
    expect(answer.triage?.history[0]?.by).toBe('local');
    const list = async (triage: string) =>
      AlertsResponse.parse(await (await app.request(`/api/v1/alerts?triage=${triage}`)).json()).alerts.map(
        (a) => a.node.kind === 'dataset' && a.node.name,
      );
    expect(await list('acknowledged')).toEqual(['features']);
    expect(await list('open')).toEqual(['nightly']);
    expect((await app.request('/api/v1/alerts?triage=closed')).status).toBe(400);
  });

  it('refuses a change without a note, of an unknown state, not sent as JSON, or of an unknown alert', async () => {
    const { app, idOf } = await setup();
    const id = idOf('features');
    expect(await (await post(app, id, { state: 'acknowledged', note: ' ' })).json()).toMatchObject({
      parameter: 'note',
      error: 'note: say why (a note is kept with the change)',
    });
    expect((await post(app, id, { state: 'resolved', note: 'x' })).status).toBe(400);
    expect((await post(app, id, { state: 'acknowledged', note: 'x' }, undefined, 'text/plain')).status).toBe(415);
    expect((await post(app, 'no-such-alert', { state: 'acknowledged', note: 'x' })).status).toBe(404);
    expect((await app.request('/api/v1/alerts/no-such-alert')).status).toBe(404);
  });

  it('shows a waived alert as waived, with its waiver', async () => {
    const { app, idOf } = await setup();
    const waived = ApiAlert.parse(await (await app.request(`/api/v1/alerts/${idOf('nightly')}`)).json());
    expect(waived).toMatchObject({ waived: true, waiver: { policyId: 'us', approvedBy: 'security@example.com', until: '2026-12-31' } });
    const plain = ApiAlert.parse(await (await app.request(`/api/v1/alerts/${idOf('features')}`)).json());
    expect(plain.waived).toBeUndefined();
  });
});
