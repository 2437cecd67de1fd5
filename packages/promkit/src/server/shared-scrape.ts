import { promisify } from 'node:util';
import { createGzip, gzip as gzipCallback, type Gzip } from 'node:zlib';
import type { ExpositionFormat } from '../exposition/content-types.js';
import type { ScrapeFormat } from '../exposition/negotiate.js';
import { chunkBytes } from './chunk-bytes.js';

const gzip = promisify(gzipCallback);

/**
 * gzip level of scrapes. On scenario 6's exposition (20.3 MB, 110k series; figures in
 * docs/benchmarks.md) level 1 costs 38-53 ms of CPU against 160-209 ms for zlib's default
 * 6, and its 0.91 MB is within 10% of what the peers send at level 6 (0.84 MB, their text
 * being longer); level 6 would make promkit's body 0.78 MB. Compression is what dominates a
 * gzip scrape, so the fast level is the default; `gzipLevel` trades it back.
 */
export const DEFAULT_GZIP_LEVEL = 1;

/** Compresses chunks on zlib's thread pool as they are written; resolves with the whole member. */
function gzipStream(level: number): { stream: Gzip; done: Promise<Buffer> } {
  const stream = createGzip({ level });
  const parts: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    stream.on('data', (b: Buffer) => parts.push(b));
    stream.once('end', () => resolve(Buffer.concat(parts)));
    stream.once('error', reject);
  });
  // The caller may abandon a failed render; the rejection is then nobody's to handle.
  done.catch(() => {});
  return { stream, done };
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
 * The UTF-8 body of one exposition. From a streaming source each chunk is encoded as
 * it arrives, between the encoder's yields, so a 20 MB scrape never needs one long
 * synchronous string join and conversion on the event loop.
 */
async function renderBody(source: MetricsSource, format: ScrapeFormat, gz: Gzip | undefined, timeoutMs: number | undefined): Promise<Buffer[]> {
  const bound = timeoutMs === undefined ? {} : { timeoutMs };
  try {
    if (format === 'protobuf') {
      if (source.metricsProtobuf === undefined) throw new Error('this metrics source cannot render protobuf');
      const bytes = await source.metricsProtobuf(bound);
      const body = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      gz?.end(body);
      return [body];
    }
    if (source.writeMetrics === undefined) {
      const body = chunkBytes(await source.metrics({ format, ...bound }));
      gz?.end(body);
      return [body];
    }
    const parts: Buffer[] = [];
    await source.writeMetrics(
      (chunk) => {
        const bytes = chunkBytes(chunk);
        parts.push(bytes);
        // Compression of this chunk overlaps the encoding of the next (zlib runs off the main thread).
        gz?.write(bytes);
      },
      { format, ...bound },
    );
    gz?.end();
    return parts;
  } catch (error) {
    gz?.destroy(error instanceof Error ? error : new Error(String(error)));
    throw error;
  }
}

/** One rendered exposition, shared by every response that sends it. */
export class Exposition {
  readonly createdAt = Date.now();
  private users = 0;
  private joined: Buffer | undefined;

  constructor(
    private readonly parts: readonly Buffer[],
    private readonly onIdle: (e: Exposition) => void,
    private gzipped: Promise<Buffer> | undefined = undefined,
    private readonly gzipLevel = DEFAULT_GZIP_LEVEL,
  ) {}

  /**
   * The uncompressed body, joined on first demand: a scrape that asked for gzip got it
   * compressed while rendering and never needs the 20 MB join (~5-10 ms on the event
   * loop, and as much external memory again).
   */
  get body(): Buffer {
    this.joined ??= this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts);
    return this.joined;
  }

  /** Compressed once, off the main thread: while rendering when the first scrape asked for gzip, else on first demand. */
  gzipBody(): Promise<Buffer> {
    this.gzipped ??= gzip(this.body, { level: this.gzipLevel });
    return this.gzipped;
  }

  acquire(): this {
    this.users++;
    return this;
  }

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
 * gather, one encode and one gzip, and holds one body in memory (Buffers are written to
 * sockets without copies).
 */
export class SharedScrape {
  private readonly running = new Map<ScrapeFormat, Promise<Exposition>>();
  private readonly latest = new Map<ScrapeFormat, Exposition>();

  constructor(
    private readonly source: MetricsSource,
    private readonly shareWindowMs = 1000,
    private readonly gzipLevel = DEFAULT_GZIP_LEVEL,
  ) {
    if (!Number.isInteger(gzipLevel) || gzipLevel < 1 || gzipLevel > 9)
      throw new RangeError(`gzipLevel must be an integer from 1 to 9, got ${String(gzipLevel)}`);
  }

  /**
   * The exposition to send; call `release()` on it once the response is done. With
   * `gzipWanted`, a render started for this scrape compresses its chunks as they come.
   * `timeoutMs` bounds a gather this call starts; a call joining a running gather accepts
   * its bound.
   */
  async acquire(format: ScrapeFormat, gzipWanted = false, timeoutMs?: number): Promise<Exposition> {
    const recent = this.latest.get(format);
    if (recent?.inUse && Date.now() - recent.createdAt < this.shareWindowMs) return recent.acquire();
    let pending = this.running.get(format);
    if (pending === undefined) {
      const gz = gzipWanted ? gzipStream(this.gzipLevel) : undefined;
      pending = renderBody(this.source, format, gz?.stream, timeoutMs)
        .then((parts) => {
          const exposition = new Exposition(
            parts,
            (idle) => {
              if (this.latest.get(format) === idle) this.latest.delete(format);
            },
            gz?.done,
            this.gzipLevel,
          );
          this.latest.set(format, exposition);
          return exposition;
        })
        .finally(() => this.running.delete(format));
      this.running.set(format, pending);
    }
    return (await pending).acquire();
  }
}
