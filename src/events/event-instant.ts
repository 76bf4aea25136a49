import { z } from 'zod';

/** The first and last instants an event may carry (docs/contract.md §2, RFC 3339 years 0001–9999, in UTC). */
export const EARLIEST_EVENT_MS = Date.parse('0001-01-01T00:00:00.000Z');
export const LATEST_EVENT_MS = Date.parse('9999-12-31T23:59:59.999Z');

const RANGE =
  'must fall between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z in UTC (an offset can push a year-9999 time into year 10000)';

/**
 * An RFC 3339 date-time with a zone whose instant every answer can write back in RFC 3339: times are
 * kept as UTC milliseconds and written with `toISOString()`, which leaves the four-digit years
 * outside this range (`+010000-01-01…`).
 */
export const eventInstant = (field: string, format: string) =>
  z.iso.datetime({ offset: true, local: false, error: `${field} must be ${format}` }).refine((text) => {
    const ms = Date.parse(text);
    return ms >= EARLIEST_EVENT_MS && ms <= LATEST_EVENT_MS;
  }, `${field} ${RANGE}`);

/** Epoch milliseconds as the RFC 3339 UTC text every answer writes (`toISOString()`). */
export const isoInstant = (ms: number): string => new Date(ms).toISOString();
