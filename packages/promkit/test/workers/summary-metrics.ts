import type { SharedMetrics } from '../../src/index.js';

export const PERCENTILES = [0, 0.01, 0.25, 0.5, 0.9, 0.99, 1];
export const WINDOW = 64;
export const MAX_AGE_SECONDS = 0.5;

/** The summaries the summary tests' threads share, declared by one function both sides call. */
export function declareSummaries(shared: SharedMetrics) {
  return {
    latency: shared.summary({ name: 'sum_latency_seconds', help: 'Latency', labelNames: ['route'], percentiles: PERCENTILES, windowSize: WINDOW }),
    aged: shared.summary({ name: 'sum_aged_seconds', help: 'Aged', percentiles: [0, 0.5, 1], maxAgeSeconds: MAX_AGE_SECONDS }),
  };
}

/** Worker `worker`'s j-th observation in the flood: distinct across workers, integers so sums are exact. */
export function floodValue(worker: number, j: number): number {
  return worker * 1_000_000 + j;
}
