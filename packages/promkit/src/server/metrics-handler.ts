import type { IncomingMessage, ServerResponse } from 'node:http';
import { getLogger } from '../integration/logger.js';
import { negotiateEncoding, negotiateScrape } from '../exposition/negotiate.js';
import { allowGetOnly, replyText } from './http-reply.js';
import { sendBody } from './send-body.js';
import { gatherBudgetMs } from './scrape-deadline.js';
import { SharedScrape, type Exposition, type MetricsSource } from './shared-scrape.js';
import { ZSTD_AVAILABLE, type ContentCoding } from './streaming-compressor.js';

export interface MetricsHandlerOptions {
  /**
   * Serve OpenMetrics to clients that ask for it. Off by default: OpenMetrics ingestion
   * renames counters that lack `_total` (e.g. `dynamo_system_uptime_seconds` would be
   * stored as `dynamo_system_uptime_seconds_total`), which breaks the documented names.
   */
  openMetrics?: boolean;
  /**
   * Serve the protobuf exposition to clients that ask for it first (Prometheus with
   * `--enable-feature=native-histograms`), when the source can render it. Default true:
   * it is the only format that carries native histograms, and it keeps counter names.
   */
  protobuf?: boolean;
  /** Compress when the client accepts gzip. Default true. */
  gzip?: boolean;
  /** gzip level, 1 (fastest) to 9 (smallest). Default 1: see DEFAULT_GZIP_LEVEL and docs/benchmarks.md. */
  gzipLevel?: number;
  /**
   * Compress with zstd when the client accepts it (Prometheus 3 with the `zstd-scrape`
   * feature flag asks for it) and this Node line has it (22.15 or later; on Node 20 the
   * option changes nothing). Preferred over gzip when the client rates both equally:
   * on a large exposition it is ~2.5x smaller and ~3x less CPU. Default true.
   */
  zstd?: boolean;
  /** zstd level, 1 (fastest) to 22 (smallest). Default 1. */
  zstdLevel?: number;
  /** How long a finished exposition may be reused by scrapes arriving while it is still being sent. Default 1000 ms. */
  shareWindowMs?: number;
  /**
   * A client that takes no part of the body for this long is disconnected, so one that
   * requests and never reads costs its socket for seconds, not the whole response
   * deadline. Default 5 000 ms.
   */
  sendStallTimeoutMs?: number;
  /** Where gather failures are reported (the client gets a 500). Default: the `promkit::server` logger. */
  onError?: (error: unknown) => void;
}

export type MetricsRequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

const defaultOnError = (error: unknown): void => {
  getLogger('promkit::server').error(`metrics scrape failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
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
  const shared = new SharedScrape(source, options.shareWindowMs, { gzip: options.gzipLevel, zstd: options.zstdLevel });
  const onError = options.onError ?? defaultOnError;
  // In order of preference, for clients that rate several equally.
  const codings: ContentCoding[] = [];
  if (options.zstd !== false && ZSTD_AVAILABLE) codings.push('zstd');
  if (options.gzip !== false) codings.push('gzip');
  const protobuf = options.protobuf !== false && typeof source.metricsProtobuf === 'function';
  const vary = options.openMetrics || protobuf ? 'Accept, Accept-Encoding' : 'Accept-Encoding';
  const stallTimeoutMs = options.sendStallTimeoutMs ?? 5_000;
  if (!Number.isInteger(stallTimeoutMs) || stallTimeoutMs <= 0) {
    throw new TypeError(`metricsHandler: sendStallTimeoutMs must be a positive integer (milliseconds), got ${String(options.sendStallTimeoutMs)}`);
  }

  return async (req, res) => {
    if (!allowGetOnly(req, res)) return;
    const { format, contentType } = negotiateScrape(req.headers.accept, { openMetrics: options.openMetrics === true, protobuf });
    const coding = negotiateEncoding(req.headers['accept-encoding'], codings);
    let exposition: Exposition;
    try {
      exposition = await shared.acquire(format, coding, gatherBudgetMs(req.headers));
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
      const body = coding === undefined ? exposition.body : await exposition.compressedBody(coding);
      const headers: Record<string, string> = { 'Content-Type': contentType, 'Content-Length': String(body.length), Vary: vary, 'Cache-Control': 'no-store' };
      if (coding !== undefined) headers['Content-Encoding'] = coding;
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
