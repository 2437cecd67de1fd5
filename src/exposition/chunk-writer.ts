import { setImmediate as yieldToEventLoop } from 'node:timers/promises';

/** Where encoded UTF-8 goes: a list being built, an HTTP response, a gzip stream. */
export type ChunkSink = (chunk: Buffer) => void | Promise<void>;

export interface ChunkWriterOptions {
  /** Longest stretch of synchronous encoding before yielding to the event loop. */
  maxBlockMs?: number;
  /** Flush to the sink once this many UTF-16 code units are buffered. */
  chunkSize?: number;
}

/**
 * Accumulates encoded text and hands it to the sink in chunks. `maybeYield()` is cheap
 * to call per series: it reads the clock only every 128 calls, and yields to the event
 * loop (after flushing) once the time budget of this synchronous stretch is spent, so a
 * scrape of a huge registry never stalls the host process for long.
 */
export class ChunkWriter {
  private buffer = '';
  private calls = 0;
  private blockStart = performance.now();
  private readonly maxBlockMs: number;
  private readonly chunkSize: number;

  constructor(private readonly sink: ChunkSink, options: ChunkWriterOptions = {}) {
    this.maxBlockMs = options.maxBlockMs ?? 8;
    this.chunkSize = options.chunkSize ?? 64 * 1024;
  }

  write(text: string): void {
    this.buffer += text;
  }

  /** Returns a promise only when it is time to yield; callers `await` only then. */
  maybeYield(): Promise<void> | undefined {
    if ((++this.calls & 127) !== 0) return undefined;
    if (this.buffer.length >= this.chunkSize) {
      const flushed = this.flushBuffer();
      if (flushed) return flushed.then(() => this.yieldIfOverBudget());
    }
    return this.yieldIfOverBudget();
  }

  async end(): Promise<void> {
    await this.flushBuffer();
  }

  private yieldIfOverBudget(): Promise<void> | undefined {
    if (performance.now() - this.blockStart < this.maxBlockMs) return undefined;
    return this.yieldNow();
  }

  private async yieldNow(): Promise<void> {
    await this.flushBuffer();
    await yieldToEventLoop();
    this.blockStart = performance.now();
  }

  private flushBuffer(): Promise<void> | undefined {
    if (this.buffer === '') return undefined;
    // Encoding to UTF-8 here flattens the rope built by `+=` while its many small
    // pieces are still young: keeping ropes until the end of a scrape made them
    // survive into the old generation, and GC then cost more than the encoding.
    const chunk = Buffer.from(this.buffer, 'utf8');
    this.buffer = '';
    const result = this.sink(chunk);
    return result instanceof Promise ? result : undefined;
  }
}
