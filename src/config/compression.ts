/** The compression types a Borderline producer may use, by the names Kafka's own clients give them (`compression.type`). */
export const COMPRESSION_NAMES = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
export type CompressionName = (typeof COMPRESSION_NAMES)[number];
