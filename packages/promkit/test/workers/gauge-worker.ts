/** Sets every `g_*` gauge of the handle to workerData.n, reports, and stays until told to stop. */
import { parentPort, workerData } from 'node:worker_threads';
import { attachWorker } from '../../src/index.js';

const shared = attachWorker(workerData.handle);
for (const aggregator of ['sum', 'min', 'max', 'average', 'first'] as const) shared.gauge({ name: `g_${aggregator}`, help: 'h', aggregator }).set(workerData.n);
shared.gauge({ name: 'g_omit', help: 'h', aggregator: 'omit' }).set(workerData.n);
parentPort!.postMessage({ column: shared.column });
parentPort!.on('message', () => process.exit(0));
