import { renderLabelRecord } from '../exposition/escape.js';
import type { HistogramSeries, MetricFamily, ScalarSeries, SummarySeries } from '../exposition/model.js';
import type { MetricValue } from './metric.js';
import type { CustomMetricJson } from './registry.js';

/**
 * Turns prom-client's plain form of a metric (what `get()` returns: name, help, type and
 * `values` with optional `metricName`) into a family the encoders write. Custom
 * collectors registered as `{ name, get() }` and the metrics `AggregatorRegistry.aggregate`
 * builds take this path.
 */
export function familyFromJson(metric: CustomMetricJson, defaultLabels: Readonly<Record<string, string>>): MetricFamily {
  const name = metric.name;
  const help = typeof metric.help === 'string' ? metric.help : '';
  const values = (Array.isArray(metric.values) ? metric.values : []) as MetricValue[];
  const created = Math.floor(Date.now() / 1000);
  const labelTextOf = (labels: Record<string, unknown> | undefined, without?: string): string => {
    // prom-client's order: the value's own labels, then default labels it does not set.
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(labels ?? {})) if (k !== without) out[k] = String(v);
    for (const [k, v] of Object.entries(defaultLabels)) if (!(k in out)) out[k] = v;
    return renderLabelRecord(out);
  };
  switch (metric.type) {
    case 'histogram':
      return histogramFromJson(name, help, values, labelTextOf, created);
    case 'summary':
      return summaryFromJson(name, help, values, labelTextOf, created);
    default: {
      const type = metric.type === 'counter' || metric.type === 'gauge' ? metric.type : 'untyped';
      const series: ScalarSeries[] = values.map((v) => ({ labelText: labelTextOf(v.labels), value: Number(v.value), created }));
      return { type, name, help, series };
    }
  }
}

type LabelTextOf = (labels: Record<string, unknown> | undefined, without?: string) => string;

function groupBy<T>(values: readonly MetricValue[], key: (v: MetricValue) => string, init: () => T): Map<string, T> {
  const groups = new Map<string, T>();
  for (const v of values) {
    const k = key(v);
    if (!groups.has(k)) groups.set(k, init());
  }
  return groups;
}

function histogramFromJson(name: string, help: string, values: readonly MetricValue[], labelTextOf: LabelTextOf, created: number): MetricFamily {
  const bounds = new Set<number>();
  for (const v of values) {
    if (v.metricName === `${name}_bucket`) {
      const le = Number((v.labels as Record<string, unknown>).le);
      if (Number.isFinite(le)) bounds.add(le);
    }
  }
  const upperBounds = [...bounds].sort((a, b) => a - b);
  const at = new Map(upperBounds.map((b, i) => [b, i]));
  type Acc = { cumulative: Array<number | undefined>; sum: number; count: number };
  const groups = groupBy<Acc>(
    values,
    (v) => labelTextOf(v.labels, 'le'),
    () => ({ cumulative: new Array(upperBounds.length + 1).fill(undefined), sum: 0, count: 0 }),
  );
  for (const v of values) {
    const acc = groups.get(labelTextOf(v.labels, 'le'))!;
    if (v.metricName === `${name}_bucket`) {
      const le = Number((v.labels as Record<string, unknown>).le);
      acc.cumulative[Number.isFinite(le) ? at.get(le)! : upperBounds.length] = Number(v.value);
    } else if (v.metricName === `${name}_sum`) acc.sum = Number(v.value);
    else if (v.metricName === `${name}_count`) acc.count = Number(v.value);
  }
  const series: HistogramSeries[] = [...groups].map(([labelText, acc]) => {
    // The encoder cumulates per-bucket counts; the JSON form holds cumulative ones.
    const counts = new Array<number>(upperBounds.length + 3);
    let previous = 0;
    for (let i = 0; i <= upperBounds.length; i++) {
      const c = acc.cumulative[i] ?? (i === upperBounds.length ? acc.count : previous);
      counts[i] = c - previous;
      previous = c;
    }
    counts[upperBounds.length + 1] = acc.sum;
    counts[upperBounds.length + 2] = acc.count;
    return { labelText, values: counts, offset: 0, created };
  });
  return { type: 'histogram', name, help, upperBounds, series };
}

function summaryFromJson(name: string, help: string, values: readonly MetricValue[], labelTextOf: LabelTextOf, created: number): MetricFamily {
  type Acc = { quantiles: Array<readonly [number, number]>; sum: number; count: number };
  const groups = groupBy<Acc>(
    values,
    (v) => labelTextOf(v.labels, 'quantile'),
    () => ({ quantiles: [], sum: 0, count: 0 }),
  );
  for (const v of values) {
    const acc = groups.get(labelTextOf(v.labels, 'quantile'))!;
    if (v.metricName === `${name}_sum`) acc.sum = Number(v.value);
    else if (v.metricName === `${name}_count`) acc.count = Number(v.value);
    else acc.quantiles.push([Number((v.labels as Record<string, unknown>).quantile), Number(v.value)]);
  }
  const series: SummarySeries[] = [...groups].map(([labelText, acc]) => ({ labelText, quantiles: acc.quantiles, sum: acc.sum, count: acc.count, created }));
  return { type: 'summary', name, help, series };
}
