import { describe, expect, it } from 'vitest';
import { readServerSentEvents } from '../../src/http/read-server-sent-events.js';

const bodyOf = (chunks: string[]) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
      controller.close();
    },
  });

describe('readServerSentEvents', () => {
  it('yields each event with its data, across chunk boundaries, skipping comment lines', async () => {
    const seen: Array<[string, string]> = [];
    await readServerSentEvents(
      bodyOf(['event: ready\ndata: {}\n', '\n: keep-alive\n\nevent: al', 'ert\ndata: {"a":1}\n\n', 'event: alert\ndata: {"a":2}\n\n']),
      (event, data) => seen.push([event, data]),
    );
    expect(seen).toEqual([
      ['ready', '{}'],
      ['alert', '{"a":1}'],
      ['alert', '{"a":2}'],
    ]);
  });
});
