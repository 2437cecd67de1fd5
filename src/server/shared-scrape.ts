import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import type { ExpositionFormat } from '../exposition/content-types.js';

const gzip = promisify(gzipCallback);

/** Anything that renders an exposition: a core Registry, a runtime scope. */
export interface MetricsSource {
  /** `timeoutMs` bounds the gather: what is not ready by then is left out. */
  metrics(options?: { format?: ExpositionFormat; timeoutMs?: number }): Promise<string>;
  /** Streams the exposition in chunks (a core Registry has it); preferred when present. */
  writeMetrics?(sink: (chunk: string) => void, options?: { format?: ExpositionFormat; timeoutMs?: number }): Promise<void>;
}

/**
 * The UTF-8 body of one exposition. From a streaming source each chunk is encoded as
 * it arrives, between the encoder's yields, so a 20 MB scrape never needs one long
 * synchronous string join and conversion on the event loop.
 */
async function renderBody(source: MetricsSource, format: ExpositionFormat, timeoutMs: number | undefined): Promise<Buffer> {
  const options = timeoutMs === undefined ? { format } : { format, timeoutMs };
  if (source.writeMetrics === undefined) return Buffer.from(await source.metrics(options), 'utf8');
  const parts: Buffer[] = [];
  await source.writeMetrics((chunk) => void parts.push(Buffer.from(chunk, 'utf8')), options);
  return Buffer.concat(parts);
}

/** One rendered exposition, shared by every response that sends it. */
export class Exposition {
  readonly createdAt = Date.now();
  private users = 0;
  private gzipped: Promise<Buffer> | undefined;

  constructor(
    readonly body: Buffer,
    private readonly onIdle: (e: Exposition) => void,
  ) {}

  /** Compressed once, on first demand, off the main thread. */
  gzipBody(): Promise<Buffer> {
    this.gzipped ??= gzip(this.body);
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
  private readonly running = new Map<ExpositionFormat, Promise<Exposition>>();
  private readonly latest = new Map<ExpositionFormat, Exposition>();

  constructor(
    private readonly source: MetricsSource,
    private readonly shareWindowMs = 1000,
  ) {}

  /**
   * The exposition to send; call `release()` on it once the response is done. `timeoutMs`
   * bounds a gather this call starts; a call joining a running gather accepts its bound.
   */
  async acquire(format: ExpositionFormat, timeoutMs?: number): Promise<Exposition> {
    const recent = this.latest.get(format);
    if (recent !== undefined && recent.inUse && Date.now() - recent.createdAt < this.shareWindowMs) return recent.acquire();
    let pending = this.running.get(format);
    if (pending === undefined) {
      pending = renderBody(this.source, format, timeoutMs)
        .then((body) => {
          const exposition = new Exposition(body, (idle) => {
            if (this.latest.get(format) === idle) this.latest.delete(format);
          });
          this.latest.set(format, exposition);
          return exposition;
        })
        .finally(() => this.running.delete(format));
      this.running.set(format, pending);
    }
    return (await pending).acquire();
  }
}
