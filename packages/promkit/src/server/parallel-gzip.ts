import { availableParallelism } from 'node:os';
import * as zlib from 'node:zlib';

/** How far back deflate can refer: each piece is primed with this much of the text before it. */
const WINDOW_BYTES = 32 * 1024;

/** Smallest piece worth a job while the encoder still runs; the rest of the body goes whatever its size. */
const MIN_PIECE_BYTES = 64 * 1024;

/** Piece size once the body is complete, so every core gets a share of what is left. */
const TAIL_PIECE_BYTES = 1024 * 1024;

/** Each job's output in one buffer (exposition text deflates ~20:1), so a job returns to the main thread once. */
const OUTPUT_CHUNK_BYTES = 256 * 1024;

/** Member header: magic, deflate, no flags, no mtime, no extra flags, OS unix (as Node's gzip writes). */
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03]);

/** An empty final block (fixed Huffman, end-of-block only): closes the deflate stream after the last sync-flushed piece. */
const FINAL_EMPTY_BLOCK = Buffer.from([0x03, 0x00]);

/** node:zlib's crc32, which @types/node 20 does not declare. */
const crc32 = (zlib as unknown as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

/** Whether this Node has what parallel gzip needs: `zlib.crc32` (Node 20.15 and later). */
export const PARALLEL_GZIP_AVAILABLE = typeof crc32 === 'function';

/**
 * One gzip member made by compressing pieces of a growing body side by side on zlib's
 * thread pool, the way pigz does: each piece is a raw deflate stream primed with the 32 KB
 * of text before it (so it compresses as well as one stream would) and ended with a sync
 * flush (so the pieces join into one deflate stream); the member's CRC-32 is chained over
 * the pieces on the main thread as they are handed over (~0.5 ms per MB).
 *
 * While the encoder runs it keeps one core for itself: at most `cores - 1` jobs are in
 * flight (one on two cores), each taking everything new since the last. Once the body is
 * complete, what is left goes in 1 MB pieces on every core, so the tail that a single
 * stream compresses on one core after the encoder is done takes half the time on two.
 */
export class ParallelGzip {
  readonly coding = 'gzip' as const;
  /** The whole member, once `end` was called and every piece is compressed. */
  readonly done: Promise<Buffer>;
  private resolveDone!: (member: Buffer) => void;
  private rejectDone!: (error: Error) => void;
  private readonly pieces: Array<Promise<Buffer>> = [];
  private readonly cores = Math.max(1, availableParallelism());
  private handed = 0;
  private crc = 0;
  private inFlight = 0;
  private body: Buffer | undefined;
  private settled = false;

  constructor(private readonly level: number) {
    if (!PARALLEL_GZIP_AVAILABLE) throw new Error(`parallel gzip needs zlib.crc32 (Node 20.15 or later; this is ${process.version})`);
    this.done = new Promise<Buffer>((resolve, reject) => {
      this.resolveDone = resolve;
      this.rejectDone = reject;
    });
    // The caller may abandon a failed render; the rejection is then nobody's to handle.
    this.done.catch(() => {});
  }

  /** Pieces being compressed now (for tests and diagnostics). */
  get jobsInFlight(): number {
    return this.inFlight;
  }

  /** `bodySoFar` must start with everything offered before (a view of a buffer that only grows is fine). */
  offer(bodySoFar: Buffer): void {
    if (this.settled || this.inFlight >= Math.max(1, this.cores - 1) || bodySoFar.length - this.handed < MIN_PIECE_BYTES) return;
    this.dispatch(bodySoFar, bodySoFar.length);
  }

  /** The whole body: compresses the rest on every core and finishes the member. */
  end(body: Buffer): void {
    this.body = body;
    this.pump();
  }

  destroy(error: unknown): void {
    this.fail(error instanceof Error ? error : new Error(String(error)));
  }

  private pump(): void {
    const body = this.body;
    if (body === undefined || this.settled) return;
    while (this.inFlight < this.cores && this.handed < body.length) {
      this.dispatch(body, Math.min(body.length, this.handed + TAIL_PIECE_BYTES));
    }
    if (this.inFlight === 0 && this.handed === body.length) void this.assemble(body.length);
  }

  private dispatch(body: Buffer, end: number): void {
    const start = this.handed;
    const piece = body.subarray(start, end);
    this.crc = crc32!(piece, this.crc);
    this.handed = end;
    this.inFlight++;
    const options: zlib.ZlibOptions = { level: this.level, finishFlush: zlib.constants.Z_SYNC_FLUSH, chunkSize: OUTPUT_CHUNK_BYTES };
    // The text before the piece is final (the body only grows), so a view of it can prime the piece.
    if (start > 0) options.dictionary = body.subarray(Math.max(0, start - WINDOW_BYTES), start);
    const job = new Promise<Buffer>((resolve, reject) => {
      zlib.deflateRaw(piece, options, (error, out) => (error ? reject(error) : resolve(out)));
    });
    this.pieces.push(job);
    job.then(
      () => {
        this.inFlight--;
        this.pump();
      },
      (error: Error) => this.fail(error),
    );
  }

  private async assemble(length: number): Promise<void> {
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(this.crc >>> 0, 0);
    trailer.writeUInt32LE(length % 2 ** 32, 4);
    try {
      const parts = await Promise.all(this.pieces);
      if (this.settled) return;
      this.settled = true;
      this.resolveDone(Buffer.concat([GZIP_HEADER, ...parts, FINAL_EMPTY_BLOCK, trailer]));
    } catch (error) {
      this.fail(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private fail(error: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.rejectDone(error);
  }
}
