import type { ExpositionFormat } from '../exposition/content-types.js';
import type { ScrapeFormat } from '../exposition/negotiate.js';
import { ScratchBuffer, TextCollector } from '../exposition/text-collector.js';
import { chunkBytes } from './chunk-bytes.js';
import { compressBody, StreamingCompressor, type ContentCoding } from './streaming-compressor.js';

/**
 * gzip level of scrapes. On scenario 6's exposition (20.3 MB, 110k series; figures in
 * docs/benchmarks.md) level 1 costs 38-53 ms of CPU against 160-209 ms for zlib's default
 * 6, and its 0.93 MB is 10% above what the peers send at level 6 (0.84 MB, their text
 * being longer); level 6 would make promkit's body 0.78 MB. Compression is what dominates a
 * gzip scrape, so the fast level is the default; `gzipLevel` trades it back.
 */
export const DEFAULT_GZIP_LEVEL = 1;

/** zstd level of scrapes: level 1 makes 0.34 MB of that exposition at ~18 ms of CPU (docs/benchmarks.md). */
export const DEFAULT_ZSTD_LEVEL = 1;

/** Compression level per content coding. */
export interface CompressionLevels {
  gzip?: number;
  zstd?: number;
}

function checkLevel(name: string, level: number, max: number): number {
  if (!Number.isInteger(level) || level < 1 || level > max) throw new RangeError(`${name} must be an integer from 1 to ${max}, got ${String(level)}`);
  return level;
}

/** Anything that renders an exposition: a core Registry, a runtime scope. */
export interface MetricsSource {
  /** `timeoutMs` bounds the gather: what is not ready by then is left out. */
  metrics(options?: { format?: ExpositionFormat; timeoutMs?: number }): Promise<string>;
  /** Streams the exposition in chunks (a core Registry has it); preferred when present. */
  writeMetrics?(sink: (chunk: string) => void, options?: { format?: ExpositionFormat; timeoutMs?: number }): Promise<void>;
  /** The protobuf exposition (a core Registry has it); without it, protobuf is not offered. */
  metricsProtobuf?(options?: { timeoutMs?: number }): Promise<Uint8Array>;
}

/**
 * The sink the renders of one format write through: one function for the lifetime of the
 * SharedScrape, pointed at each render's buffer and compressor in turn (renders of one
 * format never overlap). The encoders' optimized code inlines the call to the sink; a
 * closure made per render would die with it, and the next full GC would throw that code
 * away (see ChunkTarget in exposition/chunk-writer.ts).
 */
class RenderSink {
  private collector: TextCollector | undefined;
  private compressor: StreamingCompressor | undefined;

  readonly write = (chunk: string): void => {
    const collector = this.collector;
    // A source that writes after its writeMetrics() settled writes into nothing.
    if (collector === undefined) return;
    collector.writeChunk(chunk);
    this.compressor?.offer(collector.bytes());
  };

  start(collector: TextCollector, compressor: StreamingCompressor | undefined): void {
    this.collector = collector;
    this.compressor = compressor;
  }

  finish(): void {
    this.collector = undefined;
    this.compressor = undefined;
  }
}

interface RenderedBody {
  body: Buffer;
  /** The recycled scratch buffer `body` is a view of; handed back once nobody reads it. */
  scratch?: Buffer;
}

/**
 * The UTF-8 body of one exposition. A streaming source's chunks (~35 KB, young strings)
 * are copied into one buffer recycled from the previous scrape (fresh memory costs a page
 * fault per 4 KB, as much as the copy), and with a compressor the text so far is offered
 * to it after each chunk, so compression on the thread pool overlaps the encoding.
 */
async function renderBody(
  source: MetricsSource,
  format: ScrapeFormat,
  gz: StreamingCompressor | undefined,
  timeoutMs: number | undefined,
  previous: { bytes: number | undefined; buffer: Buffer | undefined },
  sink: RenderSink,
): Promise<RenderedBody> {
  const bound = timeoutMs === undefined ? {} : { timeoutMs };
  try {
    if (format === 'protobuf') {
      if (source.metricsProtobuf === undefined) throw new Error('this metrics source cannot render protobuf');
      const bytes = await source.metricsProtobuf(bound);
      const body = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      gz?.end(body);
      return { body };
    }
    if (source.writeMetrics === undefined) {
      const body = chunkBytes(await source.metrics({ format, ...bound }));
      gz?.end(body);
      return { body };
    }
    const collector = new TextCollector(previous.bytes, previous.buffer);
    sink.start(collector, gz);
    try {
      await source.writeMetrics(sink.write, { format, ...bound });
    } finally {
      sink.finish();
    }
    const body = collector.bytes();
    gz?.end(body);
    return { body, scratch: collector.reusableBuffer };
  } catch (error) {
    gz?.destroy(error);
    throw error;
  }
}

/** One rendered exposition, shared by every response that sends it. */
export class Exposition {
  readonly createdAt = Date.now();
  private users = 0;
  private readonly compressed = new Map<ContentCoding, Promise<Buffer>>();

  constructor(
    /** The uncompressed body. */
    readonly body: Buffer,
    private readonly onIdle: (e: Exposition) => void,
    private readonly levels: Required<CompressionLevels>,
    /** The compression made while rendering, if the scrape that started the render asked for one. */
    compressing?: StreamingCompressor,
  ) {
    if (compressing !== undefined) this.compressed.set(compressing.coding, compressing.done);
  }

  /** Compressed once per coding, off the main thread: while rendering for the coding the first scrape asked for, else on first demand. */
  compressedBody(coding: ContentCoding): Promise<Buffer> {
    let body = this.compressed.get(coding);
    if (body === undefined) {
      body = compressBody(coding, this.levels[coding], this.body);
      this.compressed.set(coding, body);
    }
    return body;
  }

  /** Settles once no compressor reads the body any more. */
  compressionSettled(): Promise<unknown> {
    return Promise.allSettled(this.compressed.values());
  }

  acquire(): this {
    this.users++;
    return this;
  }

  /**
   * The last release retires the exposition. No scrape acquires it after that: the ones
   * that awaited its render all acquired in the microtasks right after it resolved, before
   * any of them could release, and later ones reuse it only while it is in use.
   */
  release(): void {
    if (--this.users === 0) this.onIdle(this);
  }

  get inUse(): boolean {
    return this.users > 0;
  }
}

/**
 * Shares gathers between concurrent scrapes. A scrape joins the gather in progress for its
 * format; if none is running, it reuses the latest exposition while that one is still being
 * sent to someone and is younger than `shareWindowMs`. So a burst of scrapes costs one
 * gather, one encode and one compression, and holds one body in memory (Buffers are written to
 * sockets without copies). Between scrapes it keeps the last body's buffer for the next
 * render (dropped after two minutes without a scrape).
 */
export class SharedScrape {
  private readonly running = new Map<ScrapeFormat, Promise<Exposition>>();
  private readonly latest = new Map<ScrapeFormat, Exposition>();
  /** The body buffer of the last exposition nobody reads any more, for the next render. */
  private readonly scratch = new ScratchBuffer();
  private readonly lastBytes = new Map<ScrapeFormat, number>();
  private readonly sinks = new Map<ScrapeFormat, RenderSink>();
  private readonly levels: Required<CompressionLevels>;

  constructor(
    private readonly source: MetricsSource,
    private readonly shareWindowMs = 1000,
    levels: CompressionLevels = {},
  ) {
    this.levels = {
      gzip: checkLevel('gzipLevel', levels.gzip ?? DEFAULT_GZIP_LEVEL, 9),
      zstd: checkLevel('zstdLevel', levels.zstd ?? DEFAULT_ZSTD_LEVEL, 22),
    };
  }

  /**
   * The exposition to send; call `release()` on it once the response is done. With
   * `coding`, a render started for this scrape compresses its chunks as they come.
   * `timeoutMs` bounds a gather this call starts; a call joining a running gather accepts
   * its bound.
   */
  async acquire(format: ScrapeFormat, coding?: ContentCoding, timeoutMs?: number): Promise<Exposition> {
    const recent = this.latest.get(format);
    if (recent?.inUse && Date.now() - recent.createdAt < this.shareWindowMs) return recent.acquire();
    let pending = this.running.get(format);
    if (pending === undefined) {
      const compressing = coding === undefined ? undefined : new StreamingCompressor(coding, this.levels[coding]);
      pending = renderBody(
        this.source,
        format,
        compressing,
        timeoutMs,
        { bytes: this.lastBytes.get(format), buffer: this.scratch.take() },
        this.sinkFor(format),
      )
        .then(({ body, scratch }) => {
          this.lastBytes.set(format, body.length);
          const exposition = new Exposition(
            body,
            (idle) => {
              if (this.latest.get(format) === idle) this.latest.delete(format);
              // Idle for good (no scrape reuses an exposition nobody holds); once no
              // compression reads it either, the buffer can take the next render.
              if (scratch !== undefined) void idle.compressionSettled().then(() => this.scratch.give(scratch));
            },
            this.levels,
            compressing,
          );
          this.latest.set(format, exposition);
          return exposition;
        })
        .finally(() => this.running.delete(format));
      this.running.set(format, pending);
    }
    return (await pending).acquire();
  }

  private sinkFor(format: ScrapeFormat): RenderSink {
    let sink = this.sinks.get(format);
    if (sink === undefined) {
      sink = new RenderSink();
      this.sinks.set(format, sink);
    }
    return sink;
  }
}
