import { loadTrackerConfig } from '../config/load-tracker-config.js';
import { BorderlineError } from '../errors/borderline-error.js';
import { createLogger } from '../observability/create-logger.js';
import { startTracing } from '../observability/start-tracing.js';
import { isRetriableKafkaError } from '../adapters/kafka/create-kafka-client.js';
import { loadPolicyFile } from '../policy/load-policy-file.js';
import { policyFingerprint } from '../policy/policy-fingerprint.js';
import { buildTracker, type Tracker } from './build-tracker.js';

/** How long the consumer may take to rejoin its group after kafkajs left an error unhandled. */
const REJOIN_GRACE_MS = 180_000;

/**
 * `borderline serve`: the one composition root of the tracker process. Configuration is parsed
 * once; SIGTERM/SIGINT stop it within BORDERLINE_SHUTDOWN_TIMEOUT_MS, committing nothing unwritten.
 * SIGHUP reads the policy file again: an invalid one changes nothing (the log says what is wrong),
 * a changed one restarts the tracker in place under it, which consumes at once and re-judges the
 * graph meanwhile (docs/policy-changes.md).
 */
export async function runServe(env: NodeJS.ProcessEnv): Promise<void> {
  const config = loadTrackerConfig(env);
  const logger = createLogger(config.BORDERLINE_LOG_LEVEL);
  const stopTracing = await startTracing(env);
  let stopping: Promise<void> | undefined;

  const shutdown = (reason: string, exitCode: number) => {
    stopping ??= (async () => {
      logger.info({ reason }, 'shutting down');
      const deadline = setTimeout(() => {
        logger.error({ timeoutMs: config.BORDERLINE_SHUTDOWN_TIMEOUT_MS }, 'shutdown took too long; exiting without committing more');
        process.exit(exitCode || 1);
      }, config.BORDERLINE_SHUTDOWN_TIMEOUT_MS);
      deadline.unref();
      try {
        await tracker.stop();
        await stopTracing();
      } catch (error) {
        logger.error({ err: (error as Error).message }, 'error during shutdown');
        exitCode = exitCode || 1;
      }
      process.exit(exitCode);
    })();
    return stopping;
  };

  const build = () =>
    buildTracker(
      config,
      logger,
      (error) => {
        logger.fatal({ err: error.message }, 'consumer stopped for good');
        void shutdown('fatal consumer error', 1);
      },
      () => process.emit('SIGHUP'),
    );
  let tracker: Tracker = build();
  let fingerprint = policyFingerprint(loadPolicyFile(config.BORDERLINE_POLICY));
  let reloading: Promise<void> | undefined;
  const reload = async () => {
    let next: string;
    try {
      next = policyFingerprint(loadPolicyFile(config.BORDERLINE_POLICY));
    } catch (error) {
      logger.error({ err: (error as Error).message }, 'SIGHUP: the policy file is not valid; the loaded policy stays');
      return;
    }
    if (next === fingerprint) {
      logger.info({ fingerprint: next.slice(0, 12) }, 'SIGHUP: the policy file is unchanged; nothing to do');
      return;
    }
    logger.info(
      { fingerprint: next.slice(0, 12), previous: fingerprint.slice(0, 12) },
      'SIGHUP: policy changed; restarting the tracker under it',
    );
    // Everything consumed so far is written and committed before the old tracker stops; the new one
    // consumes under the new policy at once and re-judges the graph meanwhile.
    await tracker.stop();
    if (stopping) return;
    fingerprint = next;
    tracker = build();
    await tracker.start();
  };
  // A retriable kafkajs error left unhandled (a consumer's rejoin after a broker restart) is logged:
  // the consumer restarts on its own and /healthz says whether it has joined; if it has not joined
  // again within REJOIN_GRACE_MS, the process stops (exit 1) for its supervisor to start it afresh —
  // nothing is lost, offsets are committed only after the write. Anything else unhandled is a bug:
  // logged as fatal, and the process stops without committing more.
  process.on('unhandledRejection', (reason) => {
    const err = reason instanceof Error ? reason.message : String(reason);
    if (isRetriableKafkaError(reason)) {
      logger.warn({ err }, 'kafkajs left a retriable error unhandled; its consumer restarts');
      setTimeout(() => {
        if (!tracker.consumerJoined()) {
          logger.fatal({ err, graceMs: REJOIN_GRACE_MS }, 'the consumer did not rejoin its group after a kafkajs error; stopping');
          void shutdown('consumer did not rejoin', 1);
        }
      }, REJOIN_GRACE_MS).unref();
      return;
    }
    logger.fatal({ err }, 'unhandled rejection');
    void shutdown('unhandled rejection', 1);
  });
  process.once('SIGTERM', () => void shutdown('SIGTERM', 0));
  process.once('SIGINT', () => void shutdown('SIGINT', 0));
  process.on('SIGHUP', () => {
    if (stopping) return;
    reloading = (reloading ?? Promise.resolve()).then(reload).catch((error: unknown) => {
      logger.fatal({ err: (error as Error).message }, 'could not restart under the new policy');
      void shutdown('reload failed', 1);
    });
  });
  try {
    await tracker.start();
  } catch (error) {
    // A half-started tracker (HTTP up, timers running) must not linger: say why and exit.
    logger.fatal({ err: (error as Error).message }, 'could not start');
    await shutdown('start failed', error instanceof BorderlineError && !error.retriable ? 2 : 1);
  }
}
