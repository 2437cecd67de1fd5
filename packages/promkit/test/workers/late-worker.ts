/** Declares what the handle lacks (or declares a metric differently): attaching must fail with a clear error. */
import { workerData } from 'node:worker_threads';
import { attachWorker } from '../../src/index.js';

const shared = attachWorker(workerData.handle);
if (workerData.mismatch) shared.counter({ name: 'test_requests_total', help: 'Requests', labelNames: ['method'] });
else shared.counter({ name: 'not_declared', help: 'x' });
