import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** Bytes read at a time: a file is cut into lines a chunk at a time, never held whole. */
export const READ_CHUNK_BYTES = 1 << 20;

/**
 * The longest line taken as one record. Far beyond any event (a Kafka message is 1 MB by default), and
 * far below the longest string Node can hold (`buffer.constants.MAX_STRING_LENGTH`, about 512 MB),
 * so that a file without line breaks is reported, not held in memory.
 */
export const MAX_LINE_BYTES = 64 << 20;

/** One line of a file (numbered from 1, without its `\n`), or how long it was when over MAX_LINE_BYTES. */
export type FileLine = { line: number; text: string } | { line: number; overLongBytes: number };

/** What `fileLines` reports as it goes: bytes read so far of the file's size. */
export type ReadProgress = (bytesRead: number, bytesTotal: number) => void;

/** How `fileLines` reads: chunk size, longest line kept, progress. */
export interface FileLinesOptions {
  chunkBytes?: number | undefined;
  maxLineBytes?: number | undefined;
  onProgress?: ReadProgress | undefined;
}

/**
 * The lines of a file, split on `\n` (a `\r` before it stays, for the reader to trim), read
 * `chunkBytes` at a time: no string as long as the file is built, so files far past the longest string
 * Node can hold are read, and each line is garbage as soon as its record is taken. A `\n` byte never
 * occurs inside a multi-byte UTF-8 character, so cutting the bytes there decodes each line whole.
 */
export function* fileLines(
  path: string,
  { chunkBytes = READ_CHUNK_BYTES, maxLineBytes = MAX_LINE_BYTES, onProgress }: FileLinesOptions = {},
): Generator<FileLine> {
  const fd = openSync(path, 'r');
  try {
    const total = fstatSync(fd).size;
    const chunk = Buffer.allocUnsafe(chunkBytes);
    /** The start of the current line, from earlier chunks (copies: `chunk` is reused). */
    let carried: Buffer[] = [];
    let carriedBytes = 0;
    let line = 0;
    let done = 0;
    const take = (piece: Buffer): FileLine => {
      line += 1;
      const bytes = carriedBytes + piece.length;
      const text =
        bytes > maxLineBytes
          ? undefined
          : carried.length === 0
            ? piece.toString('utf8')
            : Buffer.concat([...carried, piece]).toString('utf8');
      carried = [];
      carriedBytes = 0;
      return text === undefined ? { line, overLongBytes: bytes } : { line, text };
    };
    for (let read = readSync(fd, chunk, 0, chunkBytes, null); read > 0; read = readSync(fd, chunk, 0, chunkBytes, null)) {
      const bytes = chunk.subarray(0, read);
      let start = 0;
      for (let end = bytes.indexOf(0x0a); end !== -1; end = bytes.indexOf(0x0a, start)) {
        yield take(bytes.subarray(start, end));
        start = end + 1;
      }
      if (start < read) {
        // Past the limit the line's bytes are only counted, not kept.
        carriedBytes += read - start;
        if (carriedBytes > maxLineBytes) carried = [];
        else carried.push(Buffer.from(bytes.subarray(start)));
      }
      done += read;
      onProgress?.(done, total);
    }
    if (carriedBytes > 0) yield take(Buffer.alloc(0));
  } finally {
    closeSync(fd);
  }
}
