import { ROOT_CONTEXT, propagation, trace, type Link } from '@opentelemetry/api';
import type { IHeaders } from 'kafkajs';
import type { IncomingMessage } from '../../ports/incoming-message.js';

/** Kafka headers as strings (the last value of a repeated header). */
export function decodeHeaders(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    out[name] = (Array.isArray(value) ? value[value.length - 1] : value)?.toString() ?? '';
  }
  return out;
}

/** The producers' trace contexts (from `traceparent`), as links of the batch span. */
export function producerLinks(messages: readonly IncomingMessage[]): Link[] {
  const links: Link[] = [];
  for (const message of messages) {
    if (!message.headers.traceparent) continue;
    const context = trace.getSpanContext(propagation.extract(ROOT_CONTEXT, message.headers));
    if (context) links.push({ context });
    if (links.length === 128) break; // spans keep a bounded number of links
  }
  return links;
}
