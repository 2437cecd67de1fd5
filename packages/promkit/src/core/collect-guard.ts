/**
 * Bounds one collect callback (or a custom collector's `get()`) in time, so that no
 * read of the registry can hang on it. The work itself cannot be cancelled: it is
 * abandoned, and a late result is ignored.
 */

/**
 * Where `registry.collectTimeoutMs` and `metric.collectTimeoutMs` start: well under
 * Prometheus' default 10 s scrape_timeout, so a hung collect leaves time to send the
 * healthy rest (a scraper's own deadline header can only shorten it).
 */
export const DEFAULT_COLLECT_TIMEOUT_MS = 5_000;

/** `work()` for at most `timeoutMs`; rejects with an error naming the metric when it takes longer. */
export async function withCollectTimeout<R>(metricName: string, work: () => R | PromiseLike<R>, timeoutMs: number): Promise<R> {
  const result = work();
  if (result === null || typeof result !== 'object' || typeof (result as PromiseLike<R>).then !== 'function') return result as R;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    // Not unref()'d: a script awaiting the result must see the timeout, not exit early.
    timer = setTimeout(() => reject(new Error(`metric '${metricName}': collect() did not finish within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([result, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
