import type { ReevaluationProgress } from '../ports/policy-reevaluation.js';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { BorderlineError } from '../errors/borderline-error.js';
import { QueryUnavailableError } from '../api/guarded-lineage-queries.js';
import type { Logger } from '../observability/create-logger.js';
import { createApiRoutes, type ApiOptions } from './api-routes.js';

export interface HealthSources {
  /** The consumer has joined its group. */
  consumerJoined(): boolean;
  /** The graph answered its last write or check. */
  graphAvailable(): boolean;
  /** Why consumption stopped for good while the process stays up, if it did. */
  consumerHalted?(): string | undefined;
  /** The Kafka brokers answer (false while they are unreachable). */
  kafkaReachable?(): boolean;
  /** The re-evaluation under a changed policy under way, if one is (docs/policy-changes.md): not ready meanwhile. */
  reevaluation?(): ReevaluationProgress | undefined;
}

export interface HttpAppDependencies {
  health: HealthSources;
  metrics: { contentType: string; render(): Promise<string> };
  api?: ApiOptions;
  logger?: Logger;
  /** The built web page (dist/web): found next to the code when not given; `null` serves no page. */
  webRoot?: string | null;
}

/** Where `vite build` put the web page: dist/web, seen from dist/http (built) or src/http (tsx). */
export function findWebRoot(): string | undefined {
  return [new URL('../web/', import.meta.url), new URL('../../dist/web/', import.meta.url)]
    .map((url) => fileURLToPath(url))
    .find((dir) => existsSync(`${dir}index.html`) && existsSync(`${dir}assets`)); // built, not src/web itself
}

/**
 * The tracker's HTTP surface: health, metrics, the query API under /api/v1 and the web page at /.
 * Errors never leak internals: a 500 carries a reference that the log line repeats.
 */
export function createHttpApp({ health, metrics, api, logger, webRoot = findWebRoot() ?? null }: HttpAppDependencies): Hono {
  const app = new Hono();
  // The page and the API are same-origin only: no framing, no sniffing, scripts and data from here alone.
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"], // the graph library sets element styles
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
      },
      xFrameOptions: 'DENY',
      referrerPolicy: 'no-referrer',
      strictTransportSecurity: false, // TLS ends in front of the tracker; HSTS is that proxy's to send
    }),
  );
  app.get('/healthz', (c) => {
    const halted = health.consumerHalted?.();
    const status = {
      consumer: halted ?? (health.consumerJoined() ? 'joined' : 'not joined'),
      graph: health.graphAvailable() ? 'connected' : 'unavailable',
      kafka: (health.kafkaReachable?.() ?? true) ? 'connected' : 'unreachable',
    };
    const reevaluation = health.reevaluation?.();
    if (reevaluation) return c.json({ status: 're-evaluating', ...status, reevaluation }, 503);
    const ok = status.consumer === 'joined' && status.graph === 'connected' && status.kafka === 'connected';
    return c.json({ status: ok ? 'ok' : 'unavailable', ...status }, ok ? 200 : 503);
  });
  app.get('/metrics', async (c) => c.body(await metrics.render(), 200, { 'content-type': metrics.contentType }));
  if (api) app.route('/api/v1', createApiRoutes(api));
  app.all('/api/*', (c) => c.json({ error: `no such endpoint: ${c.req.method} ${c.req.path}` }, 404));
  if (webRoot) {
    app.use('/*', serveStatic({ root: webRoot }));
    app.get('/', serveStatic({ path: `${webRoot}/index.html` }));
  } else {
    app.get('/', (c) => c.text('The web page is not built: run `npm run build` (it runs vite build).', 503));
  }

  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse();
    if (error instanceof QueryUnavailableError) {
      logger?.warn({ err: error.message, path: c.req.path }, 'question refused for now');
      return c.json({ error: error.message }, 503, { 'retry-after': String(error.retryAfterSeconds) });
    }
    if (error instanceof BorderlineError && error.retriable) {
      logger?.warn({ err: error.message, path: c.req.path }, 'query failed: graph unavailable');
      return c.json({ error: 'the lineage graph is unavailable; try again shortly' }, 503, { 'retry-after': '5' });
    }
    const reference = crypto.randomUUID();
    logger?.error({ err: error.message, stack: error.stack, path: c.req.path, reference }, 'request failed');
    return c.json({ error: `internal error (reference ${reference}; the tracker log has the details)` }, 500);
  });
  return app;
}
