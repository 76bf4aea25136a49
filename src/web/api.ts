import { apiPath } from '../api/api-path.js';
import { readServerSentEvents } from '../http/read-server-sent-events.js';
export { nodeIdOf } from '../lineage/name-node.js';
import type { Alert } from '../policy/alert.js';
import type { ApiAlert, AlertsResponse, LineageAnswer, NodeDetail, ResidencyPlacesAnswer, ResidencyAnswer } from '../api/api-schemas.js';

export type { Alert, ApiAlert, AlertsResponse, LineageAnswer, NodeDetail, ResidencyPlacesAnswer, ResidencyAnswer };
import type { DatasetRef } from './dataset-ref.js';
export type { DatasetRef };
export type PolicySummary = { id: string; classifications: string[]; severity: string };

const TOKEN_KEY = 'borderline.token';

/** Thrown when the API wants a bearer token the page does not have (or has a wrong one). */
export class NeedsToken extends Error {}

function headers(): HeadersInit {
  const token = sessionStorage.getItem(TOKEN_KEY);
  return token ? { authorization: `Bearer ${token}` } : {};
}

export function setToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
}

/** The body of an API answer; a refusal rejects with the API's own message, which names what is wrong. */
async function answerOf<T>(response: Response): Promise<T> {
  if (response.status === 401) throw new NeedsToken('the API needs a token');
  const body = (await response.json()) as T & { error?: string };
  if (!response.ok) throw new Error(body.error ?? `HTTP ${response.status}`);
  return body;
}

/** GET /api/v1/<path>. */
export async function get<T>(path: string, params: Record<string, string | number> = {}): Promise<T> {
  return answerOf<T>(await fetch(apiPath(path, params), { headers: headers() }));
}

/** POST /api/v1/<path> with a JSON body. */
export async function post<T>(path: string, body: unknown): Promise<T> {
  return answerOf<T>(
    await fetch(`/api/v1/${path}`, {
      method: 'POST',
      headers: { ...headers(), 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
  );
}

/**
 * Follows /api/v1/alerts/stream (server-sent events) with fetch, so that the bearer token can be sent
 * (EventSource cannot send headers). Reconnects after a drop; `onState` tells whether it is live.
 */
export function followAlerts(onAlert: (alert: Alert) => void, onState: (live: boolean) => void): void {
  const connect = async (): Promise<void> => {
    try {
      const response = await fetch('/api/v1/alerts/stream', { headers: headers() });
      if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
      await readServerSentEvents(response.body, (event, data) => {
        if (event === 'ready') onState(true);
        if (event === 'alert' && data) onAlert(JSON.parse(data) as Alert);
      });
    } catch {
      // fall through to reconnect
    }
    onState(false);
    setTimeout(() => void connect(), 3_000);
  };
  void connect();
}
