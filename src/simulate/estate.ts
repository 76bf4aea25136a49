import { NodeSDK } from '@opentelemetry/sdk-node';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NoopSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { DataMovementEvent } from '../events/data-movement-event.js';
import type { ResourceLike } from '../sdk/lineage-emitter.js';
import { resourceOf, runStep, SERVICES, STORY, type MovementReporter, type ServiceKey, type StoryStep } from './estate-story.js';

/** Makes the emitter of one service (the composition root decides how it reaches Kafka). */
export type EmitterFactory = (resource: ResourceLike) => MovementReporter;

/** The running estate: one emitter per service, and OpenTelemetry tracing for their spans. */
export class Estate {
  private constructor(
    readonly emitters: Record<ServiceKey, MovementReporter>,
    private readonly sdk: NodeSDK,
  ) {}

  static start(makeEmitter: EmitterFactory): Estate {
    // Tracing with no exporter: the spans give every event a trace id that continues across Kafka.
    const sdk = new NodeSDK({
      resource: resourceFromAttributes({ 'service.name': 'borderline-estate' }),
      spanProcessors: [new NoopSpanProcessor()],
      instrumentations: [],
    });
    sdk.start();
    const emitters = Object.fromEntries(Object.entries(SERVICES).map(([key, spec]) => [key, makeEmitter(resourceOf(spec))])) as Record<
      ServiceKey,
      MovementReporter
    >;
    return new Estate(emitters, sdk);
  }

  /** Plays the story once, calling `onStep` after each event is acknowledged by the broker. */
  async playStory(onStep: (step: StoryStep, event: DataMovementEvent) => void | Promise<void>, pauseMs = 0): Promise<void> {
    for (const step of STORY) {
      const event = await runStep(step, this.emitters);
      await onStep(step, event);
      if (pauseMs > 0) await new Promise((r) => setTimeout(r, pauseMs));
    }
  }

  /**
   * Load: the story's steps for `tenants` copies of the estate (dataset names suffixed `-t<n>`),
   * at `rate` events per second for `durationS` seconds. Returns the number of events acknowledged.
   */
  async generate(
    options: { rate: number; durationS: number; tenants: number },
    onProgress: (sent: number, elapsedMs: number) => void,
  ): Promise<number> {
    const started = Date.now();
    const total = Math.round(options.rate * options.durationS);
    let issued = 0;
    let acknowledged = 0;
    let failure: unknown;
    const inFlight = new Set<Promise<unknown>>();
    const progress = setInterval(() => onProgress(acknowledged, Date.now() - started), 500);
    try {
      while (issued < total && failure === undefined) {
        const due = Math.min(total, Math.floor(((Date.now() - started) / 1000) * options.rate) + 1);
        for (; issued < due; issued += 1) {
          const step = STORY[issued % STORY.length]!;
          const tenant = Math.floor(issued / STORY.length) % options.tenants;
          const sent = runStep(step, this.emitters, `-t${String(tenant).padStart(5, '0')}`).then(
            () => (acknowledged += 1),
            (error: unknown) => (failure ??= error),
          );
          inFlight.add(sent);
          void sent.finally(() => inFlight.delete(sent));
        }
        if (inFlight.size > 50_000) await Promise.race(inFlight);
        await new Promise((r) => setTimeout(r, 10));
      }
      await Promise.all(inFlight);
    } finally {
      clearInterval(progress);
    }
    if (failure !== undefined) throw failure instanceof Error ? failure : new Error(JSON.stringify(failure));
    onProgress(acknowledged, Date.now() - started);
    return acknowledged;
  }

  async stop(): Promise<void> {
    await Promise.all(Object.values(this.emitters).map((e) => e.close()));
    await this.sdk.shutdown();
  }
}
