/**
 * The bucket an observation falls in (the first bound >= value; bounds.length for +Inf).
 * Shared by the per-metric and the shared-memory histograms.
 */
/** Linear scan beats binary search for the short bucket lists almost everyone uses. */
const LINEAR_SCAN_LIMIT = 24;

export function bucketIndex(bounds: Float64Array, value: number): number {
  const n = bounds.length;
  if (n <= LINEAR_SCAN_LIMIT) {
    let i = 0;
    while (i < n && value > bounds[i]) i++;
    return i;
  }
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (value > bounds[mid]) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
