/**
 * Reads a `text/event-stream` body until it ends, calling `onEvent` with each event's name and data
 * (single-line data, as /api/v1/alerts/stream sends; comment lines are skipped). Web-standard APIs
 * only, so the web page and Node scripts share it.
 */
export async function readServerSentEvents(
  body: ReadableStream<Uint8Array>,
  onEvent: (event: string, data: string) => void,
): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    // One pass over the chunk, cut once at the end: a burst of thousands of events in one chunk
    // must not copy the rest of the buffer after each of them.
    let start = 0;
    let end: number;
    while ((end = buffer.indexOf('\n\n', start)) >= 0) {
      const frame = buffer.slice(start, end);
      start = end + 2;
      const event = /^event: (.*)$/m.exec(frame)?.[1];
      if (event !== undefined) onEvent(event, /^data: (.*)$/m.exec(frame)?.[1] ?? '');
    }
    buffer = buffer.slice(start);
  }
}
