import type { IncomingHttpHeaders } from 'node:http';

/** Prometheus sends its `scrape_timeout` in this header with every scrape. */
export const SCRAPE_TIMEOUT_HEADER = 'x-prometheus-scrape-timeout-seconds';

/**
 * How long the gather of a scrape may take: the scraper's timeout less what encoding and
 * sending need (a fifth of it, at least 500 ms, but never more than half). Undefined when
 * the scraper sent no usable timeout: the source's own bound then applies
 * (`registry.collectTimeoutMs`). A malformed header is the client's problem, not a reason
 * to refuse the scrape, so it is ignored.
 */
export function gatherBudgetMs(headers: IncomingHttpHeaders): number | undefined {
  const raw = headers[SCRAPE_TIMEOUT_HEADER];
  const text = Array.isArray(raw) ? raw[0] : raw;
  if (text === undefined || text.trim() === '') return undefined;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0) return undefined;
  const total = seconds * 1000;
  return Math.max(total - Math.max(500, total / 5), total / 2);
}
