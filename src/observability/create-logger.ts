import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * The process logger: JSON lines on stdout. Credentials are redacted wherever they appear in a
 * logged object, so passing a whole config to a log call cannot leak a secret.
 */
export function createLogger(level: string, name = 'borderline'): Logger {
  return pino({
    name,
    level,
    redact: {
      paths: [
        'password',
        '*.password',
        'KAFKA_SASL_PASSWORD',
        'NEO4J_PASSWORD',
        '*.KAFKA_SASL_PASSWORD',
        '*.NEO4J_PASSWORD',
        'sasl',
        '*.sasl',
        'authorization',
        '*.authorization',
        'BORDERLINE_WEBHOOK_AUTHORIZATION',
        '*.BORDERLINE_WEBHOOK_AUTHORIZATION',
        'BORDERLINE_API_TOKENS',
        '*.BORDERLINE_API_TOKENS',
        'tokens',
        '*.tokens',
      ],
      censor: '[redacted]',
    },
  });
}
