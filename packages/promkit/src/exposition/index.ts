export * from './model.js';
export * from './content-types.js';
export * from './escape.js';
export * from './number-format.js';
export { negotiate, acceptsGzip, parseAcceptHeader, type NegotiateOptions, type Negotiated } from './negotiate.js';
export { writeExposition, exposeToString, type FamilyToEncode, type WriteOptions } from './write-exposition.js';
export { openMetricsFamilyName, type EncodeOptions } from './encoder.js';
export { ChunkWriter, type ChunkSink, type ChunkWriterOptions } from './chunk-writer.js';
export * from './parser.js';
