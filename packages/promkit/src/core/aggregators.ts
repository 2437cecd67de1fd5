import type { Aggregator, MetricObjectWithValues, MetricValue } from './metric.js';

/** Folds the JSON form of one metric, as each worker reported it, into one. `undefined` drops the metric. */
export type AggregatorFunction = (metrics: MetricObjectWithValues[]) => MetricObjectWithValues | undefined;

/** Identifies a sample across workers: its sample name and its label set, whatever the key order. */
function sampleKey(v: MetricValue): string {
  const labels = Object.entries(v.labels ?? {})
    .filter(([, x]) => x !== undefined)
    .map(([k, x]) => [k, String(x)])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${v.metricName ?? ''}\u0000${JSON.stringify(labels)}`;
}

/**
 * prom-client's `AggregatorFactory`: builds an aggregator that groups the samples of
 * every worker by sample name and labels and reduces each group with `reduce`.
 */
export function AggregatorFactory(reduce: (values: MetricValue[]) => number): AggregatorFunction {
  return (metrics) => {
    if (metrics.length === 0) return undefined;
    const first = metrics[0];
    const groups = new Map<string, MetricValue[]>();
    for (const metric of metrics) {
      for (const value of metric.values) {
        const key = sampleKey(value);
        const group = groups.get(key);
        if (group === undefined) groups.set(key, [value]);
        else group.push(value);
      }
    }
    const values: MetricValue[] = [];
    for (const group of groups.values()) {
      const out: MetricValue = { value: reduce(group), labels: group[0].labels };
      if (group[0].metricName) out.metricName = group[0].metricName;
      values.push(out);
    }
    return { help: first.help, name: first.name, type: first.type, values, aggregator: first.aggregator };
  };
}

/** The aggregators a metric's `aggregator` option names, as prom-client's `aggregators`. */
export const aggregators: Record<Aggregator, AggregatorFunction> = {
  sum: AggregatorFactory((v) => v.reduce((p, c) => p + c.value, 0)),
  first: AggregatorFactory((v) => v[0].value),
  omit: () => undefined,
  average: AggregatorFactory((v) => v.reduce((p, c) => p + c.value, 0) / v.length),
  min: AggregatorFactory((v) => v.reduce((p, c) => Math.min(p, c.value), Infinity)),
  max: AggregatorFactory((v) => v.reduce((p, c) => Math.max(p, c.value), -Infinity)),
};
