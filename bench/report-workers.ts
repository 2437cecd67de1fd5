/** Rows of scenario 7 (worker threads): formatting and goal checks, next to report.ts's rows. */
import { LIBRARY_IDS, type LibraryId } from './libraries.js';
import type { PerLibrary, Row } from './report.js';

const PEERS = LIBRARY_IDS.filter((id) => id !== 'promkit');

function fmt(x: number): string {
  return x >= 100 ? Math.round(x).toLocaleString('en-US') : Number(x.toPrecision(3)).toString();
}

function best(values: PerLibrary): number {
  return Math.min(...PEERS.map((p) => values[p])) / values.promkit;
}

const HOW: Record<LibraryId, string> = {
  promkit: 'sharedRegistry',
  'prom-client': 'AggregatorRegistry, node:cluster',
  '@prometheus-io/client': 'WorkerRegistry',
};

export function workerScrapeRow(ms: PerLibrary, goalRatio: number, label = 'wall'): Row {
  const ratio = best(ms);
  return {
    scenario: `4 workers × 25k series: scrape time from the main thread (${label})`,
    cells: Object.fromEntries(LIBRARY_IDS.map((id) => [id, `${fmt(ms[id])} ms (${HOW[id]})`])) as Record<LibraryId, string>,
    ratio,
    goal: `≥ ${goalRatio}x`,
    met: ratio >= goalRatio,
  };
}

export function workerStallRow(ms: PerLibrary, limitMs: number): Row {
  return {
    scenario: '4 workers × 25k series: longest main-thread stall during a scrape',
    cells: Object.fromEntries(LIBRARY_IDS.map((id) => [id, `${fmt(ms[id])} ms`])) as Record<LibraryId, string>,
    ratio: best(ms),
    goal: `< ${limitMs} ms`,
    met: ms.promkit < limitMs,
  };
}

/** promkit only: a worker's bound inc() into shared memory against the single-thread Counter. */
export function workerIncRow(workerNs: number, singleNs: number, limitFactor: number): Row {
  const factor = workerNs / singleNs;
  return {
    scenario: "bound `inc()` in a worker (shared memory) vs one thread's Counter",
    cells: { promkit: `${fmt(workerNs)} ns vs ${fmt(singleNs)} ns (${fmt(factor)}x)`, 'prom-client': '—', '@prometheus-io/client': '—' },
    ratio: NaN,
    goal: `within ${limitFactor}x`,
    met: factor <= limitFactor,
  };
}
