/** A node:cluster worker for prom-client's AggregatorRegistry: 25k series in its global registry. */
import client from 'prom-client';
import { LABEL_NAMES, labelsOf, SERIES_PER_WORKER } from './series.js';

const index = Number(process.env.BENCH_WORKER_INDEX);
new client.AggregatorRegistry();
const counter = new client.Counter({ name: 'bench_worker_requests_total', help: 'bench counter', labelNames: LABEL_NAMES });
for (let i = 0; i < SERIES_PER_WORKER; i++) counter.labels(...labelsOf(index, i)).inc((i % 7) + 1);
process.send!({ ready: true });
