// Worker threads on Node 20 do not inherit the parent's `--import tsx` hooks, so a
// worker starts here (plain JS), registers tsx, then loads the TypeScript module.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.script);
