/**
 * express-prom-bundle on promkit: its request histogram counts what the app served, under
 * the labels it declares; and its cluster mode (`clusterMetrics()` in the primary, an
 * AggregatorRegistry in each forked worker) returns the workers' counts summed.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { familyOf, sampleOf, sampleValue } from '../../../packages/promkit/test/exposition/helpers.js';
import { startApp } from './app-process.js';
import { consumerProject } from './consumer-project.js';
import { request, scrape } from './scrape.js';

const HISTOGRAM = 'http_request_duration_seconds';

/** The histogram's _count and +Inf bucket agree, and its buckets never decrease. */
function assertHistogramSeries(parsed: Parameters<typeof sampleOf>[0], labels: Record<string, string>, count: number): void {
  assert.equal(sampleValue(parsed, `${HISTOGRAM}_count`, labels), count, `count of ${JSON.stringify(labels)}`);
  assert.equal(sampleValue(parsed, `${HISTOGRAM}_bucket`, { ...labels, le: '+Inf' }), count);
  const buckets = familyOf(parsed, HISTOGRAM)
    .samples.filter((s) => s.name === `${HISTOGRAM}_bucket` && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .map((s) => s.value);
  assert.deepEqual(
    buckets,
    [...buckets].sort((a, b) => a - b),
    'cumulative buckets',
  );
  assert.ok(sampleOf(parsed, `${HISTOGRAM}_sum`, labels).value > 0, 'durations were measured');
}

export function expressPromBundleSuite(): void {
  describe('express-prom-bundle (prom-client = promkit)', () => {
    test('an express app: /metrics counts the requests by status code, method, path and custom label', async (t) => {
      const app = await startApp<{ port: number }>(await consumerProject(), 'express-app.cjs');
      t.after(() => app.stop());
      const base = `http://127.0.0.1:${app.info.port}`;
      for (const id of [1, 2, 3]) assert.equal(await request(`${base}/items/${id}`), 200);
      assert.equal(await request(`${base}/items`, { method: 'POST' }), 201);
      for (let i = 0; i < 2; i++) assert.equal(await request(`${base}/fail`), 503);

      const { parsed, contentType } = await scrape(`${base}/metrics`);
      assert.match(contentType ?? '', /^text\/plain/);
      assert.equal(familyOf(parsed, HISTOGRAM).type, 'histogram');
      // express-prom-bundle fills the labels object after startTimer(labels) and before the timer ends.
      assertHistogramSeries(parsed, { status_code: '200', method: 'GET', path: '/items/#val', app: 'shop' }, 3);
      assertHistogramSeries(parsed, { status_code: '201', method: 'POST', path: '/items', app: 'shop' }, 1);
      assertHistogramSeries(parsed, { status_code: '503', method: 'GET', path: '/fail', app: 'shop' }, 2);
      const counted = familyOf(parsed, HISTOGRAM).samples.filter((s) => s.name === `${HISTOGRAM}_count`);
      assert.equal(counted.length, 3, 'one series per (status, method, path); /metrics itself is not counted');
      assert.equal(sampleValue(parsed, 'up'), 1);
    });

    test('cluster mode: the primary’s clusterMetrics() sums what each forked worker served', async (t) => {
      const app = await startApp<{ metricsPort: number; workers: Array<{ port: number; pid: number }> }>(await consumerProject(), 'express-cluster.cjs');
      t.after(() => app.stop());
      const [a, b] = app.info.workers;
      assert.notEqual(a.pid, b.pid);
      // Different numbers per worker: a 'first' or 'max' in place of 'sum' would show.
      for (let i = 0; i < 2; i++) assert.equal(await request(`http://127.0.0.1:${a.port}/items/${i}`), 200);
      for (let i = 0; i < 5; i++) assert.equal(await request(`http://127.0.0.1:${b.port}/items/${i}`), 200);
      const labels = { status_code: '200', method: 'GET', path: '/items/#val' };
      for (const [worker, served] of [
        [a, 2],
        [b, 5],
      ] as const) {
        const own = await scrape(`http://127.0.0.1:${worker.port}/metrics`);
        assert.equal(sampleValue(own.parsed, `${HISTOGRAM}_count`, labels), served, `worker ${worker.pid} counts its own requests`);
      }

      const cluster = `http://127.0.0.1:${app.info.metricsPort}/cluster_metrics`;
      const { parsed, contentType } = await scrape(cluster);
      assert.match(contentType ?? '', /^text\/plain;.*version=0\.0\.4/, 'the AggregatorRegistry’s content type');
      assertHistogramSeries(parsed, labels, 7);
      assert.equal(sampleValue(parsed, 'up'), 2, 'gauges are summed too (aggregator sum)');

      // A worker that is gone is not waited for: the next scrape answers at once with the other's counts.
      process.kill(b.pid, 'SIGKILL');
      // (A scrape racing the worker's exit may fail with a clear 500; the next one must not.)
      await waitFor(async () => sampleValue((await scrape(cluster)).parsed, `${HISTOGRAM}_count`, labels) === 2);
      assert.equal(sampleValue((await scrape(cluster)).parsed, 'up'), 1);
    });
  });
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
