/** An @prometheus-io/client worker: 25k series in its global registry, answered to WorkerRegistry requests. */
import { parentPort, workerData } from 'node:worker_threads';
import client from '@prometheus-io/client';
import { LABEL_NAMES, labelsOf, SERIES_PER_WORKER } from './series.js';

const lib = client as unknown as { WorkerRegistry: new () => unknown; Counter: new (config: object) => { labels(...v: string[]): { inc(n: number): void } } };
new lib.WorkerRegistry();
const counter = new lib.Counter({ name: 'bench_worker_requests_total', help: 'bench counter', labelNames: LABEL_NAMES });
for (let i = 0; i < SERIES_PER_WORKER; i++) counter.labels(...labelsOf(workerData.index, i)).inc((i % 7) + 1);
parentPort!.postMessage({ ready: true });
parentPort!.on('message', () => process.exit(0));
