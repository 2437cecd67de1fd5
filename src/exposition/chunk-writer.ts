import { setImmediate as yieldToEventLoop } from 'node:timers/promises';

/** Where encoded text goes: a string being built, an HTTP response, a gzip stream. */
export type ChunkSink = (chunk: string) => void | Promise<void>;

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
    const chunk = this.buffer;
    this.buffer = '';
    const result = this.sink(chunk);
    return result instanceof Promise ? result : undefined;
  }
}
