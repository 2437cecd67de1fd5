// Worker threads on Node 20 do not inherit `--import tsx`: start in plain JS, register
// tsx, then load the TypeScript worker module named in workerData.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.script);
