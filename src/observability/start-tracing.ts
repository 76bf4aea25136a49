import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';

/**
 * Starts OpenTelemetry tracing for the tracker when an exporter is configured the standard way
 * (OTEL_TRACES_EXPORTER, or OTEL_EXPORTER_OTLP_ENDPOINT / OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
 * otherwise spans stay no-ops and cost nothing. Returns the shutdown function.
 */
export function startTracing(env: NodeJS.ProcessEnv): () => Promise<void> {
  const configured = env.OTEL_TRACES_EXPORTER !== undefined || env.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT !== undefined;
  if (!configured || env.OTEL_TRACES_EXPORTER === 'none') return () => Promise.resolve();
  const sdk = new NodeSDK({ resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME ?? 'borderline' }), instrumentations: [] });
  sdk.start();
  return () => sdk.shutdown();
}
