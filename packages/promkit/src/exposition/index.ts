export * from './model.js';
export * from './content-types.js';
export * from './escape.js';
export * from './number-format.js';
export {
  negotiate,
  negotiateScrape,
  acceptsGzip,
  negotiateEncoding,
  parseAcceptHeader,
  type NegotiateOptions,
  type Negotiated,
  type NegotiateScrapeOptions,
  type NegotiatedScrape,
  type ScrapeFormat,
} from './negotiate.js';
export { encodeProtobuf, type ProtobufEncodeOptions } from './protobuf-encoder.js';
export { ProtoWriter } from './protobuf-writer.js';
export { splitLabelText } from './label-text.js';
export { writeExposition, exposeToString, type FamilyToEncode, type WriteOptions } from './write-exposition.js';
export { openMetricsFamilyName, type EncodeOptions } from './encoder.js';
export { ChunkWriter, type ChunkSink, type ChunkTarget, type ChunkWriterOptions } from './chunk-writer.js';
export * from './parser.js';
