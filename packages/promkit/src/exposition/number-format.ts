/**
 * Float formatting. Sample values use JavaScript's shortest round-trip form, which
 * Prometheus parses exactly; the special values use the spellings both formats require.
 */
export function formatSampleValue(value: number): string {
  if (Number.isFinite(value)) return `${value}`;
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return 'NaN';
}

/**
 * OpenMetrics canonical form for `le` and `quantile` label values: integers carry `.0`
 * (`1.0`, not `1`) so that the same bound is always the same label value.
 */
export function formatCanonicalFloat(value: number): string {
  if (Number.isInteger(value)) {
    const s = `${value}`;
    // 1e+21 and larger already use exponent notation, which is canonical as is.
    return s.includes('e') ? s : `${s}.0`;
  }
  return formatSampleValue(value);
}

/** Timestamps in seconds with millisecond precision, as OpenMetrics expects. */
export function formatTimestampSeconds(seconds: number): string {
  return formatSampleValue(Math.round(seconds * 1000) / 1000);
}
