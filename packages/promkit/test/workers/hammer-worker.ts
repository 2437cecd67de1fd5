/**
 * A worker for the shared-metrics tests: attaches to the handle in workerData and runs
 * the scenario named by `mode`, then reports 'done' (or dies, for the crash case).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { attachWorker, type SharedMetricsHandle } from '../../src/index.js';
import { declareTestMetrics } from './test-metrics.js';

interface Job {
  handle: SharedMetricsHandle;
  mode: 'hammer' | 'births' | 'crash' | 'gauge' | 'rewrite';
  /** Stay attached after reporting until the parent posts 'stop' (or terminates the worker). */
  stay?: boolean;
  /** Increments per series (hammer), or series to create (births). */
  n: number;
  /** Label value that tells this worker's series apart (births). */
  tag: string;
}

const job = workerData as Job;
const shared = attachWorker(job.handle);
const m = declareTestMetrics(shared);

switch (job.mode) {
  case 'hammer': {
    // Every worker writes the same series: the case where lost updates would show.
    const hits = m.requests.labels('GET', '200');
    for (let i = 0; i < job.n; i++) {
      hits.inc();
      m.latency.observe({ route: '/a' }, (i % 10) / 10);
      if (i % 1000 === 0) m.requests.inc({ method: 'POST', code: '500' }, 2);
    }
    break;
  }
  case 'births':
    for (let i = 0; i < job.n; i++) m.requests.inc({ method: job.tag, code: String(i) });
    break;
  case 'gauge':
    m.inflight.set(job.n);
    m.perThread.set(job.n);
    break;
  case 'rewrite': {
    // Children kept across the main thread's remove()/reset(): each 'again' writes once more through them.
    const hits = m.requests.labels('GET', '200');
    const errors = m.requests.labels('POST', '500');
    const latency = m.latency.labels('/a');
    const round = (): void => {
      hits.inc(job.n);
      errors.inc();
      latency.observe(0.3);
      m.inflight.inc();
    };
    round();
    parentPort!.on('message', (message) => {
      if (message !== 'again') return;
      round();
      parentPort!.postMessage({ again: true });
    });
    break;
  }
  case 'crash':
    m.requests.inc({ method: 'CRASH', code: '1' }, job.n);
    m.inflight.set(1000);
    throw new Error('worker crashed on purpose');
}
parentPort!.postMessage({ done: true, column: shared.column });
if (job.stay) parentPort!.on('message', (message) => message === 'stop' && process.exit(0));
