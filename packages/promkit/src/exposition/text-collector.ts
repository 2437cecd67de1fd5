/**
 * Collects the chunks of one exposition into the single string `metrics()` returns.
 *
 * Joining the chunks at the end (`parts.join('')`) was the longest event-loop stall of a
 * large scrape: one synchronous 20 MB copy into a fresh large-object allocation, whose
 * page faults cost more than the copy; and the chunks, kept alive until then, were
 * copied again by every scavenge they survived. Here each chunk is copied into one
 * Buffer as it arrives (spread over the writer's slices; the chunk dies young), and the
 * string is made from the Buffer at the end: for ASCII text, the common case, a latin1
 * decode, which Node turns into an external string (a malloc and a memcpy, in memory the
 * allocator recycles from scrape to scrape) instead of a V8 heap allocation.
 */
export class TextCollector {
  private buffer: Buffer;
  private length = 0;
  /** Whether every chunk so far was ASCII (UTF-8 length equal to its string length). */
  private ascii = true;

  /**
   * `previous`: the buffer of an earlier collector (see ScratchBuffer), reused when big
   * enough. `expectedBytes` sizes a new buffer (e.g. the previous scrape's size).
   */
  constructor(expectedBytes = 0, previous?: Buffer) {
    const size = Math.max(64 * 1024, Math.ceil(expectedBytes * 1.05));
    this.buffer = previous !== undefined && previous.length >= size ? previous : Buffer.allocUnsafe(size);
  }

  /** The buffer, for a later collector once `text()` has been taken. */
  get reusableBuffer(): Buffer {
    return this.buffer;
  }

  /** Writes a chunk (a ChunkTarget: `writeMetrics(collector)` spares the encoders a per-scrape closure). */
  writeChunk(chunk: string): void {
    // Three UTF-8 bytes per UTF-16 unit at most; count exactly only near the end.
    if (this.length + chunk.length * 3 > this.buffer.length) {
      const needed = this.length + Buffer.byteLength(chunk, 'utf8');
      if (needed > this.buffer.length) this.grow(needed);
    }
    const written = this.buffer.write(chunk, this.length, 'utf8');
    if (written !== chunk.length) this.ascii = false;
    this.length += written;
  }

  get byteLength(): number {
    return this.length;
  }

  /** What was written so far, as a view of the buffer (no copy): valid until the buffer is reused. */
  bytes(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  text(): string {
    return this.buffer.toString(this.ascii ? 'latin1' : 'utf8', 0, this.length);
  }

  private grow(needed: number): void {
    const grown = Buffer.allocUnsafe(Math.max(needed, this.buffer.length * 2));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }
}

/** A collector that lives as long as the module, so its shape does (see CHUNK_WRITER_SHAPE). */
export const TEXT_COLLECTOR_SHAPE = new TextCollector(0);
TEXT_COLLECTOR_SHAPE.writeChunk('');

/**
 * Keeps the last collector's buffer for the next scrape. Writing into fresh memory costs
 * a page fault per 4 KB, which on the benchmark VM took as long as the copy itself
 * (~20 ms for 20 MB); a recycled buffer is already mapped. It is dropped after `idleMs`
 * without a scrape, so a registry scraped once does not hold it for good.
 */
export class ScratchBuffer {
  private buffer: Buffer | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly idleMs = 120_000) {}

  take(): Buffer | undefined {
    const buffer = this.buffer;
    this.buffer = undefined;
    return buffer;
  }

  give(buffer: Buffer): void {
    this.buffer = buffer;
    if (this.timer !== undefined) {
      this.timer.refresh();
      return;
    }
    this.timer = setTimeout(() => {
      this.buffer = undefined;
      this.timer = undefined;
    }, this.idleMs);
    this.timer.unref();
  }
}
