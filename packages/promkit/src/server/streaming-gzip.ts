import { createGzip, type Gzip } from 'node:zlib';

/**
 * Smallest hand-off worth a job on zlib's thread pool (the round trip costs a main-thread
 * turn); the body's tail is handed over whatever its size.
 */
const MIN_FEED_BYTES = 64 * 1024;

/**
 * zlib's output buffer. A job returns to the main thread whenever this fills, and the
 * main thread answers only between two slices of encoding (~4 ms apart), so the default
 * 16 KB made compression wait for ~3 turns per 800 KB of text; 256 KB holds any job's
 * output at levels 1-9 on exposition text (~20:1) in one turn.
 */
const OUTPUT_CHUNK_BYTES = 256 * 1024;

/**
 * One gzip member compressed on zlib's thread pool while its input is still being
 * written. The input is a growing body (each `offer` passes the body so far); whenever
 * zlib is idle, every byte not yet handed over goes in one job, so each of the encoder's
 * yields starts one job with all the text encoded since the last, instead of queueing
 * many small ones that zlib would take one main-thread turn each to start.
 */
export class StreamingGzip {
  /** The whole compressed member, once `end` was called and zlib finished. */
  readonly done: Promise<Buffer>;
  private readonly stream: Gzip;
  private handed = 0;
  private busy = false;

  constructor(level: number) {
    this.stream = createGzip({ level, chunkSize: OUTPUT_CHUNK_BYTES });
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
   * grows is fine: zlib keeps the views it was handed alive).
   */
  offer(bodySoFar: Buffer): void {
    if (this.busy || bodySoFar.length - this.handed < MIN_FEED_BYTES) return;
    this.busy = true;
    this.stream.write(bodySoFar.subarray(this.handed), () => {
      this.busy = false;
    });
    this.handed = bodySoFar.length;
  }

  /** The whole body: hands over the rest and finishes the member. */
  end(body: Buffer): void {
    this.stream.end(body.subarray(this.handed));
    this.handed = body.length;
  }

  destroy(error: unknown): void {
    this.stream.destroy(error instanceof Error ? error : new Error(String(error)));
  }
}
