/**
 * The cardinality guard: an optional cap on the number of labelled series of one
 * metric. Past it a new label set is either folded into one overflow series (the
 * default) or refused with an error, counted per metric in
 * promkit_series_limited_total and logged once per metric.
 */

/** Name of the family that counts label sets a series limit did not admit. */
export const SERIES_LIMITED_METRIC = 'promkit_series_limited_total';

/** Every label of the overflow series has this value. */
export const SERIES_OVERFLOW_VALUE = '__overflow__';

/**
 * `'overflow'` writes to the overflow series: totals (`sum()` over the metric) stay
 * right and the write path never throws. `'refuse'` throws a {@link SeriesLimitError}
 * from the call that would create the series.
 */
export type SeriesLimitAction = 'overflow' | 'refuse';

export interface SeriesLimitOptions {
  /** At most this many labelled series (the overflow series comes on top). */
  maxSeries?: number;
  /** What happens to a new label set past `maxSeries`; default `'overflow'`. */
  onSeriesLimit?: SeriesLimitAction;
}

export class SeriesLimitError extends RangeError {
  override readonly name = 'SeriesLimitError';
}

export interface SeriesLimit {
  readonly max: number;
  readonly action: SeriesLimitAction;
}

/** Validates the options; undefined when no limit is set. */
export function seriesLimitOf(metricName: string, options: SeriesLimitOptions): SeriesLimit | undefined {
  const { maxSeries, onSeriesLimit } = options;
  if (onSeriesLimit !== undefined && onSeriesLimit !== 'overflow' && onSeriesLimit !== 'refuse') {
    throw new TypeError(`metric '${metricName}': onSeriesLimit must be 'overflow' or 'refuse', got ${JSON.stringify(onSeriesLimit)}`);
  }
  if (maxSeries === undefined) {
    if (onSeriesLimit !== undefined) throw new TypeError(`metric '${metricName}': onSeriesLimit needs maxSeries`);
    return undefined;
  }
  if (typeof maxSeries !== 'number' || !Number.isSafeInteger(maxSeries) || maxSeries < 1) {
    throw new TypeError(`metric '${metricName}': maxSeries must be a whole number >= 1, got ${String(maxSeries)}`);
  }
  return { max: maxSeries, action: onSeriesLimit ?? 'overflow' };
}

/** The one warning a metric logs the first time its limit turns a label set away. */
export function seriesLimitWarning(metricName: string, limit: SeriesLimit, labelNames: readonly string[]): string {
  const what =
    limit.action === 'overflow'
      ? `further new label sets are folded into the series with ${labelNames.map((n) => `${n}="${SERIES_OVERFLOW_VALUE}"`).join(',')}`
      : 'further new label sets are refused with a SeriesLimitError';
  return `promkit: metric '${metricName}' reached its limit of ${limit.max} series; ${what} (counted in ${SERIES_LIMITED_METRIC}{metric="${metricName}"}; logged once)`;
}
