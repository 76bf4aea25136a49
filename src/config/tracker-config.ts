import { z } from 'zod';
import { ApiTokens } from './api-tokens.js';
import { COMPRESSION_NAMES } from './compression.js';

const commaList = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part.length > 0),
  )
  .pipe(z.array(z.string().regex(/^[^\s:]+:\d{1,5}$/, 'expected host:port')).min(1, 'expected at least one host:port'));

const booleanFlag = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

const positiveInt = z.coerce.number().int().positive();

/**
 * The tracker's configuration, read from the environment (docs/contract.md §7). Each key is the
 * environment variable it comes from, so an error message can name exactly what to fix.
 */
export const TrackerEnvironment = z.object({
  KAFKA_BROKERS: commaList.default(['127.0.0.1:9092']),
  KAFKA_CLIENT_ID: z.string().min(1).default('borderline'),
  KAFKA_SSL: booleanFlag.default(false),
  KAFKA_COMPRESSION: z.enum(COMPRESSION_NAMES).default('none'),
  KAFKA_SASL_MECHANISM: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional(),
  KAFKA_SASL_USERNAME: z.string().min(1).optional(),
  KAFKA_SASL_PASSWORD: z.string().min(1).optional(),
  NEO4J_URI: z
    .string()
    .regex(/^(bolt|neo4j)(\+s|\+ssc)?:\/\/.+/, 'expected a bolt://, bolt+s://, neo4j:// or neo4j+s:// URI')
    .default('bolt://127.0.0.1:7687'),
  NEO4J_USER: z.string().default('neo4j'),
  NEO4J_PASSWORD: z.string().default(''),
  NEO4J_DATABASE: z.string().min(1).optional(),
  BORDERLINE_NEO4J_WRITE_TIMEOUT_MS: positiveInt.default(60_000),
  BORDERLINE_NEO4J_QUERY_TIMEOUT_MS: positiveInt.default(30_000),
  BORDERLINE_POLICY: z.string({ error: 'required: the path to the policy YAML (see examples/policy.yaml)' }).min(1),
  BORDERLINE_EVENTS_TOPIC: z.string().min(1).default('lineage.events'),
  BORDERLINE_ALERTS_TOPIC: z.string().min(1).default('lineage.alerts'),
  BORDERLINE_DLQ_TOPIC: z.string().min(1).default('lineage.events.dlq'),
  BORDERLINE_OPENLINEAGE_TOPIC: z.string().min(1).optional(),
  BORDERLINE_OTLP_TOPIC: z.string().min(1).optional(),
  BORDERLINE_OTLP_DB_READS: booleanFlag.default(false),
  // docs/policy-changes.md: on-change re-evaluates the graph at start when the policy differs from the one it was judged under.
  BORDERLINE_POLICY_REEVALUATION: z.enum(['on-change', 'off']).default('on-change'),
  BORDERLINE_GROUP_ID: z.string().min(1).default('borderline'),
  BORDERLINE_TOPIC_PARTITIONS: positiveInt.default(6),
  BORDERLINE_MAX_EVENT_BYTES: positiveInt.default(1024 * 1024),
  BORDERLINE_EVENTS_PER_WRITE: positiveInt.default(500),
  BORDERLINE_PARTITIONS_CONCURRENTLY: positiveInt.default(6),
  BORDERLINE_SHUTDOWN_TIMEOUT_MS: positiveInt.default(9000),
  BORDERLINE_SESSION_TIMEOUT_MS: z.coerce.number().int().min(6000).max(300_000).default(30_000),
  BORDERLINE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
  BORDERLINE_WEBHOOK_URL: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).optional(),
  BORDERLINE_WEBHOOK_AUTHORIZATION: z.string().min(1).optional(),
  BORDERLINE_WEBHOOK_MAX_ATTEMPTS: positiveInt.default(6),
  BORDERLINE_API_TOKENS: ApiTokens.default([]),
  BORDERLINE_LINEAGE_MAX_DEPTH: z.coerce.number().int().min(1).max(50).default(10),
  BORDERLINE_LINEAGE_MAX_NODES: positiveInt.default(2_000),
  BORDERLINE_API_HEAVY_CONCURRENCY: positiveInt.default(2),
  BORDERLINE_API_HEAVY_QUEUE: z.coerce.number().int().min(0).default(8),
  BORDERLINE_LINEAGE_MAX_EDGES: positiveInt.default(10_000),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  BORDERLINE_HOST: z.string().min(1).default('127.0.0.1'),
  BORDERLINE_ALLOW_OPEN_API: booleanFlag.default(false),
});
export type TrackerEnvironment = z.infer<typeof TrackerEnvironment>;
