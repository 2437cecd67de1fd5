/** The workers scenario's shape: 4 workers × 25k counter series each, every series distinct. */
export const WORKERS = 4;
export const SERIES_PER_WORKER = 25_000;
export const LABEL_NAMES = ['worker', 'operation'] as const;

export function labelsOf(worker: number, i: number): [string, string] {
  return [`w${worker}`, `operation-${i}`];
}
