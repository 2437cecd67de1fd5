import { contentTypeOf, type ExpositionFormat } from './content-types.js';

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

/** Parses an Accept (or Accept-Encoding) header into ranges sorted by quality, stable. */
export function parseAcceptHeader(header: string | undefined | null): MediaRange[] {
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
      const value = p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
      if (key === 'q') {
        const parsed = Number(value);
        q = Number.isFinite(parsed) ? Math.min(Math.max(parsed, 0), 1) : 0;
      } else params.set(key, value);
    }
    ranges.push({ type, params, q, order });
  });
  return ranges.filter((r) => r.q > 0).sort((a, b) => b.q - a.q || a.order - b.order);
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

function pick(format: ExpositionFormat): Negotiated {
  return { format, contentType: contentTypeOf(format) };
}

/** True when Accept-Encoding allows gzip (explicitly, or through `*`), with q > 0. */
export function acceptsGzip(acceptEncoding: string | undefined | null): boolean {
  const ranges = parseAcceptHeader(acceptEncoding);
  const gzip = ranges.find((r) => r.type === 'gzip');
  if (gzip) return true;
  // parseAcceptHeader dropped q=0 entries, so an explicit `gzip;q=0` leaves no gzip range
  // but also must not fall through to `*`.
  if (acceptEncoding && /(^|,)\s*gzip\s*;\s*q=0(\.0*)?\s*(,|$)/i.test(acceptEncoding)) return false;
  return ranges.some((r) => r.type === '*');
}
