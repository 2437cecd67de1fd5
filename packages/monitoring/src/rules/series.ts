import type { SeriesHistory } from './types.js';

/**
 * Input series for one histogram in a rule test: one `_bucket` series per bound, so a
 * scenario states only how each bucket's count evolves, e.g. `{ '60': '0x30', '+Inf': '0+10x30' }`.
 */
export function bucketSeries(histogram: string, labels: string, buckets: Readonly<Record<string, string>>): SeriesHistory {
  return Object.fromEntries(Object.entries(buckets).map(([le, values]) => [`${histogram}_bucket{${labels},le="${le}"}`, values]));
}
