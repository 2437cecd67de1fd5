/** A piscina task module: each task counts `n` requests on `route` in shared memory and returns `n`. */
import { workerData } from 'node:worker_threads';
import { attachWorker } from '../../src/index.js';
import { declareTestMetrics } from './test-metrics.js';

const m = declareTestMetrics(attachWorker(workerData.handle));

export default function task({ n, route }: { n: number; route: string }): number {
  for (let i = 0; i < n; i++) m.requests.inc({ method: route, code: '200' });
  m.latency.observe({ route }, 0.1);
  return n;
}
