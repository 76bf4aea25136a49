import { serve as serveHttp, type ServerType } from '@hono/node-server';
import { createKafkaClient } from '../adapters/kafka/create-kafka-client.js';
import { ensureTrackerTopics } from '../adapters/kafka/ensure-topics.js';
import { KafkaEventConsumer } from '../adapters/kafka/kafka-event-consumer.js';
import { KafkaMessagePublisher } from '../adapters/kafka/kafka-message-publisher.js';
import { KafkaAlertFeed } from '../adapters/kafka/kafka-alert-feed.js';
import { decodeOpenLineageValue, OpenLineageDecoder } from '../adapters/openlineage/openlineage-decoder.js';
import { OtlpDecoder } from '../adapters/otlp/otlp-decoder.js';
import { createNeo4jDriver } from '../adapters/neo4j/create-neo4j-driver.js';
import { Neo4jGraphStore } from '../adapters/neo4j/neo4j-graph-store.js';
import { Neo4jLineageQueries } from '../adapters/neo4j/neo4j-lineage-queries.js';
import { Neo4jPolicyReevaluation } from '../adapters/neo4j/reevaluate-policy.js';
import { ReevaluationAbandoned, reevaluateOnChange } from '../ingest/reevaluate-on-change.js';
import { createPolicyControl } from './policy-control.js';
import type { ReevaluationProgress } from '../ports/policy-reevaluation.js';
import { WebhookAlertNotifier } from '../adapters/webhook/webhook-alert-notifier.js';
import { waiverEndFor } from '../alerts/waivers.js';
import { waiverDateProblems } from '../policy/waiver-dates.js';
import { loadPolicyFile } from '../policy/load-policy-file.js';
import { PolicyIndex } from '../policy/policy-index.js';
import type { TrackerEnvironment } from '../config/tracker-config.js';
import { createHttpApp } from '../http/create-http-app.js';
import { AlertOutbox } from '../ingest/alert-outbox.js';
import { IngestPipeline } from '../ingest/ingest-pipeline.js';
import type { Logger } from '../observability/create-logger.js';
import type { EventDecoder } from '../ports/event-decoder.js';
import { PrometheusMetrics } from '../observability/prometheus-metrics.js';
import { redactUri } from '../observability/redact-uri.js';
import { retryRetriable } from '../errors/retry-retriable.js';
import { GuardedLineageQueries } from '../api/guarded-lineage-queries.js';

export interface Tracker {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** True while the events consumer is in its group (what /healthz reports). */
  consumerJoined(): boolean;
}

async function untilAvailable(what: string, logger: Logger, action: () => Promise<unknown>): Promise<void> {
  await retryRetriable(action, {
    initialMs: 500,
    maxMs: 10_000,
    onRetry: (error, _attempt, retryInMs) => logger.warn({ err: error.message, retryInMs }, `${what} not available yet`),
  });
}

/** Builds every adapter of `borderline serve` from configuration and wires them. */
export function buildTracker(
  config: TrackerEnvironment,
  logger: Logger,
  onFatal: (error: Error) => void,
  requestReload: () => void = () => undefined,
): Tracker {
  const sasl =
    config.KAFKA_SASL_MECHANISM && config.KAFKA_SASL_USERNAME && config.KAFKA_SASL_PASSWORD
      ? { mechanism: config.KAFKA_SASL_MECHANISM, username: config.KAFKA_SASL_USERNAME, password: config.KAFKA_SASL_PASSWORD }
      : undefined;
  const kafka = createKafkaClient({ brokers: config.KAFKA_BROKERS, clientId: config.KAFKA_CLIENT_ID, ssl: config.KAFKA_SSL, sasl }, logger);
  const policyFile = loadPolicyFile(config.BORDERLINE_POLICY);
  const loadedAt = new Date();
  const policies = new PolicyIndex(policyFile);
  for (const { index, message } of waiverDateProblems(policies.waivers, Date.now()))
    logger.warn({ waiver: index, policyId: policies.waivers[index]?.policyId }, `waiver ignored: ${message}`);
  // One driver (one connection pool) serves the writes and the queries.
  const driver = createNeo4jDriver({ uri: config.NEO4J_URI, user: config.NEO4J_USER, password: config.NEO4J_PASSWORD });
  const graph = new Neo4jGraphStore(driver, config.NEO4J_DATABASE, policies, { writeTimeoutMs: config.BORDERLINE_NEO4J_WRITE_TIMEOUT_MS });
  const neo4jQueries = new Neo4jLineageQueries(driver, config.NEO4J_DATABASE, policies, {
    timeoutMs: config.BORDERLINE_NEO4J_QUERY_TIMEOUT_MS,
  });
  const policyStore = new Neo4jPolicyReevaluation(driver, config.NEO4J_DATABASE);
  const alertFeed = new KafkaAlertFeed(kafka, config.BORDERLINE_ALERTS_TOPIC, config.BORDERLINE_GROUP_ID, logger);
  const metrics = new PrometheusMetrics();
  // One idempotent producer serves both topics the tracker writes: dead letters and alerts.
  // Alerts and dead letters are sent at most once even across a broker outage (read back before a resend).
  const publisher = KafkaMessagePublisher.fromKafka(kafka, { compression: config.KAFKA_COMPRESSION, readBack: true });
  const notifier = config.BORDERLINE_WEBHOOK_URL
    ? new WebhookAlertNotifier(
        {
          url: config.BORDERLINE_WEBHOOK_URL,
          authorization: config.BORDERLINE_WEBHOOK_AUTHORIZATION,
          maxAttempts: config.BORDERLINE_WEBHOOK_MAX_ATTEMPTS,
          initialDelayMs: 500,
          timeoutMs: 10_000,
        },
        logger,
      )
    : undefined;
  // Inputs are decoders at the edge: every input topic's messages become the same domain events.
  const decoders = new Map<string, EventDecoder>();
  const openLineage = { maskableLabels: policies.knownLabels };
  if (config.BORDERLINE_OPENLINEAGE_TOPIC)
    decoders.set(config.BORDERLINE_OPENLINEAGE_TOPIC, new OpenLineageDecoder(config.BORDERLINE_MAX_EVENT_BYTES, openLineage));
  if (config.BORDERLINE_OTLP_TOPIC)
    decoders.set(config.BORDERLINE_OTLP_TOPIC, new OtlpDecoder({ databaseReads: config.BORDERLINE_OTLP_DB_READS }));
  const intake = config.BORDERLINE_OPENLINEAGE_TOPIC
    ? {
        topic: config.BORDERLINE_OPENLINEAGE_TOPIC,
        publisher,
        check: (value: unknown) => decodeOpenLineageValue(value, openLineage),
        maxBytes: config.BORDERLINE_MAX_EVENT_BYTES,
        timeoutMs: 10_000,
      }
    : undefined;
  const inputTopics = [config.BORDERLINE_EVENTS_TOPIC, ...decoders.keys()];
  const retry = { initialMs: 250, maxMs: 5_000 };
  const outbox = new AlertOutbox({
    graph,
    publisher,
    alertsTopic: config.BORDERLINE_ALERTS_TOPIC,
    logger,
    retry,
    notifier,
    waivedUntil: waiverEndFor(policies.waivers),
  });
  const pipeline = new IngestPipeline({
    graph,
    outbox,
    deadLetters: publisher,
    deadLetterTopic: config.BORDERLINE_DLQ_TOPIC,
    observer: metrics,
    logger,
    maxEventBytes: config.BORDERLINE_MAX_EVENT_BYTES,
    maxEventsPerWrite: config.BORDERLINE_EVENTS_PER_WRITE,
    retry,
    decoders,
    enrich: (event) => policies.catalog.classify(event),
  });
  const consumer = new KafkaEventConsumer(
    kafka,
    pipeline,
    metrics,
    logger,
    {
      topics: inputTopics,
      groupId: config.BORDERLINE_GROUP_ID,
      maxEventsPerWrite: config.BORDERLINE_EVENTS_PER_WRITE,
      concurrentWrites: config.BORDERLINE_PARTITIONS_CONCURRENTLY,
      sessionTimeoutMs: config.BORDERLINE_SESSION_TIMEOUT_MS,
    },
    onFatal,
  );

  let reevaluation: ReevaluationProgress | undefined;
  const watcher = {
    reevaluationProgress(progress: ReevaluationProgress | undefined) {
      reevaluation = progress;
      metrics.reevaluationProgress(progress);
    },
  };
  let graphAvailable = false;
  const markGraph = (available: boolean) => {
    graphAvailable = available;
    metrics.graphAvailable(available);
  };
  const queries = new GuardedLineageQueries(neo4jQueries, {
    graphAvailable: () => graphAvailable,
    heavyConcurrency: config.BORDERLINE_API_HEAVY_CONCURRENCY,
    heavyQueue: config.BORDERLINE_API_HEAVY_QUEUE,
  });
  const app = createHttpApp({
    health: {
      consumerJoined: () => consumer.isJoined(),
      graphAvailable: () => graphAvailable,
      consumerHalted: () => consumer.haltReason(),
      kafkaReachable: () => consumer.brokersReachable(),
      reevaluation: () => reevaluation,
    },
    metrics: { contentType: metrics.registry.contentType, render: () => metrics.registry.metrics() },
    api: {
      queries,
      alertFeed,
      policies: policies.policies,
      tokens: config.BORDERLINE_API_TOKENS,
      intake,
      policyControl: createPolicyControl({
        path: config.BORDERLINE_POLICY,
        loaded: policyFile,
        loadedAt,
        store: policyStore,
        requestReload,
      }),
      triage: neo4jQueries,
      waivers: policies.waivers,
      limits: {
        maxDepth: config.BORDERLINE_LINEAGE_MAX_DEPTH,
        maxNodes: config.BORDERLINE_LINEAGE_MAX_NODES,
        maxEdges: config.BORDERLINE_LINEAGE_MAX_EDGES,
      },
    },
    logger,
  });
  let server: ServerType | undefined;
  let reevaluating: Promise<void> | undefined;
  let stopping = false;
  let pinger: NodeJS.Timeout | undefined;

  return {
    async start() {
      server = serveHttp({ fetch: app.fetch, port: config.PORT, hostname: config.BORDERLINE_HOST });
      // Idle keep-alive connections outlive a client's own keep-alive (undici's 4 s, a load balancer's
      // 60 s), so that the server never closes a socket a client is about to reuse ("other side closed").
      if ('keepAliveTimeout' in server) {
        server.keepAliveTimeout = 65_000;
        server.headersTimeout = 66_000;
      }
      logger.info(
        { host: config.BORDERLINE_HOST, port: config.PORT, tokens: config.BORDERLINE_API_TOKENS.length > 0 ? 'required' : 'none' },
        'HTTP listening',
      );
      await untilAvailable('Neo4j', logger, () => graph.ensureSchema());
      markGraph(true);
      pinger = setInterval(() => {
        graph.ping().then(
          () => markGraph(true),
          () => markGraph(false),
        );
      }, 5_000);
      // The outbox sweep: states whose publisher died mid-way (its claim expired) or failed.
      outbox.startSweep(5_000);
      const topics = { inputs: inputTopics, alerts: config.BORDERLINE_ALERTS_TOPIC, deadLetters: config.BORDERLINE_DLQ_TOPIC };
      const { created, deadLetterMaxBytes } = await ensureTrackerTopics(
        kafka,
        topics,
        config.BORDERLINE_TOPIC_PARTITIONS,
        config.BORDERLINE_MAX_EVENT_BYTES,
      );
      if (created.length > 0) logger.info({ topics: created, partitions: config.BORDERLINE_TOPIC_PARTITIONS }, 'created topics');
      if (deadLetterMaxBytes < config.BORDERLINE_MAX_EVENT_BYTES) {
        logger.warn(
          { topic: topics.deadLetters, maxMessageBytes: deadLetterMaxBytes },
          'the dead-letter topic takes smaller messages than the events topic may carry: larger dead letters are sent shortened (x-dlq-truncated)',
        );
      }
      // The outbox sweep: alert states a crashed process recorded but did not publish.
      const swept = await outbox.publishPending();
      if (swept > 0) logger.info({ count: swept }, 'published alert states left over from an earlier run');
      await consumer.start();
      // The live alert list of the web page; it does not hold up ingest if it is slow to join.
      alertFeed.start().catch((error: unknown) => logger.warn({ err: (error as Error).message }, 'live alert feed did not start'));
      logger.info({ topics: inputTopics, groupId: config.BORDERLINE_GROUP_ID, neo4j: redactUri(config.NEO4J_URI) }, 'consuming');
      // A changed policy re-judges the graph while consumption goes on under it (docs/contract.md §13,
      // docs/policy-changes.md); the states it records are published by the outbox sweep.
      if (config.BORDERLINE_POLICY_REEVALUATION === 'on-change') {
        // Its end is "publishing" until what it recorded is out: /healthz says ready once the alerts answer for the new policy.
        const settling = {
          reevaluationProgress: (p?: ReevaluationProgress) =>
            watcher.reevaluationProgress(p ?? { phase: 'publishing', done: 0, total: null }),
        };
        reevaluating = untilAvailable('Neo4j', logger, async () => {
          const outcome = await reevaluateOnChange(policyFile, policyStore, {
            outbox: config.BORDERLINE_ALERTS_TOPIC,
            logger,
            watcher: settling,
            abandoned: () => stopping,
          });
          if (outcome) await outbox.publishPending();
        })
          .finally(() => watcher.reevaluationProgress(undefined))
          .then(
            () => undefined,
            (error: unknown) => {
              if (error instanceof ReevaluationAbandoned) logger.info('re-evaluation left for the next start');
              else onFatal(new Error(`re-evaluation under the new policy failed: ${(error as Error).message}`));
            },
          );
      }
    },
    consumerJoined: () => consumer.isJoined(),
    async stop() {
      stopping = true;
      if (pinger) clearInterval(pinger);
      outbox.stopSweep();
      // The live feed commits nothing, so it is not waited for long: a feed caught mid-rejoin
      // (kafkajs waits for the join before it leaves) must not hold up the shutdown deadline.
      const feedStopped = alertFeed.stop().catch(() => undefined);
      await consumer.stop();
      await reevaluating;
      await Promise.race([feedStopped, new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
      await publisher.close();
      await notifier?.close(2_000);
      await graph.close();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    },
  };
}
