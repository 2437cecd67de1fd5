/**
 * A real Prometheus scrapes shared metrics written by worker threads, through
 * metricsHandler with gzip (level 1, compressed while encoding): the totals it stores are
 * the exact sums of what the workers wrote.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { Registry, sharedRegistry } from '../../src/index.js';
import { metricsHandler } from '../../src/server/index.js';
import { startPrometheus, type RunningPrometheus } from '@promkit/testing';
import { startWorker } from './start-worker.js';
import { declareTestMetrics } from './test-metrics.js';

describe('shared worker metrics scraped by a real Prometheus', () => {
  let prom: RunningPrometheus;
  const server = createServer();

  before(async () => {
    const registry = new Registry();
    const shared = sharedRegistry({ registers: [registry] });
    declareTestMetrics(shared);
    const handle = shared.handle();
    const workers = [
      startWorker('./hammer-worker.ts', { handle, mode: 'hammer', n: 50_000, tag: '' }),
      startWorker('./hammer-worker.ts', { handle, mode: 'births', n: 2000, tag: 'born' }),
    ];
    for (const w of workers) shared.watch(w.worker);
    await Promise.all(workers.map((w) => w.report));
    const handler = metricsHandler(registry);
    server.on('request', (req, res) => void handler(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    prom = await startPrometheus({ targets: [{ job: 'workers', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics` }] });
  });

  after(async () => {
    await prom?.close();
    server.close();
  });

  test('stores the exact totals of every thread', async () => {
    await prom.waitForTargetsUp({ job: ['workers'] });
    await prom.waitForScrapes(1, { job: ['workers'] });
    assert.equal(await prom.queryValue('test_requests_total{job="workers",method="GET",code="200"}'), 50_000);
    assert.equal(await prom.queryValue('test_latency_seconds_count{job="workers",route="/a"}'), 50_000);
    assert.equal(await prom.queryValue('count(test_requests_total{job="workers",method="born"})'), 2000);
    assert.equal(await prom.queryValue('sum(test_requests_total{job="workers",method="born"})'), 2000);
  });
});
