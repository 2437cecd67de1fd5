/**
 * A worker for the shared-summary tests: attaches, observes what `mode` says, reports its
 * column, then stays attached until the parent posts 'stop' (or exits at once with `leave`).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { attachWorker, type SharedMetricsHandle } from '../../src/index.js';
import { declareSummaries, floodValue, PERCENTILES } from './summary-metrics.js';

interface Job {
  handle: SharedMetricsHandle;
  mode: 'flood' | 'values' | 'aged' | 'mismatch';
  /** flood: this worker's number and observations per series. */
  worker: number;
  n: number;
  /** values, aged: what to observe. */
  values: number[];
  route: string;
  /** Exit right after reporting instead of staying attached. */
  leave?: boolean;
}

const job = workerData as Job;
const shared = attachWorker(job.handle);

if (job.mode === 'mismatch') {
  shared.summary({ name: 'sum_latency_seconds', help: 'Latency', labelNames: ['route'], percentiles: PERCENTILES, windowSize: 32 });
}
const m = declareSummaries(shared);
switch (job.mode) {
  case 'flood': {
    // The shared series through a kept child, and one series only this worker creates, by record.
    const common = m.latency.labels('common');
    for (let j = 0; j < job.n; j++) {
      const v = floodValue(job.worker, j);
      common.observe(v);
      m.latency.observe({ route: `born-${job.worker}` }, v);
    }
    break;
  }
  case 'values':
    for (const v of job.values) m.latency.observe({ route: job.route }, v);
    break;
  case 'aged':
    for (const v of job.values) m.aged.observe(v);
    break;
}
parentPort!.postMessage({ done: true, column: shared.column });
if (job.leave) process.exit(0);
parentPort!.on('message', (message) => message === 'stop' && process.exit(0));
