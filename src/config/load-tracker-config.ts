import { ConfigurationError } from '../errors/borderline-error.js';
import { TrackerEnvironment } from './tracker-config.js';

/** Variables whose values must never appear in an error message or a log line. */
const secretVariables = new Set(['KAFKA_SASL_PASSWORD', 'NEO4J_PASSWORD', 'BORDERLINE_WEBHOOK_AUTHORIZATION', 'BORDERLINE_API_TOKENS']);

/**
 * Parses the tracker's configuration once, failing fast with one line per bad variable:
 * `KAFKA_BROKERS: expected host:port (got "localhost")`. Empty strings count as unset.
 */
export function loadTrackerConfig(env: NodeJS.ProcessEnv = process.env): TrackerEnvironment {
  const present = Object.fromEntries(
    Object.keys(TrackerEnvironment.shape)
      .map((key) => [key, env[key]] as const)
      .filter(([key, value]) => value !== undefined && (value !== '' || key === 'NEO4J_PASSWORD')),
  );
  const parsed = TrackerEnvironment.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const variable = String(issue.path[0] ?? '(configuration)');
      const got = secretVariables.has(variable) || present[variable] === undefined ? '' : ` (got ${JSON.stringify(present[variable])})`;
      return `  ${variable}: ${issue.message}${got}`;
    });
    throw new ConfigurationError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const config = parsed.data;
  if (config.KAFKA_SASL_MECHANISM && !(config.KAFKA_SASL_USERNAME && config.KAFKA_SASL_PASSWORD)) {
    throw new ConfigurationError(
      `Invalid configuration:\n  KAFKA_SASL_MECHANISM is ${config.KAFKA_SASL_MECHANISM}, so KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD are required`,
    );
  }
  if (!isLoopback(config.BORDERLINE_HOST) && config.BORDERLINE_API_TOKENS.length === 0 && !config.BORDERLINE_ALLOW_OPEN_API) {
    throw new ConfigurationError(
      `Invalid configuration:\n  BORDERLINE_HOST is ${config.BORDERLINE_HOST}, beyond loopback, and BORDERLINE_API_TOKENS is unset: the API would be open to the network. Set BORDERLINE_API_TOKENS, or BORDERLINE_ALLOW_OPEN_API=true if something in front authenticates`,
    );
  }
  return config;
}

/** True for addresses only this machine reaches: 127.0.0.0/8, ::1, localhost. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}
