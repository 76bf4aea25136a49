import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebhookAlertNotifier } from '../../../src/adapters/webhook/webhook-alert-notifier.js';
import { createLogger } from '../../../src/observability/create-logger.js';
import type { Alert } from '../../../src/policy/alert.js';

const alert = (alertId: string, status: Alert['status'] = 'open'): Alert => ({
  schemaVersion: '1',
  alertId,
  status,
  policyId: 'us',
  severity: 'critical',
  reason: 'unapproved-location',
  classifications: ['us-user-data'],
  node: { kind: 'dataset', namespace: 's3://sg', name: 'p' },
  path: [{ kind: 'dataset', namespace: 's3://sg', name: 'p' }],
  eventIds: ['e1'],
  traceIds: [],
  occurredAt: '2026-11-22T10:00:00Z',
  detectedAt: '2026-11-22T10:00:01Z',
});

interface Received {
  body: Alert;
  authorization: string | undefined;
}
let server: Server | undefined;

/** A receiver that answers each request with the next status of `statuses` (then 200). */
async function receiver(statuses: number[]): Promise<{ url: string; received: Received[]; attempts: () => number }> {
  const received: Received[] = [];
  let attempts = 0;
  server = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      attempts += 1;
      const status = statuses.shift() ?? 200;
      if (status === 200) received.push({ body: JSON.parse(body) as Alert, authorization: request.headers.authorization });
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received, attempts: () => attempts };
}

afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
});

const settings = (url: string) => ({ url, authorization: 'Bearer s3cret', maxAttempts: 4, initialDelayMs: 10, timeoutMs: 2000 });

describe('WebhookAlertNotifier', () => {
  it('POSTs each alert as JSON with the configured Authorization header, in order', async () => {
    const hook = await receiver([]);
    const notifier = new WebhookAlertNotifier(settings(hook.url), createLogger('silent'));
    notifier.notify([alert('a1'), alert('a1', 'remediated'), alert('a2')]);
    await notifier.close(5000);
    expect(hook.received.map((r) => [r.body.alertId, r.body.status])).toEqual([
      ['a1', 'open'],
      ['a1', 'remediated'],
      ['a2', 'open'],
    ]);
    expect(hook.received.every((r) => r.authorization === 'Bearer s3cret')).toBe(true);
  });

  it('retries a receiver that is down (5xx, 429) with backoff, keeping the order', async () => {
    const hook = await receiver([503, 429, 200]);
    const notifier = new WebhookAlertNotifier(settings(hook.url), createLogger('silent'));
    notifier.notify([alert('b1'), alert('b2')]);
    await notifier.close(5000);
    expect(hook.attempts()).toBe(4);
    expect(hook.received.map((r) => r.body.alertId)).toEqual(['b1', 'b2']);
  });

  it('does not retry an alert the receiver rejects (4xx), and goes on with the next', async () => {
    const hook = await receiver([400]);
    const notifier = new WebhookAlertNotifier(settings(hook.url), createLogger('silent'));
    notifier.notify([alert('c1'), alert('c2')]);
    await notifier.close(5000);
    expect(hook.attempts()).toBe(2);
    expect(hook.received.map((r) => r.body.alertId)).toEqual(['c2']);
  });

  it('gives up after maxAttempts when the receiver stays down', async () => {
    const hook = await receiver([500, 500, 500, 500, 500]);
    const notifier = new WebhookAlertNotifier(settings(hook.url), createLogger('silent'));
    notifier.notify([alert('d1')]);
    await notifier.close(5000);
    expect(hook.attempts()).toBe(4);
    expect(hook.received).toEqual([]);
  });
});
