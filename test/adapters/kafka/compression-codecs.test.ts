import kafkajs, { CompressionTypes } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { registerCompressionCodecs, UndecodableBatchError } from '../../../src/adapters/kafka/register-compression-codecs.js';

interface Codec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}
registerCompressionCodecs();
const codec = (type: CompressionTypes) => (kafkajs.CompressionCodecs as Record<number, () => Codec>)[type]!();
const records = Buffer.from(JSON.stringify({ eventId: 'x', inputs: Array.from({ length: 200 }, (_, i) => `dataset-${i}`) }));

describe('compression codecs', () => {
  it.each([
    ['snappy', CompressionTypes.Snappy],
    ['lz4', CompressionTypes.LZ4],
    ['zstd', CompressionTypes.ZSTD],
  ])('%s compresses and decompresses what it compressed', async (_name, type) => {
    const compressed = await codec(type).compress({ buffer: records });
    expect(compressed.length).toBeLessThan(records.length);
    expect(await codec(type).decompress(compressed)).toEqual(records);
  });

  it("reads snappy in the xerial framing of Kafka's Java producer", async () => {
    // The xerial stream header, then one block: its length and the raw snappy bytes.
    const raw = await codec(CompressionTypes.Snappy).compress({ buffer: records });
    const header = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0, 0, 0, 0, 1, 0, 0, 0, 1]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(raw.length);
    expect(await codec(CompressionTypes.Snappy).decompress(Buffer.concat([header, length, raw]))).toEqual(records);
  });

  it.each([
    ['snappy', CompressionTypes.Snappy],
    ['lz4', CompressionTypes.LZ4],
    ['zstd', CompressionTypes.ZSTD],
  ])('turns corrupt %s data into an UndecodableBatchError naming the codec', async (name, type) => {
    const failure = await codec(type)
      .decompress(Buffer.from('definitely not compressed'))
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(UndecodableBatchError);
    expect((failure as UndecodableBatchError).message).toMatch(new RegExp(`^cannot decompress a ${name} record batch: `));
    expect((failure as UndecodableBatchError).retriable).toBe(false);
  });
});
