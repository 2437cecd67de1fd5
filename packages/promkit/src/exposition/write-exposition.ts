import { ChunkWriter, type ChunkSink, type ChunkTarget, type ChunkWriterOptions } from './chunk-writer.js';
import type { ExpositionFormat } from './content-types.js';
import { dialectFor, encodeFamily, OPENMETRICS_EOF, type EncodeOptions } from './encoder.js';
import type { MetricFamily } from './model.js';

/** A family plus the label pairs every series of it gets at scrape time (registry default labels). */
export interface FamilyToEncode {
  family: MetricFamily;
  extraLabelText: string;
}

export interface WriteOptions extends EncodeOptions, ChunkWriterOptions {}

/**
 * Encodes families in the given format into the sink, in chunks, yielding to the event
 * loop whenever a synchronous stretch exceeds its time budget.
 */
export async function writeExposition(
  families: Iterable<FamilyToEncode>,
  format: ExpositionFormat,
  sink: ChunkSink | ChunkTarget,
  options: WriteOptions = {},
): Promise<void> {
  const dialect = dialectFor(format, options);
  const writer = new ChunkWriter(sink, options);
  for (const { family, extraLabelText } of families) {
    await encodeFamily(writer, family, extraLabelText, dialect);
  }
  if (dialect.openMetrics) writer.write(OPENMETRICS_EOF);
  await writer.end();
}

/** Convenience: the whole exposition as one string. */
export async function exposeToString(families: Iterable<FamilyToEncode>, format: ExpositionFormat, options: WriteOptions = {}): Promise<string> {
  const parts: string[] = [];
  await writeExposition(families, format, (chunk) => void parts.push(chunk), options);
  return parts.join('');
}
