/**
 * prom-client 15's public API (its index.d.ts is the checklist), scenario by scenario,
 * through both libraries: same thrown-or-not, same parsed exposition, same
 * getMetricsAsJSON() and get(). Deliberate differences are asserted as such in
 * deliberate-differences.test.ts and listed in docs/api.md.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { observeBoth, type Scenario } from './differential.js';

const OPENMETRICS = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

async function same(scenario: Scenario, contentType?: string): Promise<void> {
  const both = await observeBoth(scenario, contentType);
  assert.deepStrictEqual(both.promkit, both['prom-client']);
}

async function bothThrow(scenario: Scenario): Promise<void> {
  const both = await observeBoth(scenario);
  assert.equal(both['prom-client'].threw, true, 'prom-client throws');
  assert.equal(both.promkit.threw, true, 'promkit throws');
}

describe('Counter', () => {
  test('inc, labels (positional, record), numeric label values, remove, reset, get', () =>
    same((lib, r) => {
      const c = new lib.Counter({ name: 'req_total', help: 'Requests.', labelNames: ['method', 'code'], registers: [r] });
      c.inc({ method: 'GET', code: 200 });
      c.inc({ method: 'GET', code: 200 }, 4);
      c.labels('POST', 500).inc();
      c.labels({ method: 'PUT', code: '201' }).inc(3);
      c.inc({ method: 'ONLY' }, 2);
      c.labels('DELETE', 204).inc();
      c.remove('DELETE', 204);
      c.labels('PATCH', 200).inc();
      c.remove({ method: 'PATCH', code: 200 });
      const u = new lib.Counter({ name: 'plain_total', help: 'Plain.', registers: [r] });
      u.inc();
      u.inc(0.5);
      const z = new lib.Counter({ name: 'reset_total', help: 'Reset.', labelNames: ['x'], registers: [r] });
      z.inc({ x: 'a' });
      z.reset();
      z.inc({ x: 'b' }, 7);
      const zu = new lib.Counter({ name: 'reset_unlabelled_total', help: 'Reset.', registers: [r] });
      zu.inc(5);
      zu.reset();
    }));

  test('exemplars in OpenMetrics', () =>
    same((lib, r) => {
      const c = new lib.Counter({ name: 'jobs_total', help: 'Jobs.', labelNames: ['q'], enableExemplars: true, registers: [r] });
      c.inc({ labels: { q: 'a' }, value: 2, exemplarLabels: { trace_id: 'abc' } });
      c.inc({ labels: { q: 'b' } });
    }, OPENMETRICS));

  test('a negative increment throws', () => bothThrow((lib, r) => new lib.Counter({ name: 'c', help: 'h', registers: [r] }).inc(-1)));
  test('a label that was not declared throws', () =>
    bothThrow((lib, r) => new lib.Counter({ name: 'c', help: 'h', labelNames: ['a'], registers: [r] }).inc({ b: 'x' })));
  test('the wrong number of positional label values throws', () =>
    bothThrow((lib, r) => new lib.Counter({ name: 'c', help: 'h', labelNames: ['a', 'b'], registers: [r] }).labels('x')));
});

describe('Gauge', () => {
  test('set, inc, dec, NaN and infinities, children, remove, reset', () =>
    same((lib, r) => {
      const g = new lib.Gauge({ name: 'temp', help: 'T.', labelNames: ['room'], registers: [r] });
      g.set({ room: 'a' }, 21.5);
      g.inc({ room: 'a' });
      g.dec({ room: 'b' }, 3);
      g.labels('c').set(-Infinity);
      g.labels('d').set(Infinity);
      g.labels({ room: 'e' }).set(NaN);
      g.labels('f').inc(5);
      g.labels('f').dec(2);
      g.remove('f');
      const u = new lib.Gauge({ name: 'level', help: 'L.', registers: [r] });
      u.set(10);
      u.dec();
      u.inc(0.5);
      const z = new lib.Gauge({ name: 'reset_me', help: 'R.', labelNames: ['x'], registers: [r] });
      z.set({ x: 1 }, 3);
      z.reset();
    }));

  test('startTimer and setToCurrentTime record something positive on the right series', async () => {
    const both = await observeBoth(async (lib, r) => {
      const g = new lib.Gauge({ name: 'duration', help: 'D.', labelNames: ['a', 'b'], registers: [r] });
      const end = g.startTimer({ a: 'x' });
      const seconds = end({ b: 'y' });
      g.setToCurrentTime({ a: 'now', b: 'n' });
      const values = (await g.get()).values;
      // Timings differ between runs: compare where they landed and that they are sane.
      return { positive: seconds >= 0, labels: values.map((v: any) => v.labels), sane: values.every((v: any) => v.value >= 0) };
    });
    // The values are wall-clock: compare where they landed, not what they are.
    assert.deepStrictEqual(both.promkit.extra, both['prom-client'].extra);
    assert.deepStrictEqual(both.promkit.extra, {
      positive: true,
      labels: [
        { a: 'x', b: 'y' },
        { a: 'now', b: 'n' },
      ],
      sane: true,
    });
  });
});

describe('Histogram', () => {
  test('observe, custom and generated buckets, le boundaries, zero, labels, remove, reset', () =>
    same((lib, r) => {
      const h = new lib.Histogram({ name: 'latency_seconds', help: 'L.', labelNames: ['route'], buckets: [0.1, 0.5, 1, 2.5], registers: [r] });
      for (const v of [0.05, 0.1, 0.3, 0.5, 0.75, 1, 2, 2.5, 3, 100]) h.observe({ route: '/a' }, v);
      h.labels('/b').observe(0.2);
      h.labels({ route: 404 }).observe(-1);
      h.zero({ route: '/zero' });
      h.labels('/gone').observe(1);
      h.remove('/gone');
      new lib.Histogram({ name: 'default_buckets', help: 'D.', registers: [r] }).observe(0.007);
      new lib.Histogram({ name: 'linear', help: 'L.', buckets: lib.linearBuckets(1, 0.5, 4), registers: [r] }).observe(2);
      new lib.Histogram({ name: 'exponential', help: 'E.', buckets: lib.exponentialBuckets(0.001, 10, 5), registers: [r] }).observe(0.05);
      const z = new lib.Histogram({ name: 'reset_me', help: 'R.', labelNames: ['x'], buckets: [1], registers: [r] });
      z.observe({ x: 'a' }, 1);
      z.reset();
    }));

  test('exemplars on buckets in OpenMetrics', () =>
    same((lib, r) => {
      const h = new lib.Histogram({ name: 'size_bytes', help: 'S.', labelNames: ['m'], buckets: [1, 10, 100], enableExemplars: true, registers: [r] });
      h.observe({ labels: { m: 'x' }, value: 5, exemplarLabels: { trace_id: 't1' } });
      h.observe({ labels: { m: 'x' }, value: 50 });
    }, OPENMETRICS));

  test('startTimer(labels, exemplarLabels) and end(labels, exemplarLabels) record the merged exemplar', async () => {
    const both = await observeBoth(async (lib, r) => {
      const h = new lib.Histogram({ name: 'timed_seconds', help: 'T.', labelNames: ['m'], buckets: [1000], enableExemplars: true, registers: [r] });
      h.startTimer({ m: 'timed' }, { trace_id: 'start' })({}, { span_id: 'end' });
      const values = (await h.get()).values;
      return values.filter((v: any) => v.exemplar).map((v: any) => [v.labels, v.exemplar.labelSet]);
    }, OPENMETRICS);
    // The observed duration is wall-clock: compare where the exemplar landed and its labels.
    assert.deepStrictEqual(both.promkit.extra, both['prom-client'].extra);
    assert.deepStrictEqual(both.promkit.extra, [
      [
        { m: 'timed', le: 1000 },
        { trace_id: 'start', span_id: 'end' },
      ],
    ]);
  });

  test('le as a label name throws', () => bothThrow((lib, r) => new lib.Histogram({ name: 'h', help: 'h', labelNames: ['le'], registers: [r] })));
  test('a non-finite observation throws', () => bothThrow((lib, r) => new lib.Histogram({ name: 'h', help: 'h', registers: [r] }).observe(NaN)));
});

describe('Summary', () => {
  test('quantiles of small samples, labels, sum and count (p50 of [100,100,100,50,50] is 80)', () =>
    same((lib, r) => {
      const s = new lib.Summary({ name: 'rpc_seconds', help: 'S.', labelNames: ['m'], percentiles: [0.1, 0.5, 0.9, 0.99], registers: [r] });
      for (const v of [100, 100, 100, 50, 50]) s.observe({ m: 'x' }, v);
      for (let i = 1; i <= 37; i++) s.labels('y').observe((i * 7919) % 101);
      s.labels({ m: 'one' }).observe(4);
      new lib.Summary({ name: 'default_percentiles', help: 'S.', registers: [r] }).observe(1);
    }));

  test('an empty summary and one after reset() report quantiles of 0', () =>
    same((lib, r) => {
      new lib.Summary({ name: 'empty', help: 'E.', percentiles: [0.5], registers: [r] });
      const s = new lib.Summary({ name: 'was_reset', help: 'R.', labelNames: ['a'], percentiles: [0.5], registers: [r] });
      s.observe({ a: 'x' }, 3);
      s.reset();
      const u = new lib.Summary({ name: 'was_reset_unlabelled', help: 'R.', percentiles: [0.5], registers: [r] });
      u.observe(3);
      r.resetMetrics();
    }));

  test('pruneAgedBuckets hides an unlabelled summary with nothing in its window', () =>
    same((lib, r) => {
      new lib.Summary({ name: 'pruned', help: 'P.', maxAgeSeconds: 60, ageBuckets: 2, pruneAgedBuckets: true, registers: [r] });
      new lib.Summary({ name: 'pruned_labelled', help: 'P.', labelNames: ['a'], maxAgeSeconds: 60, ageBuckets: 2, pruneAgedBuckets: true, registers: [r] });
    }));

  test('quantile as a label name throws', () => bothThrow((lib, r) => new lib.Summary({ name: 's', help: 'h', labelNames: ['quantile'], registers: [r] })));
});

describe('Registry', () => {
  test('default labels, removeSingleMetric, getSingleMetricAsString, resetMetrics', () =>
    same(async (lib, r) => {
      r.setDefaultLabels({ service: 'api', region: 'eu' });
      new lib.Counter({ name: 'c_total', help: 'C.', labelNames: ['region'], registers: [r] }).inc({ region: 'us' }, 2);
      new lib.Histogram({ name: 'h', help: 'H.', buckets: [1], registers: [r] }).observe(0.5);
      new lib.Gauge({ name: 'removed', help: 'G.', registers: [r] }).set(1);
      r.removeSingleMetric('removed');
      return { removed: r.getSingleMetric('removed') === undefined, names: r.getMetricsAsArray().map((m: any) => m.name) };
    }));

  test('a custom collector in plain-object form is exposed and in getMetricsAsJSON', () =>
    same((_lib, r) => {
      r.registerMetric({
        name: 'custom_things',
        help: 'Custom.',
        type: 'gauge',
        aggregator: 'sum',
        get: async () => ({
          name: 'custom_things',
          help: 'Custom.',
          type: 'gauge',
          aggregator: 'sum',
          values: [
            { value: 3, labels: { kind: 'a' } },
            { value: 4, labels: { kind: 'b' } },
          ],
        }),
      });
    }));

  test('registering a second metric of the same name throws; the same one again does not', () =>
    same((lib, r) => {
      const c = new lib.Counter({ name: 'dup_total', help: 'h', registers: [r] });
      r.registerMetric(c);
      let threw = false;
      try {
        new lib.Gauge({ name: 'dup_total', help: 'h', registers: [r] });
      } catch {
        threw = true;
      }
      let threwCustom = false;
      const custom = { name: 'x', help: 'h', get: () => ({ name: 'x', help: 'h', type: 'gauge', values: [], aggregator: 'sum' }) };
      r.registerMetric(custom);
      try {
        r.registerMetric({ ...custom });
      } catch {
        threwCustom = true;
      }
      return { threw, threwCustom };
    }));

  test('merge, clear, content types', () =>
    same((lib, r) => {
      const a = new lib.Registry();
      const b = new lib.Registry();
      new lib.Counter({ name: 'a_total', help: 'A.', registers: [a] }).inc();
      new lib.Gauge({ name: 'b', help: 'B.', registers: [b] }).set(2);
      const merged = lib.Registry.merge([a, b]);
      for (const m of merged.getMetricsAsArray()) r.registerMetric(m);
      const cleared = new lib.Registry();
      new lib.Gauge({ name: 'gone', help: 'G.', registers: [cleared] });
      cleared.clear();
      const om = new lib.Registry(lib.Registry.OPENMETRICS_CONTENT_TYPE);
      om.setContentType(lib.Registry.PROMETHEUS_CONTENT_TYPE);
      return {
        cleared: cleared.getMetricsAsArray().length,
        contentType: lib.contentType,
        constants: [lib.prometheusContentType, lib.openMetricsContentType, lib.Registry.PROMETHEUS_CONTENT_TYPE, lib.Registry.OPENMETRICS_CONTENT_TYPE],
        switched: om.contentType,
      };
    }));

  test('merging registries of different content types throws', () =>
    bothThrow((lib) => lib.Registry.merge([new lib.Registry(), new lib.Registry(lib.Registry.OPENMETRICS_CONTENT_TYPE)])));
  test('an unknown content type throws', () => bothThrow((lib) => new lib.Registry('text/plain')));
  test('setContentType with an unknown type throws', () => bothThrow((lib) => new lib.Registry().setContentType('application/json')));
  test('an invalid metric name throws', () => bothThrow((lib, r) => new lib.Gauge({ name: '1bad', help: 'h', registers: [r] })));
  test('a missing help throws', () => bothThrow((lib, r) => new lib.Gauge({ name: 'g', registers: [r] })));
  test('an invalid label name throws', () => bothThrow((lib, r) => new lib.Gauge({ name: 'g', help: 'h', labelNames: ['a-b'], registers: [r] })));

  test('OpenMetrics registry: counters, histograms, gauges, summaries', () =>
    same((lib, r) => {
      new lib.Counter({ name: 'jobs_total', help: 'Jobs.', labelNames: ['q'], registers: [r] }).inc({ q: 'a' }, 2);
      new lib.Counter({ name: 'bare', help: 'No suffix.', registers: [r] }).inc();
      const h = new lib.Histogram({ name: 'size_bytes', help: 'Sizes.', buckets: [1, 10, 100], registers: [r] });
      h.observe(5);
      h.observe(50);
      new lib.Gauge({ name: 'level', help: 'Level.', registers: [r] }).set(-2);
      new lib.Summary({ name: 'lat', help: 'Lat.', percentiles: [0.5], registers: [r] }).observe(2);
    }, OPENMETRICS));
});

describe('AggregatorRegistry.aggregate and aggregators', () => {
  test('each aggregator over the JSON of three registries', () =>
    same(async (lib, r) => {
      const jsons: unknown[] = [];
      for (let i = 1; i <= 3; i++) {
        const w = new lib.Registry();
        new lib.Counter({ name: 'c_total', help: 'C.', labelNames: ['q'], registers: [w] }).inc({ q: 'a' }, i);
        for (const aggregator of ['sum', 'first', 'min', 'max', 'average', 'omit']) {
          new lib.Gauge({ name: `g_${aggregator}`, help: aggregator, aggregator, registers: [w] }).set(i * 10);
        }
        const h = new lib.Histogram({ name: 'h', help: 'H.', labelNames: ['m'], buckets: [1, 2], registers: [w] });
        h.observe({ m: 'x' }, i);
        const s = new lib.Summary({ name: 's', help: 'S.', percentiles: [0.5], registers: [w] });
        s.observe(i);
        jsons.push(await w.getMetricsAsJSON());
      }
      const aggregated = lib.AggregatorRegistry.aggregate(jsons);
      for (const m of aggregated.getMetricsAsArray()) r.registerMetric(m);
      const direct = lib.aggregators.max([
        { name: 'x', help: 'h', type: 'gauge', aggregator: 'max', values: [{ value: 1, labels: { a: 1 } }] },
        {
          name: 'x',
          help: 'h',
          type: 'gauge',
          aggregator: 'max',
          values: [
            { value: 5, labels: { a: 1 } },
            { value: 2, labels: { a: 2 } },
          ],
        },
      ]);
      return { direct, omit: lib.aggregators.omit([]) ?? null };
    }));

  test('an unknown aggregator throws', () =>
    bothThrow((lib) => lib.AggregatorRegistry.aggregate([[{ name: 'x', help: 'h', type: 'gauge', aggregator: 'median', values: [] }]])));

  test('setRegistries refuses what is not a Registry', () => bothThrow((lib) => lib.AggregatorRegistry.setRegistries([{}])));
});

describe('timers', () => {
  // express-prom-bundle calls startTimer(labels) when a request arrives and fills that same
  // object (status_code, method, path) when the response is finished: prom-client reads the
  // labels when the timer ends, so the duration lands on the filled-in series.
  test('startTimer(labels) reads the labels object when the timer ends, not when it starts', async () => {
    const both = await observeBoth(async (lib, r) => {
      const h = new lib.Histogram({ name: 'h_seconds', help: 'h', labelNames: ['code', 'method'], buckets: [1000], registers: [r] });
      const s = new lib.Summary({ name: 's_seconds', help: 'h', labelNames: ['code'], percentiles: [0.5], registers: [r] });
      const g = new lib.Gauge({ name: 'g_seconds', help: 'h', labelNames: ['code'], registers: [r] });
      const filledLater: Array<[any, Record<string, string>]> = [
        [h, { code: '200', method: 'GET' }],
        [s, { code: '503' }],
        [g, { code: '201' }],
      ];
      const series: unknown[] = [];
      for (const [metric, filled] of filledLater) {
        const labels: Record<string, string> = {};
        const end = metric.startTimer(labels);
        Object.assign(labels, filled);
        end();
        const values = (await metric.get()).values.filter((v: any) => v.labels.quantile === undefined && (v.metricName ?? '_count').endsWith('_count'));
        series.push(values.map((v: any) => v.labels));
      }
      return series;
    });
    assert.deepStrictEqual(both.promkit.extra, both['prom-client'].extra);
    assert.deepStrictEqual(both.promkit.extra, [[{ code: '200', method: 'GET' }], [{ code: '503' }], [{ code: '201' }]]);
  });
});

describe('enableExemplars and the registry content type', () => {
  // Exemplars exist only in OpenMetrics: prom-client refuses them on a text 0.0.4 registry.
  test('a counter with exemplars on a text registry throws', () =>
    bothThrow((lib, r) => new lib.Counter({ name: 'c_total', help: 'h', enableExemplars: true, registers: [r] })));
  test('a histogram with exemplars on a text registry throws', () =>
    bothThrow((lib, r) => new lib.Histogram({ name: 'h', help: 'h', enableExemplars: true, registers: [r] })));
  test('the global registry (text by default) refuses them too', () =>
    bothThrow((lib) => new lib.Counter({ name: 'c_global_total', help: 'h', enableExemplars: true })));
  test('no registry at all (registers: []) is fine', () =>
    same((lib) => {
      const c = new lib.Counter({ name: 'c_total', help: 'h', enableExemplars: true, registers: [] });
      c.inc({ value: 2, exemplarLabels: { trace_id: 'a' } });
      return c.get();
    }));
  test('a registry switched to OpenMetrics with setContentType() takes them', () =>
    same((lib, r) => {
      r.setContentType(lib.Registry.OPENMETRICS_CONTENT_TYPE);
      new lib.Counter({ name: 'c_total', help: 'h', enableExemplars: true, registers: [r] }).inc({ value: 1, exemplarLabels: { trace_id: 'b' } });
    }));
});

describe('helpers', () => {
  test('linearBuckets, exponentialBuckets, validateMetricName', () =>
    same((l) => ({
      linear: [l.linearBuckets(0, 1, 1), l.linearBuckets(0.1, 0.1, 10), l.linearBuckets(-5, 2.5, 7)],
      exponential: [l.exponentialBuckets(1, 2, 1), l.exponentialBuckets(0.001, 10, 6), l.exponentialBuckets(0.005, 1.5, 12)],
      names: ['a', 'a_b:c', '_x', ':colon', 'with space', '1starts', 'dash-ed', ''].map((n) => l.validateMetricName(n)),
    })));
  test('bad bucket generator arguments throw', () => bothThrow((l) => l.linearBuckets(0, 1, 0)));
});
