/** A promkit worker: writes its 25k series into shared memory, times a bound inc(), then idles until told to stop. */
import { parentPort, workerData } from 'node:worker_threads';
import { attachWorker } from '../../packages/promkit/src/index.js';
import { measureOps, median } from '../harness.js';
import { LABEL_NAMES, labelsOf, SERIES_PER_WORKER } from './series.js';

const shared = attachWorker(workerData.handle);
const counter = shared.counter({ name: 'bench_worker_requests_total', help: 'bench counter', labelNames: LABEL_NAMES });
for (let i = 0; i < SERIES_PER_WORKER; i++) counter.labels(...labelsOf(workerData.index, i)).inc((i % 7) + 1);
let boundIncNs = 0;
if (workerData.timeInc) {
  const bound = shared.counter({ name: 'bench_worker_bound_total', help: 'bench counter' });
  boundIncNs = median(
    measureOps((n) => {
      for (let i = 0; i < n; i++) bound.inc();
    }).samplesNsPerOp,
  );
}
parentPort!.postMessage({ ready: true, boundIncNs });
parentPort!.on('message', () => process.exit(0));
