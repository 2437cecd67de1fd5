/**
 * fastify-metrics on promkit: its route histogram and summary count each route by method,
 * route pattern and status code, and its /metrics merges the default-metrics registry in
 * (Registry.merge) with the process metrics present.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { familyOf, sampleValue } from '../../../packages/promkit/test/exposition/helpers.js';
import { startApp } from './app-process.js';
import { consumerProject } from './consumer-project.js';
import { request, scrape } from './scrape.js';

export function fastifyMetricsSuite(): void {
  describe('fastify-metrics (prom-client = promkit)', () => {
    test('a fastify app: route metrics count every request; default metrics are merged in', async (t) => {
      const app = await startApp<{ port: number }>(await consumerProject(), 'fastify-app.cjs');
      t.after(() => app.stop());
      const base = `http://127.0.0.1:${app.info.port}`;
      for (const name of ['ann', 'bob', 'cy', 'di']) assert.equal(await request(`${base}/hello/${name}`), 200);
      assert.equal(await request(`${base}/boom`, { method: 'POST' }), 500);

      const { parsed, contentType } = await scrape(`${base}/metrics`);
      assert.equal(contentType, 'text/plain; version=0.0.4; charset=utf-8', 'the merged registry’s content type');
      const hello = { method: 'GET', route: '/hello/:name', status_code: '200', svc: 'cart' };
      const boom = { method: 'POST', route: '/boom', status_code: '500', svc: 'cart' };
      assert.equal(familyOf(parsed, 'http_request_duration_seconds').type, 'histogram');
      assert.equal(sampleValue(parsed, 'http_request_duration_seconds_count', hello), 4);
      assert.equal(sampleValue(parsed, 'http_request_duration_seconds_bucket', { ...hello, le: '+Inf' }), 4);
      assert.equal(sampleValue(parsed, 'http_request_duration_seconds_count', boom), 1);
      assert.equal(familyOf(parsed, 'http_request_summary_seconds').type, 'summary');
      assert.equal(sampleValue(parsed, 'http_request_summary_seconds_count', hello), 4);
      assert.equal(sampleValue(parsed, 'http_request_summary_seconds_count', boom), 1);
      const p50 = sampleValue(parsed, 'http_request_summary_seconds', { ...hello, quantile: '0.5' });
      assert.ok(p50 !== undefined && p50 > 0 && p50 < 10, `median duration ${p50}`);
      // From the second registry, which the route merges in.
      assert.equal(familyOf(parsed, 'process_cpu_user_seconds_total').type, 'counter');
      assert.ok(familyOf(parsed, 'nodejs_version_info').samples.some((s) => s.labels.version === process.version));
    });
  });
}
