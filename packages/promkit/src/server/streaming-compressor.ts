import type { Transform } from 'node:stream';
import * as zlib from 'node:zlib';

/** The compressed encodings a scrape can be served in. */
export type ContentCoding = 'gzip' | 'zstd';

/** node:zlib's zstd API, which @types/node 20 does not declare. */
interface ZstdApi {
  createZstdCompress?(options: { chunkSize?: number; params?: Record<number, number> }): Transform;
  constants: { ZSTD_c_compressionLevel?: number };
}
const zstdApi = zlib as unknown as ZstdApi;

/** Whether this Node line can compress zstd: node:zlib has it from 22.15 and 23.8, Node 20 does not. */
export const ZSTD_AVAILABLE = typeof zstdApi.createZstdCompress === 'function' && zstdApi.constants.ZSTD_c_compressionLevel !== undefined;

/**
 * Smallest hand-off worth a job on zlib's thread pool (the round trip costs a main-thread
 * turn); the body's tail is handed over whatever its size.
 */
const MIN_FEED_BYTES = 64 * 1024;

/**
 * The compressor's output buffer. A job returns to the main thread whenever this fills, and
 * the main thread answers only between two slices of encoding (~4 ms apart), so zlib's
 * default 16 KB made compression wait for ~3 turns per 800 KB of text; 256 KB holds any
 * job's output on exposition text (~20:1 for gzip, ~60:1 for zstd) in one turn.
 */
const OUTPUT_CHUNK_BYTES = 256 * 1024;

function createCompressor(coding: ContentCoding, level: number): Transform {
  if (coding === 'gzip') return zlib.createGzip({ level, chunkSize: OUTPUT_CHUNK_BYTES });
  if (!ZSTD_AVAILABLE) throw new Error(`zstd needs Node 22.15 or later (this is ${process.version})`);
  const levelParam = zstdApi.constants.ZSTD_c_compressionLevel as number;
  return zstdApi.createZstdCompress!({ chunkSize: OUTPUT_CHUNK_BYTES, params: { [levelParam]: level } });
}

/**
 * One compressed body (a gzip member or a zstd frame) made on zlib's thread pool while its
 * input is still being written. The input is a growing body (each `offer` passes the body
 * so far); whenever the compressor is idle, every byte not yet handed over goes in one
 * job, so each of the encoder's yields starts one job with all the text encoded since the
 * last, instead of queueing many small ones that would take a main-thread turn each to start.
 */
export class StreamingCompressor {
  /** The whole compressed body, once `end` was called and the compressor finished. */
  readonly done: Promise<Buffer>;
  private readonly stream: Transform;
  private handed = 0;
  private busy = false;

  constructor(
    readonly coding: ContentCoding,
    level: number,
  ) {
    this.stream = createCompressor(coding, level);
    const parts: Buffer[] = [];
    this.done = new Promise<Buffer>((resolve, reject) => {
      this.stream.on('data', (b: Buffer) => parts.push(b));
      this.stream.once('end', () => resolve(parts.length === 1 ? parts[0] : Buffer.concat(parts)));
      this.stream.once('error', reject);
    });
    // The caller may abandon a failed render; the rejection is then nobody's to handle.
    this.done.catch(() => {});
  }

  /**
   * `bodySoFar` must start with everything offered before (a view of a buffer that only
   * grows is fine: the compressor keeps the views it was handed alive).
   */
  offer(bodySoFar: Buffer): void {
    if (this.busy || bodySoFar.length - this.handed < MIN_FEED_BYTES) return;
    this.busy = true;
    this.stream.write(bodySoFar.subarray(this.handed), () => {
      this.busy = false;
    });
    this.handed = bodySoFar.length;
  }

  /** The whole body: hands over the rest and finishes. */
  end(body: Buffer): void {
    this.stream.end(body.subarray(this.handed));
    this.handed = body.length;
  }

  destroy(error: unknown): void {
    this.stream.destroy(error instanceof Error ? error : new Error(String(error)));
  }
}

/** Compresses a whole body at once (for a scrape that wants another coding than the render made). */
export function compressBody(coding: ContentCoding, level: number, body: Buffer): Promise<Buffer> {
  const compressor = new StreamingCompressor(coding, level);
  compressor.end(body);
  return compressor.done;
}
