/**
 * Where promkit deliberately does not do what prom-client 15 does (docs/api.md,
 * "Differences from prom-client"): each difference asserted on both libraries, so a
 * change on either side shows up here.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { observeBoth } from './differential.js';

const OPENMETRICS = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

test('suffix collisions: prom-client registers them (and writes duplicate series), promkit refuses', async () => {
  const both = await observeBoth((lib, r) => {
    new lib.Histogram({ name: 'h', help: 'h', buckets: [1], registers: [r] });
    new lib.Gauge({ name: 'h_count', help: 'h', registers: [r] });
  });
  assert.equal(both['prom-client'].threw, false);
  assert.match((both['prom-client'].exposition as { invalid: string }).invalid, /duplicate series h_count/);
  assert.equal(both.promkit.threw, true);
});

test('__-prefixed label names: prom-client accepts them, promkit refuses (Prometheus reserves them)', async () => {
  const both = await observeBoth((lib, r) => {
    new lib.Gauge({ name: 'g', help: 'h', labelNames: ['__x'], registers: [r] });
  });
  assert.deepEqual([both['prom-client'].threw, both.promkit.threw], [false, true]);
});

test('a NaN counter increment: prom-client turns the counter into NaN, promkit throws', async () => {
  const both = await observeBoth((lib, r) => new lib.Counter({ name: 'c', help: 'h', registers: [r] }).inc(NaN));
  assert.equal(both['prom-client'].threw, false);
  assert.equal((both['prom-client'].json as any)[0].values[0].value, 'NaN');
  assert.equal(both.promkit.threw, true);
});

test('an OpenMetrics scrape renames prom-client’s counter (get().name loses _total); promkit’s keeps its name', async () => {
  const both = await observeBoth(async (lib, r) => {
    const c = new lib.Counter({ name: 'jobs_total', help: 'h', registers: [r] });
    await r.metrics();
    return (await c.get()).name;
  }, OPENMETRICS);
  assert.equal(both['prom-client'].extra, 'jobs');
  assert.equal(both.promkit.extra, 'jobs_total');
});

test('an unlabelled histogram after reset(): promkit exposes zero counts, prom-client nothing', async () => {
  const both = await observeBoth((lib, r) => {
    const h = new lib.Histogram({ name: 'h', help: 'h', buckets: [1], registers: [r] });
    h.observe(2);
    h.reset();
  });
  assert.deepEqual((both['prom-client'].exposition as any).samples, []);
  assert.deepEqual(
    (both.promkit.exposition as any).samples.map((s: unknown[]) => [s[0], s[2]]),
    [
      ['h_bucket', 0],
      ['h_bucket', 0],
      ['h_count', 0],
      ['h_sum', 0],
    ],
  );
});

test('buckets: [] throws in promkit; prom-client exposes only +Inf', async () => {
  const both = await observeBoth((lib, r) => new lib.Histogram({ name: 'h', help: 'h', buckets: [], registers: [r] }).observe(1));
  assert.deepEqual([both['prom-client'].threw, both.promkit.threw], [false, true]);
});

test('{a} and {a, b: ""} are one series in promkit (Prometheus sees one); prom-client writes two, a duplicate', async () => {
  const both = await observeBoth(async (lib, r) => {
    const c = new lib.Counter({ name: 'c_total', help: 'h', labelNames: ['a', 'b'], registers: [r] });
    c.inc({ a: 'x' });
    c.inc({ a: 'x', b: '' });
    return r.metrics();
  });
  const lines = (text: unknown) =>
    String(text)
      .split('\n')
      .filter((l) => l.startsWith('c_total'));
  assert.deepEqual(lines(both['prom-client'].extra), ['c_total{a="x"} 1', 'c_total{a="x",b=""} 1']);
  assert.deepEqual(lines(both.promkit.extra), ['c_total{a="x"} 2']);
});
