/** A label value as callers may pass it; numbers are rendered with String(). */
export type LabelValue = string | number;

/** Label names of a metric, as a record of their values (all optional, as in prom-client). */
export type LabelValues<T extends string> = Partial<Record<T, LabelValue>>;

/**
 * Converts one label value to the string stored and exposed. Strings must be well
 * formed UTF-16: a lone surrogate cannot be written as UTF-8, and two different
 * values would otherwise collapse into the same exposed series.
 */
export function labelValueToString(metricName: string, labelName: string, value: unknown): string {
  if (typeof value === 'string') {
    if (!value.isWellFormed()) {
      throw new TypeError(`metric '${metricName}': value of label '${labelName}' contains a lone surrogate and cannot be encoded as UTF-8`);
    }
    return value;
  }
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (value === undefined) return '';
  throw new TypeError(`metric '${metricName}': value of label '${labelName}' must be a string or a number, got ${value === null ? 'null' : typeof value}`);
}
