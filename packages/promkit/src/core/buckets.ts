/** prom-client's default histogram buckets, for drop-in compatibility. */
export const DEFAULT_BUCKETS: readonly number[] = Object.freeze([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);

export function linearBuckets(start: number, width: number, count: number): number[] {
  if (!(count >= 1) || !Number.isInteger(count)) throw new TypeError(`linearBuckets: count must be a positive integer, got ${count}`);
  if (!(width > 0)) throw new TypeError(`linearBuckets: width must be positive, got ${width}`);
  return Array.from({ length: count }, (_, i) => start + i * width);
}

export function exponentialBuckets(start: number, factor: number, count: number): number[] {
  if (!(start > 0)) throw new TypeError(`exponentialBuckets: start must be positive, got ${start}`);
  if (!(factor > 1)) throw new TypeError(`exponentialBuckets: factor must be greater than 1, got ${factor}`);
  if (!(count >= 1) || !Number.isInteger(count)) throw new TypeError(`exponentialBuckets: count must be a positive integer, got ${count}`);
  // Multiplied step by step, as prom-client does, so bounds (and so `le` values) match it exactly.
  const out: number[] = [];
  for (let i = 0, b = start; i < count; i++, b *= factor) out.push(b);
  return out;
}

/** Validates and normalises bucket bounds: finite, strictly increasing; a trailing +Inf is dropped. */
export function normaliseBuckets(metricName: string, buckets: readonly number[]): number[] {
  const bounds = [...buckets];
  if (bounds.length > 0 && bounds[bounds.length - 1] === Infinity) bounds.pop();
  if (bounds.length === 0) throw new TypeError(`metric '${metricName}': a histogram needs at least one finite bucket`);
  for (let i = 0; i < bounds.length; i++) {
    const b = bounds[i];
    if (typeof b !== 'number' || !Number.isFinite(b)) throw new TypeError(`metric '${metricName}': bucket bound ${String(b)} is not a finite number`);
    if (i > 0 && b <= bounds[i - 1]) {
      throw new TypeError(`metric '${metricName}': bucket bounds must be strictly increasing (${bounds[i - 1]} then ${b})`);
    }
  }
  return bounds;
}
