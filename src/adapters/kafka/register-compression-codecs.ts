import kafkajs, { CompressionTypes } from 'kafkajs';
import createSnappyCodec from 'kafkajs-snappy';
import { compressFrame, decompressFrame } from 'lz4-napi';
import { compress as zstdCompress, decompress as zstdDecompress } from 'zstd-napi';
import type { CompressionName } from '../../config/compression.js';
import { BorderlineError } from '../../errors/borderline-error.js';

const TYPES: Record<CompressionName, CompressionTypes> = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4,
  zstd: CompressionTypes.ZSTD,
};

/** kafkajs's compression type for a codec name. */
export function compressionType(name: CompressionName): CompressionTypes {
  return TYPES[name];
}

/**
 * A record batch whose compressed records could not be decompressed. kafkajs decodes a whole fetch
 * at once, so this names the codec and the cause; the consumer adds the topic and partitions. The
 * codec's own error is kept as `codecError`, not as `cause`: kafkajs's retrier wraps an error as the
 * cause of its own, or that error's cause when it has one, and this error must stay in the chain.
 */
export class UndecodableBatchError extends BorderlineError {
  readonly codecError: string;

  constructor(
    readonly codec: string,
    codecError: unknown,
  ) {
    const reason = (codecError as Error)?.message ?? String(codecError);
    super(`cannot decompress a ${codec} record batch: ${reason}`, { retriable: false });
    this.codecError = reason;
  }
}

interface Codec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

/** Any failure to decompress becomes an UndecodableBatchError naming the codec. */
function guarded(codec: string, inner: Codec): () => Codec {
  const wrapped: Codec = {
    compress: (encoder) => inner.compress(encoder),
    async decompress(buffer) {
      try {
        return await inner.decompress(buffer);
      } catch (error) {
        throw new UndecodableBatchError(codec, error);
      }
    },
  };
  return () => wrapped;
}

let registered = false;

/**
 * The three codecs kafkajs leaves to plugins (it ships gzip only), registered once per process:
 * - snappy: kafkajs-snappy (the kafkajs authors' codec), which reads both raw snappy (librdkafka)
 *   and the xerial framing Kafka's Java producer writes;
 * - lz4: the LZ4 frame format Kafka uses (KIP-57), through lz4-napi (lz4_flex);
 * - zstd: zstd-napi (the reference zstd library), which also reads frames without a content size.
 */
export function registerCompressionCodecs(): void {
  if (registered) return;
  registered = true;
  // A default import: Node cannot see CompressionCodecs among kafkajs's CommonJS named exports.
  const codecs = kafkajs.CompressionCodecs as Record<number, () => Codec>;
  codecs[CompressionTypes.Snappy] = guarded('snappy', createSnappyCodec());
  codecs[CompressionTypes.LZ4] = guarded('lz4', {
    compress: (encoder) => compressFrame(encoder.buffer),
    decompress: (buffer) => decompressFrame(buffer),
  });
  codecs[CompressionTypes.ZSTD] = guarded('zstd', {
    compress: (encoder) => Promise.resolve(zstdCompress(encoder.buffer)),
    decompress: (buffer) => Promise.resolve(zstdDecompress(buffer)),
  });
}
