import type { SeriesBase } from '../core/metric.js';
import type { MetricFamily } from '../exposition/model.js';
import type { Family } from './family-registry.js';

function startsWith(values: readonly string[], prefix: readonly string[]): boolean {
  for (let i = 0; i < prefix.length; i++) if (values[i] !== prefix[i]) return false;
  return true;
}

function* seriesUnder<S extends SeriesBase>(all: Iterable<S>, prefix: readonly string[]): Generator<S> {
  for (const s of all) if (startsWith(s.labelValues, prefix)) yield s;
}

/**
 * The family restricted to series whose leading (auto) label values equal `scopeValues`,
 * or undefined when no series belongs to the scope. A view over the live metric: nothing
 * is copied, the encoder reads the series in place.
 */
export function familyUnderScope(family: Family, scopeValues: readonly string[]): MetricFamily | undefined {
  if (family.autoLabelNames.length < scopeValues.length) return undefined;
  const metric = family.metric as unknown as MetricFamily & { series: Iterable<SeriesBase> };
  if (scopeValues.length === 0) return metric;
  const first = seriesUnder(metric.series, scopeValues).next();
  if (first.done) return undefined;
  const series = { [Symbol.iterator]: () => seriesUnder(metric.series, scopeValues) };
  const header = { type: metric.type, name: metric.name, help: metric.help, unit: metric.unit, series };
  return (metric.type === 'histogram' ? { ...header, upperBounds: metric.upperBounds } : header) as MetricFamily;
}
