import type { SeriesBase } from '../core/metric.js';
import type { MetricFamily } from '../exposition/model.js';
import type { Family } from './family-registry.js';

/**
 * The family restricted to series whose leading (auto) label values equal `scopeValues`,
 * or undefined when no series belongs to the scope. A view over the live metric: nothing
 * is copied, the encoder reads the series in place.
 */
export function familyUnderScope(family: Family, scopeValues: readonly string[]): MetricFamily | undefined {
  if (family.autoLabelNames.length < scopeValues.length) return undefined;
  const metric = family.metric as unknown as MetricFamily & { seriesUnder(prefix: readonly string[]): Iterable<SeriesBase> };
  if (scopeValues.length === 0) return metric;
  const first = metric.seriesUnder(scopeValues)[Symbol.iterator]().next();
  if (first.done) return undefined;
  const series = { [Symbol.iterator]: () => metric.seriesUnder(scopeValues)[Symbol.iterator]() };
  const header = { type: metric.type, name: metric.name, help: metric.help, unit: metric.unit, series };
  return (metric.type === 'histogram' ? { ...header, upperBounds: metric.upperBounds } : header) as MetricFamily;
}
