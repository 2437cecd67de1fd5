/**
 * The cardinality guard: `maxSeries` caps a metric's labelled series. Past it a new label
 * set is folded into the overflow series (default) or refused, counted in
 * promkit_series_limited_total{metric} and logged once per metric.
 */
import { captureEngineLogs } from './engine-logs.js';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Counter, Gauge, Histogram, Registry, SERIES_LIMITED_METRIC, SERIES_OVERFLOW_VALUE, SeriesLimitError } from '../../src/index.js';
import { familyOf, scrape, sampleValue } from '../exposition/helpers.js';

async function silenced<T>(run: () => T): Promise<{ result: T; warnings: string[] }> {
  const { result, lines } = await captureEngineLogs(run);
  return { result, warnings: lines.filter((l) => l.level === 'warn').map((l) => l.message) };
}

describe('maxSeries', () => {
  test('past the limit new label sets fold into the overflow series; totals stay right; counted and logged once', async () => {
    const registry = new Registry();
    const { warnings } = await silenced(() => {
      const requests = new Counter({ name: 'req_total', help: 'Requests.', labelNames: ['user', 'code'], maxSeries: 3, registers: [registry] });
      for (let i = 0; i < 10; i++) requests.inc({ user: `u${i}`, code: '200' }, i + 1);
      requests.inc({ user: 'u0', code: '200' }); // an admitted series keeps working
    });
    assert.equal(warnings.length, 1);
    assert.match(
      warnings[0],
      /metric 'req_total' reached its limit of 3 series; further new label sets are folded into the series with user="__overflow__",code="__overflow__"/,
    );
    const parsed = await scrape(registry);
    const family = familyOf(parsed, 'req_total');
    assert.equal(family.samples.length, 4);
    assert.equal(sampleValue(parsed, 'req_total', { user: 'u0', code: '200' }), 2);
    assert.equal(sampleValue(parsed, 'req_total', { user: 'u2', code: '200' }), 3);
    // u3..u9 contributed 4 + 5 + ... + 10.
    assert.equal(sampleValue(parsed, 'req_total', { user: SERIES_OVERFLOW_VALUE, code: SERIES_OVERFLOW_VALUE }), 49);
    assert.equal(
      family.samples.reduce((sum, s) => sum + s.value, 0),
      1 + 55,
    );
    assert.equal(sampleValue(parsed, SERIES_LIMITED_METRIC, { metric: 'req_total' }), 7);
  });

  test('a removed series frees its place for a new label set', async () => {
    const registry = new Registry();
    await silenced(() => {
      const g = new Gauge({ name: 'g', help: 'G.', labelNames: ['k'], maxSeries: 2, registers: [registry] });
      g.set({ k: 'a' }, 1);
      g.set({ k: 'b' }, 2);
      g.set({ k: 'c' }, 3); // folded
      g.remove('a');
      g.set({ k: 'd' }, 4); // admitted: only b is left besides the overflow series
    });
    const parsed = await scrape(registry);
    assert.deepEqual(
      familyOf(parsed, 'g').samples.map((s) => [s.labels.k, s.value]),
      [
        ['b', 2],
        [SERIES_OVERFLOW_VALUE, 3],
        ['d', 4],
      ],
    );
  });

  test('a child held across remove() writes to the overflow series when its place was taken', async () => {
    const registry = new Registry();
    await silenced(() => {
      const h = new Histogram({ name: 'lat', help: 'L.', labelNames: ['route'], buckets: [1], maxSeries: 1, registers: [registry] });
      const child = h.labels('/a');
      child.observe(0.5);
      h.remove('/a');
      h.observe({ route: '/b' }, 0.5); // takes the one place
      child.observe(2); // /a would be new again: folded
    });
    const parsed = await scrape(registry, 'openmetrics');
    assert.equal(sampleValue(parsed, 'lat_count', { route: '/b' }), 1);
    assert.equal(sampleValue(parsed, 'lat_count', { route: SERIES_OVERFLOW_VALUE }), 1);
    assert.equal(sampleValue(parsed, 'lat_bucket', { route: SERIES_OVERFLOW_VALUE, le: '+Inf' }), 1);
    assert.equal(sampleValue(parsed, 'promkit_series_limited_total', { metric: 'lat' }), 1);
  });

  test("onSeriesLimit: 'refuse' throws a SeriesLimitError naming the metric and label set; existing series keep working", async () => {
    const registry = new Registry();
    const c = new Counter({ name: 'jobs_total', help: 'Jobs.', labelNames: ['queue'], maxSeries: 1, onSeriesLimit: 'refuse', registers: [registry] });
    c.inc({ queue: 'a' });
    const { warnings } = await silenced(() => {
      assert.throws(
        () => c.inc({ queue: 'b' }),
        (e: unknown) =>
          e instanceof SeriesLimitError && /metric 'jobs_total': limit of 1 series reached; the new label set \{queue="b"\} is refused/.test(e.message),
      );
      assert.throws(() => c.labels('c'), SeriesLimitError);
    });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /refused with a SeriesLimitError/);
    c.inc({ queue: 'a' });
    const json = await registry.getMetricsAsJSON();
    assert.deepEqual(
      json.find((m) => m.name === 'jobs_total')!.values.map((v) => [v.labels.queue, v.value]),
      [['a', 2]],
    );
    assert.deepEqual(json.find((m) => m.name === SERIES_LIMITED_METRIC)!.values, [{ value: 2, labels: { metric: 'jobs_total' } }]);
  });

  test('no limit, no family: promkit_series_limited_total appears only once something was turned away', async () => {
    const registry = new Registry();
    const g = new Gauge({ name: 'few', help: 'F.', labelNames: ['k'], maxSeries: 5, registers: [registry] });
    for (const k of ['a', 'b', 'c']) g.set({ k }, 1);
    assert.equal(
      (await scrape(registry)).families.some((f) => f.name === SERIES_LIMITED_METRIC),
      false,
    );
  });

  const bad: Array<[string, Record<string, unknown>, RegExp]> = [
    ['zero', { maxSeries: 0 }, /maxSeries must be a whole number >= 1, got 0/],
    ['fraction', { maxSeries: 1.5 }, /got 1.5/],
    ['string', { maxSeries: '10' }, /got 10/],
    ['unknown action', { maxSeries: 2, onSeriesLimit: 'drop' }, /onSeriesLimit must be 'overflow' or 'refuse', got "drop"/],
    ['action without limit', { onSeriesLimit: 'refuse' }, /onSeriesLimit needs maxSeries/],
  ];
  for (const [what, options, message] of bad) {
    test(`rejects a bad option: ${what}`, () => {
      assert.throws(
        () => new Gauge({ name: 'x', help: 'X.', labelNames: ['k'], registers: [], ...options } as never),
        (e: unknown) => e instanceof TypeError && message.test(e.message) && e.message.includes("metric 'x'"),
      );
    });
  }
});
