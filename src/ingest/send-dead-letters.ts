import { MessageTooLargeError } from '../errors/borderline-error.js';
import type { Logger } from '../observability/create-logger.js';
import type { IngestObserver } from '../ports/ingest-observer.js';
import type { OutgoingMessage } from '../ports/message-publisher.js';
import { deadLetterSource, SHORTENED_VALUE_BYTES, shortenDeadLetter } from './dead-letter.js';

type Send = (batch: OutgoingMessage[]) => Promise<void>;

/** One dead letter: as it is, then shortened step by step while the topic refuses it for its size. */
async function sendShortened(letter: OutgoingMessage, send: Send, observer: IngestObserver, logger: Logger): Promise<void> {
  for (const attempt of [letter, ...SHORTENED_VALUE_BYTES.map((bytes) => shortenDeadLetter(letter, bytes))]) {
    try {
      return await send([attempt]);
    } catch (error) {
      if (!(error instanceof MessageTooLargeError)) throw error;
      observer.deadLetterPublishFailed();
    }
  }
  logger.error(
    { source: deadLetterSource(letter) },
    'the dead-letter topic refused even a shortened dead letter; the original stays on its topic',
  );
}

/**
 * Sends dead letters with `send` (which retries what may succeed later); when the DLQ topic refuses
 * them for their size, sends them one by one, each refused one shortened (see `shortenDeadLetter`)
 * rather than retried forever. A dead letter that cannot be sent even without its value is logged
 * with its source position and counted: the partition goes on, since the original is still on its topic.
 */
export async function sendDeadLetters(letters: OutgoingMessage[], send: Send, observer: IngestObserver, logger: Logger): Promise<void> {
  try {
    return await send(letters);
  } catch (error) {
    if (!(error instanceof MessageTooLargeError)) throw error;
    observer.deadLetterPublishFailed();
  }
  for (const letter of letters) await sendShortened(letter, send, observer, logger);
}
