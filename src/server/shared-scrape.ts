import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import type { ExpositionFormat } from '../exposition/content-types.js';

const gzip = promisify(gzipCallback);

/** Anything that renders an exposition: a core Registry, a runtime scope. */
export interface MetricsSource {
  metrics(options?: { format?: ExpositionFormat }): Promise<string>;
}

/** One rendered exposition, shared by every response that sends it. */
export class Exposition {
  readonly body: Buffer;
  readonly createdAt = Date.now();
  private users = 0;
  private gzipped: Promise<Buffer> | undefined;

  constructor(
    text: string,
    private readonly onIdle: (e: Exposition) => void,
  ) {
    this.body = Buffer.from(text, 'utf8');
  }

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

  /** The exposition to send; call `release()` on it once the response is done. */
  async acquire(format: ExpositionFormat): Promise<Exposition> {
    const recent = this.latest.get(format);
    if (recent !== undefined && recent.inUse && Date.now() - recent.createdAt < this.shareWindowMs) return recent.acquire();
    let pending = this.running.get(format);
    if (pending === undefined) {
      pending = this.source
        .metrics({ format })
        .then((text) => {
          const exposition = new Exposition(text, (idle) => {
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
