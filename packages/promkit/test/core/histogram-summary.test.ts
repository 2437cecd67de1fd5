import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { DEFAULT_BUCKETS, Histogram, Registry, Summary, linearBuckets } from '../../src/index.js';
import { familyOf, scrape, sampleValue } from '../exposition/helpers.js';

/** The reference: the first bound the value is <= to, or +Inf. */
function naiveBucket(bounds: readonly number[], value: number): number {
  const i = bounds.findIndex((b) => value <= b);
  return i < 0 ? bounds.length : i;
}

describe('Histogram', () => {
  test('buckets are cumulative and le is inclusive', async () => {
    const registry = new Registry();
    const h = new Histogram({ name: 'h', help: 'h', buckets: [1, 2, 3], registers: [registry] });
    for (const v of [0, 1, 1.5, 2, 3, 3.0001, -5]) h.observe(v);
    const parsed = await scrape(registry);
    assert.equal(sampleValue(parsed, 'h_bucket', { le: '1' }), 3);
    assert.equal(sampleValue(parsed, 'h_bucket', { le: '2' }), 5);
    assert.equal(sampleValue(parsed, 'h_bucket', { le: '3' }), 6);
    assert.equal(sampleValue(parsed, 'h_bucket', { le: '+Inf' }), 7);
    assert.equal(sampleValue(parsed, 'h_count'), 7);
    assert.equal(sampleValue(parsed, 'h_sum'), 0 + 1 + 1.5 + 2 + 3 + 3.0001 - 5);
  });

  test('property: every observation lands in the right bucket, short and long bucket lists alike', async () => {
    const bounds = fc
      .uniqueArray(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }), { minLength: 1, maxLength: 60 })
      .map((a) => [...new Set(a.map((x) => (Object.is(x, -0) ? 0 : x)))].sort((x, y) => x - y));
    await fc.assert(
      fc.asyncProperty(bounds, fc.array(fc.double({ noNaN: true, noDefaultInfinity: true, min: -2e6, max: 2e6 }), { maxLength: 50 }), async (b, values) => {
        const h = new Histogram({ name: 'h', help: 'h', buckets: b, registers: [] });
        const expected = new Array(b.length + 1).fill(0);
        for (const v of [...values, ...b]) {
          h.observe(v);
          expected[naiveBucket(b, v)]++;
        }
        for (let i = 1; i < expected.length; i++) expected[i] += expected[i - 1];
        const buckets = (await h.get()).values.filter((v) => v.metricName === 'h_bucket').map((v) => v.value);
        assert.deepEqual(buckets, expected);
      }),
      { numRuns: 300 },
    );
  });

  test('default buckets are prom-client’s', () => {
    assert.deepEqual(new Histogram({ name: 'h', help: 'h', registers: [] }).upperBounds, [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);
    assert.deepEqual(DEFAULT_BUCKETS, [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);
  });

  test('zero() exposes a label set with zero counts before its first observation', async () => {
    const registry = new Registry();
    const h = new Histogram({ name: 'h', help: 'h', labelNames: ['route'], buckets: [1], registers: [registry] });
    h.zero({ route: '/a' });
    const parsed = await scrape(registry);
    assert.equal(sampleValue(parsed, 'h_bucket', { route: '/a', le: '1' }), 0);
    assert.equal(sampleValue(parsed, 'h_bucket', { route: '/a', le: '+Inf' }), 0);
    assert.equal(sampleValue(parsed, 'h_count', { route: '/a' }), 0);
    assert.equal(sampleValue(parsed, 'h_sum', { route: '/a' }), 0);
  });

  test('startTimer observes elapsed seconds; labels at start, end or both', async () => {
    const h = new Histogram({ name: 'h', help: 'h', labelNames: ['a', 'b'], buckets: linearBuckets(0.001, 0.001, 5), registers: [] });
    const end = h.startTimer({ a: 'x' });
    await new Promise((r) => setTimeout(r, 5));
    const seconds = end({ b: 'y' });
    const child = h.labels('x', 'y');
    assert.equal(child.count, 1);
    assert.equal(child.sum, seconds);
    assert.ok(seconds > 0);
    const s2 = child.startTimer()();
    assert.equal(child.count, 2);
    assert.equal(child.sum, seconds + s2);
    const u = new Histogram({ name: 'u', help: 'h', registers: [] });
    u.startTimer()();
    assert.equal(u.labels().count, 1);
  });

  test('get() returns buckets, sum and count the way prom-client does, with exemplars', async () => {
    const h = new Histogram({ name: 'h', help: 'Help.', labelNames: ['m'], buckets: [1, 2], enableExemplars: true, registers: [] });
    h.observe({ labels: { m: 'x' }, value: 1.5, exemplarLabels: { trace_id: 't' } });
    const got = await h.get();
    assert.equal(got.type, 'histogram');
    assert.deepEqual(
      got.values.map((v) => [v.metricName, v.labels, v.value]),
      [
        ['h_bucket', { m: 'x', le: 1 }, 0],
        ['h_bucket', { m: 'x', le: 2 }, 1],
        ['h_bucket', { m: 'x', le: '+Inf' }, 1],
        ['h_sum', { m: 'x' }, 1.5],
        ['h_count', { m: 'x' }, 1],
      ],
    );
    assert.deepEqual(got.values[1].exemplar?.labelSet, { trace_id: 't' });
    assert.equal(got.values[1].exemplar?.value, 1.5);
  });

  test('with enableExemplars, observe(labels, value) still works', () => {
    const h = new Histogram({ name: 'h', help: 'h', labelNames: ['m'], buckets: [1], enableExemplars: true, registers: [] });
    h.observe({ m: 'x' }, 0.5);
    h.observe({ labels: { m: 'x' }, value: 0.5 });
    h.observe({ value: 3 });
    assert.equal(h.labels('x').count, 2);
    assert.equal(h.labels('').count, 1);
  });

  test('reset() and remove()', async () => {
    const h = new Histogram({ name: 'h', help: 'h', labelNames: ['a'], buckets: [1], registers: [] });
    h.observe({ a: 'x' }, 1);
    h.observe({ a: 'y' }, 1);
    h.remove('x');
    assert.deepEqual(
      (await h.get()).values.filter((v) => v.metricName === 'h_count').map((v) => v.labels),
      [{ a: 'y' }],
    );
    h.reset();
    assert.deepEqual((await h.get()).values, []);
  });

  test('a child kept across remove() and reset() brings its series back on the next write, as in prom-client', async () => {
    const h = new Histogram({ name: 'h', help: 'h', labelNames: ['a'], buckets: [1], registers: [] });
    const child = h.labels('x');
    child.observe(0.5);
    h.remove('x');
    child.observe(2);
    h.reset();
    child.observe(3);
    const counts = (await h.get()).values.filter((v) => v.metricName === 'h_count');
    assert.deepEqual(
      counts.map((v) => [v.labels, v.value]),
      [[{ a: 'x' }, 1]],
    );
  });
});

/** The reported q-quantile of an unlabelled summary, through the public get(). */
async function quantileOf(s: Summary, q: number): Promise<number> {
  const found = (await s.get()).values.find((v) => v.labels.quantile === q);
  if (found === undefined) throw new Error(`no quantile ${q}`);
  return found.value;
}

describe('Summary', () => {
  test('quantiles, sum and count', async () => {
    const registry = new Registry();
    const s = new Summary({ name: 's', help: 'h', percentiles: [0.5, 0.9, 0.99], registers: [registry] });
    for (let i = 1; i <= 100; i++) s.observe(i);
    const parsed = await scrape(registry);
    assert.equal(sampleValue(parsed, 's_count'), 100);
    assert.equal(sampleValue(parsed, 's_sum'), 5050);
    const q = (x: string) => sampleValue(parsed, 's', { quantile: x }) ?? NaN;
    assert.ok(Math.abs(q('0.5') - 50.5) <= 1, `p50 ${q('0.5')}`);
    assert.ok(Math.abs(q('0.9') - 90.5) <= 1, `p90 ${q('0.9')}`);
    assert.ok(Math.abs(q('0.99') - 99.5) <= 1, `p99 ${q('0.99')}`);
  });

  test('default percentiles are prom-client’s, sorted', () => {
    assert.deepEqual(new Summary({ name: 's', help: 'h', registers: [] }).percentiles, [0.01, 0.05, 0.5, 0.9, 0.95, 0.99, 0.999]);
    assert.deepEqual(new Summary({ name: 's', help: 'h', percentiles: [0.9, 0.1], registers: [] }).percentiles, [0.1, 0.9]);
  });

  test('quantiles of an empty summary are 0, as in prom-client', async () => {
    const registry = new Registry();
    new Summary({ name: 's', help: 'h', percentiles: [0.5], registers: [registry] });
    const parsed = await scrape(registry);
    assert.equal(sampleValue(parsed, 's', { quantile: '0.5' }), 0);
    assert.equal(sampleValue(parsed, 's_count'), 0);
  });

  test('property: quantile estimates stay close on large random data', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.double({ min: 0, max: 1000, noNaN: true }), { minLength: 2000, maxLength: 5000 }), async (values) => {
        const s = new Summary({ name: 's', help: 'h', percentiles: [0.01, 0.5, 0.99], registers: [] });
        for (const v of values) s.observe(v);
        const sorted = [...values].sort((a, b) => a - b);
        for (const q of [0.01, 0.5, 0.99]) {
          const estimate = await quantileOf(s, q);
          // Rank error: q must lie within 2% of the estimate's rank range. With repeated
          // values (fast-check favours 0 and the bounds) a value spans a range of ranks:
          // [share below it, share at or below it].
          const below = sorted.filter((v) => v < estimate).length / sorted.length;
          const atOrBelow = sorted.filter((v) => v <= estimate).length / sorted.length;
          const error = q < below ? below - q : q > atOrBelow ? q - atOrBelow : 0;
          assert.ok(error <= 0.02, `q=${q}: estimate ${estimate} has ranks ${below}..${atOrBelow}`);
        }
      }),
      // Shrinking arrays of thousands of doubles takes minutes: report the failing case as is.
      { numRuns: 20, endOnFailure: true },
    );
  });

  test('maxAgeSeconds: quantiles forget observations older than the window; sum and count do not', async (t) => {
    t.mock.timers.enable({ apis: ['Date'], now: 1_000_000 });
    const s = new Summary({ name: 's', help: 'h', percentiles: [0.5], maxAgeSeconds: 10, ageBuckets: 2, registers: [] });
    s.observe(100);
    assert.equal(await quantileOf(s, 0.5), 100);
    t.mock.timers.tick(6_000);
    s.observe(1);
    t.mock.timers.tick(6_000);
    assert.equal(await quantileOf(s, 0.5), 1, 'the first observation aged out');
    t.mock.timers.tick(20_000);
    assert.equal(await quantileOf(s, 0.5), 0, 'everything aged out');
    const values = (await s.get()).values;
    assert.equal(values.find((v) => v.metricName === 's_count')?.value, 2);
    assert.equal(values.find((v) => v.metricName === 's_sum')?.value, 101);
  });

  test('pruneAgedBuckets drops label sets with nothing left in the window', async (t) => {
    t.mock.timers.enable({ apis: ['Date'], now: 1_000_000 });
    const registry = new Registry();
    const s = new Summary({
      name: 's',
      help: 'h',
      labelNames: ['a'],
      percentiles: [0.5],
      maxAgeSeconds: 10,
      ageBuckets: 2,
      pruneAgedBuckets: true,
      registers: [registry],
    });
    s.observe({ a: 'old' }, 1);
    t.mock.timers.tick(30_000);
    s.observe({ a: 'new' }, 2);
    const parsed = await scrape(registry);
    assert.equal(sampleValue(parsed, 's_count', { a: 'old' }), undefined);
    assert.equal(sampleValue(parsed, 's_count', { a: 'new' }), 1);
    assert.deepEqual(
      (await s.get()).values.filter((v) => v.metricName === 's_count').map((v) => v.labels),
      [{ a: 'new' }],
    );
  });

  test('startTimer and children', async () => {
    const s = new Summary({ name: 's', help: 'h', labelNames: ['a'], registers: [] });
    const end = s.startTimer();
    const seconds = end({ a: 'x' });
    const child = s.labels('x');
    const second = child.startTimer()();
    child.observe(1);
    const values = (await s.get()).values;
    assert.equal(values.find((v) => v.metricName === 's_count')?.value, 3);
    assert.equal(values.find((v) => v.metricName === 's_sum')?.value, seconds + second + 1);
  });

  test('get() returns quantiles, sum and count the way prom-client does', async () => {
    const s = new Summary({ name: 's', help: 'h', labelNames: ['a'], percentiles: [0.5], registers: [] });
    s.observe({ a: 'x' }, 3);
    const got = await s.get();
    assert.deepEqual(
      got.values.map((v) => [v.metricName, v.labels, v.value]),
      [
        [undefined, { a: 'x', quantile: 0.5 }, 3],
        ['s_sum', { a: 'x' }, 3],
        ['s_count', { a: 'x' }, 1],
      ],
    );
  });

  test('OpenMetrics: quantile labels in canonical form, _created on request', async () => {
    const registry = new Registry();
    const s = new Summary({ name: 's', help: 'h', percentiles: [0, 0.5, 1], registers: [registry] });
    s.observe(2);
    const parsed = await scrape(registry, 'openmetrics', { created: true });
    assert.deepEqual(
      familyOf(parsed, 's').samples.map((x) => [x.name, x.labels]),
      [
        ['s', { quantile: '0.0' }],
        ['s', { quantile: '0.5' }],
        ['s', { quantile: '1.0' }],
        ['s_sum', {}],
        ['s_count', {}],
        ['s_created', {}],
      ],
    );
  });
});
