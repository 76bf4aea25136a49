import { DataMovementEvent } from './data-movement-event.js';
import { describeIssues } from './describe-issues.js';

export type ParsedEvent = { ok: true; event: DataMovementEvent } | { ok: false; problems: string[] };

/** Validates a decoded value against the contract; never throws. */
export function parseDataMovementEvent(value: unknown): ParsedEvent {
  const result = DataMovementEvent.safeParse(value);
  return result.success ? { ok: true, event: result.data } : { ok: false, problems: describeIssues(result.error) };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export type ParsedJson = { ok: true; value: unknown } | { ok: false; problems: string[] };

/** Size limit, UTF-8 and JSON, in that order: the checks every JSON input topic shares. Never throws. */
export function parseJsonBytes(bytes: Uint8Array | null, maxBytes: number): ParsedJson {
  if (bytes === null || bytes.length === 0) return { ok: false, problems: ['(message): empty value, expected a JSON event'] };
  if (bytes.length > maxBytes) {
    return { ok: false, problems: [`(message): ${bytes.length} bytes is over the ${maxBytes}-byte limit`] };
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { ok: false, problems: ['(message): not valid UTF-8'] };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, problems: [`(message): not JSON: ${(error as Error).message}`] };
  }
}

/**
 * Validates one message as it comes off the events topic: size limit, UTF-8, JSON, then the
 * contract. The problems say what is wrong in words an operator reading the DLQ can act on.
 */
export function parseDataMovementEventBytes(bytes: Uint8Array | null, maxBytes: number): ParsedEvent {
  const json = parseJsonBytes(bytes, maxBytes);
  return json.ok ? parseDataMovementEvent(json.value) : json;
}
