import { Hono } from 'hono';

export interface HealthSources {
  /** The consumer has joined its group. */
  consumerJoined(): boolean;
  /** The graph answered its last write or check. */
  graphAvailable(): boolean;
}

export interface HttpAppDependencies {
  health: HealthSources;
  metrics: { contentType: string; render(): Promise<string> };
}

/** The tracker's HTTP surface: health and metrics (the query API joins it in src/http/). */
export function createHttpApp({ health, metrics }: HttpAppDependencies): Hono {
  const app = new Hono();
  app.get('/healthz', (c) => {
    const status = { consumer: health.consumerJoined() ? 'joined' : 'not joined', graph: health.graphAvailable() ? 'connected' : 'unavailable' };
    const ok = status.consumer === 'joined' && status.graph === 'connected';
    return c.json({ status: ok ? 'ok' : 'unavailable', ...status }, ok ? 200 : 503);
  });
  app.get('/metrics', async (c) => c.body(await metrics.render(), 200, { 'content-type': metrics.contentType }));
  return app;
}
