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
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(frame)?.[1];
      if (event !== undefined) onEvent(event, /^data: (.*)$/m.exec(frame)?.[1] ?? '');
    }
  }
}
