import type { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { DecodedMessage } from '../ports/event-decoder.js';
import type { MessagePublisher } from '../ports/message-publisher.js';

/** What `POST /api/v1/lineage` needs: how to check an OpenLineage event, and where it goes. */
export interface LineageIntake {
  /** The OpenLineage topic (BORDERLINE_OPENLINEAGE_TOPIC). */
  topic: string;
  publisher: MessagePublisher;
  /** Reads the body as the tracker's consumer will (the same decoder), so what is accepted here is ingested there. */
  check(value: unknown): DecodedMessage;
  maxBytes: number;
  /** How long to wait for Kafka's acknowledgement before answering 503. */
  timeoutMs: number;
}

/** The message key: the run id, so that one run's events stay in order on one partition (null for metadata events). */
const keyOf = (event: { run?: { runId?: unknown } }): string | null => (typeof event.run?.runId === 'string' ? event.run.runId : null);

/**
 * `POST /api/v1/lineage`, the way Marquez answers it (docs/contract.md §8): one OpenLineage event as the JSON
 * body; validated, produced to the OpenLineage topic with acks from all in-sync replicas, then 201.
 * 400 names the field; 503 when Kafka does not take it in time. The Kafka path keeps every guarantee:
 * the tracker ingests what is on the topic, and a retried POST is a no-op (the same event ids).
 */
export function mountLineageIntake(api: Hono, intake: LineageIntake | undefined): void {
  api.post(
    '/lineage',
    bodyLimit({
      maxSize: intake?.maxBytes ?? 1,
      onError: (c) => c.json({ error: `(body): over the ${intake?.maxBytes ?? 0}-byte limit` }, 413),
    }),
    async (c) => {
      if (!intake) return c.json({ error: 'OpenLineage input is off: set BORDERLINE_OPENLINEAGE_TOPIC to accept events here' }, 404);
      const text = await c.req.text();
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        return c.json({ error: `(body): not JSON: ${(error as Error).message}` }, 400);
      }
      const checked = intake.check(value);
      if (!checked.ok) return c.json({ error: checked.problems.join('; ') }, 400);
      const sent = intake.publisher.send(intake.topic, [
        { key: keyOf(value as Parameters<typeof keyOf>[0]), value: Buffer.from(text), headers: {} },
      ]);
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), intake.timeoutMs)));
      try {
        if ((await Promise.race([sent, timedOut])) === 'timeout') {
          sent.catch(() => undefined); // it may still go through; a retried POST is then a no-op
          return c.json({ error: `Kafka did not acknowledge the event within ${intake.timeoutMs} ms; retry` }, 503, { 'retry-after': '5' });
        }
      } catch (error) {
        return c.json({ error: `Kafka did not take the event: ${(error as Error).message}` }, 503, { 'retry-after': '5' });
      } finally {
        clearTimeout(timer);
      }
      return c.body(null, 201);
    },
  );
}
