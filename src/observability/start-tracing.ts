/**
 * Starts OpenTelemetry tracing for the tracker when an exporter is configured the standard way
 * (OTEL_TRACES_EXPORTER, or OTEL_EXPORTER_OTLP_ENDPOINT / OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
 * otherwise spans stay no-ops and cost nothing — the SDK (with its exporters) is not even loaded,
 * which keeps the tracker's memory down. Returns the shutdown function.
 */
export async function startTracing(env: NodeJS.ProcessEnv): Promise<() => Promise<void>> {
  const configured =
    env.OTEL_TRACES_EXPORTER !== undefined ||
    env.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined ||
    env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT !== undefined;
  if (!configured || env.OTEL_TRACES_EXPORTER === 'none') return () => Promise.resolve();
  const [{ NodeSDK }, { resourceFromAttributes }] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/resources'),
  ]);
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME ?? 'borderline' }),
    instrumentations: [],
  });
  sdk.start();
  return () => sdk.shutdown();
}
