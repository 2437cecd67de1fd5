/** Name rules of the Prometheus data model, with errors that say what is allowed. */

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function validateMetricName(name: string): boolean {
  return typeof name === 'string' && METRIC_NAME.test(name);
}

export function validateLabelName(names: string | readonly string[] = []): boolean {
  const list = typeof names === 'string' ? [names] : names;
  return list.every((n) => typeof n === 'string' && LABEL_NAME.test(n) && !n.startsWith('__'));
}

export function assertMetricName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || name === '') throw new TypeError('metric name is required and must be a non-empty string');
  if (!METRIC_NAME.test(name)) {
    throw new TypeError(`invalid metric name '${name}': names must match [a-zA-Z_:][a-zA-Z0-9_:]*`);
  }
}

/**
 * Checks label names for one metric. `reserved` holds the names the metric type
 * generates itself (`le` for histograms, `quantile` for summaries).
 */
export function assertLabelNames(metricName: string, names: readonly unknown[], reserved: readonly string[] = []): void {
  const seen = new Set<string>();
  for (const n of names) {
    if (typeof n !== 'string' || !LABEL_NAME.test(n)) {
      throw new TypeError(`metric '${metricName}': invalid label name '${String(n)}': names must match [a-zA-Z_][a-zA-Z0-9_]*`);
    }
    if (n.startsWith('__')) {
      throw new TypeError(`metric '${metricName}': label name '${n}' is reserved: names starting with __ belong to Prometheus`);
    }
    if (reserved.includes(n)) {
      throw new TypeError(`metric '${metricName}': label name '${n}' is reserved: this metric type generates '${n}' itself`);
    }
    if (seen.has(n)) throw new TypeError(`metric '${metricName}': label name '${n}' is declared twice`);
    seen.add(n);
  }
}

export function assertHelp(metricName: string, help: unknown): asserts help is string {
  if (typeof help !== 'string') throw new TypeError(`metric '${metricName}': help is required and must be a string`);
}
