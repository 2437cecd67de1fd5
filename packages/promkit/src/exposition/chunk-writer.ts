import { setImmediate as yieldToEventLoop } from 'node:timers/promises';

/** Where encoded text goes: a list being built, an HTTP response, a gzip stream. Chunks are flat strings. */
export type ChunkSink = (chunk: string) => void | Promise<void>;

/**
 * A sink as an object (TextCollector). The writer's call to a sink function is inlined
 * into the encoders' optimized code with that very closure; a closure made per scrape
 * (an arrow function per collector) dies with its scrape, and the next full GC throws
 * that code away. A method is the same function every scrape.
 */
export interface ChunkTarget {
  writeChunk(chunk: string): void | Promise<void>;
}

export interface ChunkWriterOptions {
  /** Longest stretch of synchronous encoding before yielding to the event loop. Default 4 ms. */
  maxBlockMs?: number;
  /**
   * Flush to the sink once this many pieces are buffered. Default 2048 (~35 KB of text):
   * such a chunk stays below V8's large-object size (128 KB), so the joined string is a
   * young object that dies in the next scavenge. 8192-piece chunks (~140 KB) landed in
   * large-object space, counted against the old generation and started mark-compacts in
   * the middle of a scrape: the flatten of a gzip scrape's chunks cost ~2.5x more.
   */
  chunkPieces?: number;
}

/** How many pieces to write between two looks at the clock. */
const CLOCK_EVERY_PIECES = 1024;

/**
 * Collects encoded pieces and hands them to the sink as flat chunks: the pieces go into
 * one array, kept from chunk to chunk, and each chunk is its `join('')`. Appending with
 * `+=` and flattening each chunk cost about the same CPU but left a 32 B cons-string node
 * per piece: with the flat chunks ~60 MB of young garbage per scrape of the benchmark
 * registry (1M pieces, 20 MB) and 4 scavenges, against ~41 MB and 2 scavenges with the
 * join (whose only extra is an 8 B slot per piece, in a temporary array).
 *
 * `maybeYield()` is cheap to call per series: it reads the clock only every ~1k pieces
 * and, once the time budget of this synchronous stretch is spent, flushes and yields
 * to the event loop, so a scrape of a huge registry never stalls the host for long.
 */
export class ChunkWriter {
  /** The pieces of the chunk being built; kept between chunks, so its backing store is allocated once. */
  private readonly parts: string[] = [];
  private pieces = 0;
  private nextClockCheck = CLOCK_EVERY_PIECES;
  private blockStart = performance.now();
  private readonly maxBlockMs: number;
  private readonly chunkPieces: number;
  /** How often encoding yielded to the event loop (for tests and diagnostics). */
  yields = 0;

  constructor(
    private readonly sink: ChunkSink | ChunkTarget,
    options: ChunkWriterOptions = {},
  ) {
    this.maxBlockMs = options.maxBlockMs ?? 4;
    this.chunkPieces = options.chunkPieces ?? 2048;
  }

  write(piece: string): void {
    this.parts[this.pieces++] = piece;
  }

  /** Returns a promise only when it is time to flush or yield; callers `await` only then. */
  maybeYield(): Promise<void> | undefined {
    const pieces = this.pieces;
    if (pieces < this.nextClockCheck) return undefined;
    this.nextClockCheck = pieces + CLOCK_EVERY_PIECES;
    if (performance.now() - this.blockStart >= this.maxBlockMs) return this.yieldNow();
    if (pieces >= this.chunkPieces) return this.flush();
    return undefined;
  }

  async end(): Promise<void> {
    await this.flush();
  }

  private async yieldNow(): Promise<void> {
    await this.flush();
    await yieldToEventLoop();
    this.yields++;
    this.blockStart = performance.now();
  }

  private async flush(): Promise<void> {
    if (this.pieces > 0) {
      const parts = this.parts;
      // Cut short only at a yield or the end; entries past it are the last chunk's.
      if (parts.length !== this.pieces) parts.length = this.pieces;
      const chunk = parts.join('');
      this.pieces = 0;
      this.nextClockCheck = CLOCK_EVERY_PIECES;
      const sink = this.sink;
      await (typeof sink === 'function' ? sink(chunk) : sink.writeChunk(chunk));
    }
  }
}

/**
 * A ChunkWriter that lives as long as the module. V8 keeps an object shape (map) only
 * while something holds it: once a scrape's writers are garbage, a full GC between two
 * scrapes frees their map and deoptimizes the code that checks it (the encoders, with the
 * writer's methods inlined), which then runs unoptimized until recompiled.
 */
export const CHUNK_WRITER_SHAPE = new ChunkWriter(() => {});
