import type { IncomingMessage, ServerResponse } from 'node:http';
import { contentTypeOf, type ExpositionFormat } from '../exposition/content-types.js';
import { acceptsGzip, negotiate } from '../exposition/negotiate.js';
import { allowGetOnly, replyText } from './http-reply.js';
import { sendBody } from './send-body.js';
import { gatherBudgetMs } from './scrape-deadline.js';
import { SharedScrape, type Exposition, type MetricsSource } from './shared-scrape.js';

export interface MetricsHandlerOptions {
  /**
   * Serve OpenMetrics to clients that ask for it. Off by default: OpenMetrics ingestion
   * renames counters that lack `_total` (e.g. `dynamo_system_uptime_seconds` would be
   * stored as `dynamo_system_uptime_seconds_total`), which breaks the documented names.
   */
  openMetrics?: boolean;
  /** Compress when the client accepts gzip. Default true. */
  gzip?: boolean;
  /** How long a finished exposition may be reused by scrapes arriving while it is still being sent. Default 1000 ms. */
  shareWindowMs?: number;
  /**
   * A client that takes no part of the body for this long is disconnected, so one that
   * requests and never reads costs its socket for seconds, not the whole response
   * deadline. Default 5 000 ms.
   */
  sendStallTimeoutMs?: number;
  /** Where gather failures are reported (the client gets a 500). Default: console.error. */
  onError?: (error: unknown) => void;
}

export type MetricsRequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

const defaultOnError = (error: unknown): void => {
  console.error(`promkit: metrics scrape failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
};

/**
 * A request handler serving the exposition of a registry or runtime scope, for node:http,
 * Express (`app.get('/metrics', metricsHandler(runtime))`) or Fastify (through
 * `reply.hijack()` and `request.raw`/`reply.raw`). Never rejects.
 */
export function metricsHandler(source: MetricsSource, options: MetricsHandlerOptions = {}): MetricsRequestHandler {
  if (source === null || typeof source !== 'object' || typeof source.metrics !== 'function') {
    throw new TypeError('metricsHandler: give a Registry or a runtime scope (anything with a metrics() method)');
  }
  const shared = new SharedScrape(source, options.shareWindowMs);
  const onError = options.onError ?? defaultOnError;
  const gzipEnabled = options.gzip !== false;
  const vary = options.openMetrics ? 'Accept, Accept-Encoding' : 'Accept-Encoding';
  const stallTimeoutMs = options.sendStallTimeoutMs ?? 5_000;
  if (!Number.isInteger(stallTimeoutMs) || stallTimeoutMs <= 0) {
    throw new TypeError(`metricsHandler: sendStallTimeoutMs must be a positive integer (milliseconds), got ${String(options.sendStallTimeoutMs)}`);
  }

  return async (req, res) => {
    if (!allowGetOnly(req, res)) return;
    const format: ExpositionFormat = options.openMetrics ? negotiate(req.headers.accept, { openMetrics: true }).format : 'prometheus';
    let exposition: Exposition;
    try {
      exposition = await shared.acquire(format, gatherBudgetMs(req.headers));
    } catch (error) {
      onError(error);
      replyText(req, res, 500, `metrics gather failed: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    if (res.destroyed) {
      exposition.release();
      return;
    }
    res.once('close', () => exposition.release());
    try {
      const compress = gzipEnabled && acceptsGzip(req.headers['accept-encoding']);
      const body = compress ? await exposition.gzipBody() : exposition.body;
      const headers: Record<string, string> = { 'Content-Type': contentTypeOf(format), 'Content-Length': String(body.length), Vary: vary, 'Cache-Control': 'no-store' };
      if (compress) headers['Content-Encoding'] = 'gzip';
      if (res.headersSent || res.destroyed) return;
      res.writeHead(200, headers);
      // Returns once sending has started: the caller's in-flight slot covers gather and encode only.
      if (req.method === 'HEAD') res.end();
      else sendBody(res, body, stallTimeoutMs);
    } catch (error) {
      onError(error);
      replyText(req, res, 500, `metrics encoding failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
}
