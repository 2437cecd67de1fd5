import { contentTypeOf, PROTOBUF_CONTENT_TYPE, type ExpositionFormat } from './content-types.js';

export interface NegotiateOptions {
  /** Offer OpenMetrics when the client asks for it. Default true. */
  openMetrics?: boolean;
}

export interface Negotiated {
  format: ExpositionFormat;
  contentType: string;
}

interface MediaRange {
  type: string;
  params: Map<string, string>;
  q: number;
  order: number;
}

/** Every range of an Accept (or Accept-Encoding) header in header order, q=0 ones included. */
function parseRanges(header: string | undefined | null): MediaRange[] {
  if (!header) return [];
  const ranges: MediaRange[] = [];
  header.split(',').forEach((part, order) => {
    const [typePart, ...paramParts] = part.split(';');
    const type = typePart.trim().toLowerCase();
    if (type === '') return;
    const params = new Map<string, string>();
    let q = 1;
    for (const p of paramParts) {
      const eq = p.indexOf('=');
      if (eq < 0) continue;
      const key = p.slice(0, eq).trim().toLowerCase();
      const value = p
        .slice(eq + 1)
        .trim()
        .replace(/^"(.*)"$/, '$1');
      if (key === 'q') {
        const parsed = Number(value);
        q = Number.isFinite(parsed) ? Math.min(Math.max(parsed, 0), 1) : 0;
      } else params.set(key, value);
    }
    ranges.push({ type, params, q, order });
  });
  return ranges;
}

/** Parses an Accept (or Accept-Encoding) header into ranges sorted by quality, stable. */
export function parseAcceptHeader(header: string | undefined | null): MediaRange[] {
  return parseRanges(header)
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.order - b.order);
}

/**
 * Picks the exposition format the way Prometheus' own client libraries do
 * (client_golang's expfmt.Negotiate): walk the Accept ranges by quality and take the
 * first one we can serve; OpenMetrics for `application/openmetrics-text` with version
 * 1.0.0, 0.0.1 or none (when enabled), text 0.0.4 for `text/plain` with version 0.0.4
 * or none; anything else, including no header, gets text 0.0.4.
 */
export function negotiate(acceptHeader: string | undefined | null, options: NegotiateOptions = {}): Negotiated {
  const openMetrics = options.openMetrics !== false;
  for (const range of parseAcceptHeader(acceptHeader)) {
    const version = range.params.get('version');
    if (openMetrics && range.type === 'application/openmetrics-text' && (version === undefined || version === '1.0.0' || version === '0.0.1')) {
      return pick('openmetrics');
    }
    if (range.type === 'text/plain' && (version === undefined || version === '0.0.4')) return pick('prometheus');
  }
  return pick('prometheus');
}

export interface NegotiateScrapeOptions extends NegotiateOptions {
  /** Offer delimited protobuf when the client asks for it. Default true. */
  protobuf?: boolean;
}

/** A scrape format: one of the text formats, or the binary protobuf exposition. */
export type ScrapeFormat = ExpositionFormat | 'protobuf';

export interface NegotiatedScrape {
  format: ScrapeFormat;
  contentType: string;
}

/** True for client_golang's `application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited`. */
function isDelimitedProtobuf(range: MediaRange): boolean {
  return (
    range.type === 'application/vnd.google.protobuf' &&
    range.params.get('proto') === 'io.prometheus.client.MetricFamily' &&
    range.params.get('encoding') === 'delimited'
  );
}

/**
 * `negotiate()` plus the protobuf exposition, as client_golang's expfmt.Negotiate
 * offers it: the first acceptable range by quality wins, so Prometheus with
 * `--enable-feature=native-histograms` (protobuf first in its Accept) gets protobuf and
 * every other scraper gets what `negotiate()` gives it.
 */
export function negotiateScrape(acceptHeader: string | undefined | null, options: NegotiateScrapeOptions = {}): NegotiatedScrape {
  if (options.protobuf !== false) {
    for (const range of parseAcceptHeader(acceptHeader)) {
      if (isDelimitedProtobuf(range)) return { format: 'protobuf', contentType: PROTOBUF_CONTENT_TYPE };
      if (acceptsAsText(range, options.openMetrics !== false)) break;
    }
  }
  return negotiate(acceptHeader, options);
}

/** Whether negotiate() would serve this range (so a lower-quality protobuf range must not win). */
function acceptsAsText(range: MediaRange, openMetrics: boolean): boolean {
  const version = range.params.get('version');
  if (openMetrics && range.type === 'application/openmetrics-text' && (version === undefined || version === '1.0.0' || version === '0.0.1')) return true;
  return range.type === 'text/plain' && (version === undefined || version === '0.0.4');
}

function pick(format: ExpositionFormat): Negotiated {
  return { format, contentType: contentTypeOf(format) };
}

/**
 * The content coding to compress a response with: of the codings `offered` (in the
 * server's order of preference), the one the client's Accept-Encoding gives the highest
 * quality, ties going to the server's order. A coding the header does not name takes the
 * quality of `*` if present (RFC 9110, section 12.5.3); quality 0 refuses it. `undefined`
 * means identity: no header, nothing offered is acceptable, or garbage.
 */
export function negotiateEncoding<C extends string>(acceptEncoding: string | undefined | null, offered: readonly C[]): C | undefined {
  const ranges = parseRanges(acceptEncoding);
  const wildcard = ranges.find((r) => r.type === '*');
  let best: C | undefined;
  let bestQ = 0;
  for (const coding of offered) {
    const q = (ranges.find((r) => r.type === coding) ?? wildcard)?.q ?? 0;
    if (q > bestQ) {
      best = coding;
      bestQ = q;
    }
  }
  return best;
}

/** Whether the client's Accept-Encoding allows gzip (named with q > 0, or through `*`). */
export function acceptsGzip(acceptEncoding: string | undefined | null): boolean {
  return negotiateEncoding(acceptEncoding, ['gzip']) === 'gzip';
}
