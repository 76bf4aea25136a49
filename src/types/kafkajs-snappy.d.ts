/** kafkajs-snappy ships no types: its module is a factory of a kafkajs codec. */
declare module 'kafkajs-snappy' {
  function createSnappyCodec(): {
    compress(encoder: { buffer: Buffer }): Promise<Buffer>;
    decompress(buffer: Buffer): Promise<Buffer>;
  };
  export = createSnappyCodec;
}
