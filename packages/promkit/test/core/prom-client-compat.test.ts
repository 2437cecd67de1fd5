/**
 * Runs the same operations against prom-client 15 and promkit and compares the parsed
 * exposition: same families, types, help, series and values. This is what "switch by
 * changing one import" means in practice.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createRequire } from 'node:module';
import * as promClient from 'prom-client';
import * as promkit from '../../src/index.js';
import { parseExposition, type ParsedExposition } from '../../src/exposition/parser.js';
import { seriesValues } from '../exposition/helpers.js';

/**
 * The part of the API both libraries share, typed loosely on purpose: the scenarios
 * below are written once and run against either module.
 */
interface Lib {
  Counter: new (config: object) => any;
  Gauge: new (config: object) => any;
  Histogram: new (config: object) => any;
  Summary: new (config: object) => any;
  Registry: new (contentType?: string) => any;
  linearBuckets(start: number, width: number, count: number): number[];
  exponentialBuckets(start: number, factor: number, count: number): number[];
}

/** prom-client does not export validateLabelName from its root; its lib file has it. */
const promClientValidation = createRequire(import.meta.url)('prom-client/lib/validation') as { validateLabelName(names: string[]): boolean };

const libs: Record<'prom-client' | 'promkit', Lib> = { 'prom-client': promClient as unknown as Lib, promkit: promkit as unknown as Lib };

type Scenario = (lib: Lib, registry: any) => void | Promise<void>;

/** Families as [name, type, help], and every series with its value. */
function meaning(parsed: ParsedExposition) {
  return {
    families: parsed.families.map((f) => [f.name, f.type, f.help]),
    series: Object.fromEntries([...seriesValues(parsed)].sort(([a], [b]) => (a < b ? -1 : 1))),
  };
}

async function runBoth(scenario: Scenario, transform: (m: ReturnType<typeof meaning>) => unknown = (m) => m) {
  const out: Record<string, unknown> = {};
  for (const [name, lib] of Object.entries(libs)) {
    const registry = new lib.Registry();
    await scenario(lib, registry);
    const text: string = await registry.metrics();
    out[name] = transform(meaning(parseExposition(text, 'prometheus')));
  }
  return out as Record<keyof typeof libs, unknown>;
}

async function assertSameExposition(scenario: Scenario, transform?: (m: ReturnType<typeof meaning>) => unknown): Promise<void> {
  const both = await runBoth(scenario, transform);
  assert.deepEqual(both.promkit, both['prom-client']);
}

describe('same exposition as prom-client 15', () => {
  test('Counter: inc, labels (positional and record), numeric label values, remove, reset', () =>
    assertSameExposition((lib, registry) => {
      const plain = new lib.Counter({ name: 'plain_total', help: 'Plain counter.', registers: [registry] });
      plain.inc();
      plain.inc(2.5);
      const c = new lib.Counter({ name: 'requests_total', help: 'Requests "served" \\ by\ncode.', labelNames: ['method', 'code'], registers: [registry] });
      c.inc({ method: 'GET', code: 200 });
      c.inc({ method: 'GET', code: '200' }, 4);
      c.labels('POST', '500').inc();
      c.labels({ method: 'PUT', code: 201 }).inc(3);
      c.labels('DELETE', 204).inc();
      c.inc({ method: 'we"ird\\va\nlue', code: 0 }, 0);
      c.remove('DELETE', 204);
      c.labels('PATCH', 200).inc();
      c.remove({ method: 'PATCH', code: 200 });
      const r = new lib.Counter({ name: 'reset_total', help: 'Reset.', labelNames: ['x'], registers: [registry] });
      r.inc({ x: 'a' });
      r.reset();
      r.inc({ x: 'b' }, 7);
      new lib.Counter({ name: 'untouched_total', help: 'Never incremented.', labelNames: ['x'], registers: [registry] });
    }));

  test('Gauge: set, inc, dec, NaN and infinities, children', () =>
    assertSameExposition((lib, registry) => {
      const g = new lib.Gauge({ name: 'temperature', help: 'Gauge.', labelNames: ['room'], registers: [registry] });
      g.set({ room: 'a' }, 21.5);
      g.inc({ room: 'a' });
      g.inc({ room: 'a' }, 0.25);
      g.dec({ room: 'b' }, 3);
      g.dec({ room: 'b' });
      g.labels('c').set(-Infinity);
      g.labels('d').set(Infinity);
      g.labels({ room: 'e' }).set(NaN);
      g.labels('f').inc(5);
      g.labels('f').dec(2);
      const u = new lib.Gauge({ name: 'unlabelled', help: 'Gauge.', registers: [registry] });
      u.set(10);
      u.dec();
      u.inc(0.5);
    }));

  test('Histogram: observe, custom buckets, le boundaries, zero, labels, reset, remove', () =>
    assertSameExposition((lib, registry) => {
      const h = new lib.Histogram({
        name: 'latency_seconds',
        help: 'Latency.',
        labelNames: ['route'],
        buckets: [0.1, 0.5, 1, 2.5],
        registers: [registry],
      });
      for (const v of [0.05, 0.1, 0.3, 0.5, 0.75, 1, 2, 2.5, 3, 100]) h.observe({ route: '/a' }, v);
      h.labels('/b').observe(0.2);
      h.labels({ route: '/c' }).observe(-1);
      h.zero({ route: '/zero' });
      h.labels('/gone').observe(1);
      h.remove('/gone');
      const d = new lib.Histogram({ name: 'default_buckets', help: 'Default buckets.', registers: [registry] });
      d.observe(0.007);
      d.observe(42);
      const lin = new lib.Histogram({ name: 'linear', help: 'Linear.', buckets: lib.linearBuckets(1, 0.5, 4), registers: [registry] });
      lin.observe(2);
      const exp = new lib.Histogram({ name: 'exponential', help: 'Exponential.', buckets: lib.exponentialBuckets(0.001, 10, 5), registers: [registry] });
      exp.observe(0.05);
      const r = new lib.Histogram({ name: 'reset_me', help: 'Reset.', labelNames: ['x'], buckets: [1], registers: [registry] });
      r.observe({ x: 'a' }, 1);
      r.reset();
    }));

  test('Histogram with more buckets than the linear-scan limit', () =>
    assertSameExposition((lib, registry) => {
      const h = new lib.Histogram({ name: 'many_buckets', help: 'Many.', buckets: lib.linearBuckets(0, 1, 40), registers: [registry] });
      for (let v = -1; v <= 41; v += 0.5) h.observe(v);
    }));

  test('Summary: sum, count and quantile labels (quantile values of a constant series)', () =>
    assertSameExposition((lib, registry) => {
      const s = new lib.Summary({ name: 'rpc_seconds', help: 'Summary.', labelNames: ['m'], percentiles: [0.5, 0.9, 0.99], registers: [registry] });
      for (let i = 0; i < 50; i++) s.observe({ m: 'x' }, 2);
      s.labels('y').observe(4);
      const d = new lib.Summary({ name: 'default_percentiles', help: 'Summary.', registers: [registry] });
      d.observe(1);
    }));

  test('Summary quantiles are close to prom-client (different digests, same data)', async () => {
    const both = await runBoth(
      (lib, registry) => {
        const s = new lib.Summary({ name: 'spread', help: 'Summary.', percentiles: [0.1, 0.5, 0.9], registers: [registry] });
        for (let i = 1; i <= 1000; i++) s.observe(i);
      },
      (m) => m.series,
    );
    const ours = both.promkit as Record<string, number>;
    const theirs = both['prom-client'] as Record<string, number>;
    assert.deepEqual(Object.keys(ours), Object.keys(theirs));
    for (const key of Object.keys(theirs)) {
      assert.ok(Math.abs(ours[key] - theirs[key]) <= Math.max(1e-9, theirs[key] * 0.01), `${key}: promkit ${ours[key]}, prom-client ${theirs[key]}`);
    }
  });

  test('Registry: default labels, removeSingleMetric, resetMetrics', () =>
    assertSameExposition((lib, registry) => {
      registry.setDefaultLabels({ service: 'api', region: 'eu' });
      const c = new lib.Counter({ name: 'c_total', help: 'C.', labelNames: ['region'], registers: [registry] });
      c.inc({ region: 'us' }, 2);
      const h = new lib.Histogram({ name: 'h', help: 'H.', buckets: [1], registers: [registry] });
      h.observe(0.5);
      const g = new lib.Gauge({ name: 'removed', help: 'G.', registers: [registry] });
      g.set(1);
      registry.removeSingleMetric('removed');
      const reset = new lib.Gauge({ name: 'g', help: 'G.', registers: [registry] });
      reset.set(9);
    }));

  test('resetMetrics resets every metric the way prom-client does', () =>
    assertSameExposition((lib, registry) => {
      const c = new lib.Counter({ name: 'c_total', help: 'C.', labelNames: ['a'], registers: [registry] });
      c.inc({ a: 'x' });
      const u = new lib.Counter({ name: 'u_total', help: 'U.', registers: [registry] });
      u.inc(3);
      const g = new lib.Gauge({ name: 'g', help: 'G.', labelNames: ['a'], registers: [registry] });
      g.set({ a: 'x' }, 4);
      const h = new lib.Histogram({ name: 'h', help: 'H.', labelNames: ['a'], buckets: [1], registers: [registry] });
      h.observe({ a: 'x' }, 2);
      registry.resetMetrics();
      u.inc();
    }));

  test('reset of an unlabelled histogram: promkit exposes zeros where prom-client exposes nothing', async () => {
    const both = await runBoth((lib, registry) => {
      const h = new lib.Histogram({ name: 'h', help: 'H.', buckets: [1], registers: [registry] });
      h.observe(2);
      h.reset();
    });
    assert.deepEqual((both['prom-client'] as { series: object }).series, {});
    // A deliberate difference: like counters and gauges, the unlabelled series stays exposed.
    assert.deepEqual((both.promkit as { series: object }).series, { 'h_bucket{le="+Inf"}': 0, 'h_bucket{le="1"}': 0, 'h_count{}': 0, 'h_sum{}': 0 });
  });

  test('Registry.merge exposes the metrics of every registry', async () => {
    const both = await runBoth(async (lib, registry) => {
      const a = new lib.Registry();
      const b = new lib.Registry();
      new lib.Counter({ name: 'a_total', help: 'A.', registers: [a] }).inc();
      new lib.Gauge({ name: 'b', help: 'B.', registers: [b] }).set(2);
      const merged = lib.Registry === promkit.Registry ? promkit.Registry.merge([a, b]) : promClient.Registry.merge([a, b]);
      for (const m of merged.getMetricsAsArray()) registry.registerMetric(m);
    });
    assert.deepEqual(both.promkit, both['prom-client']);
  });

  test('getMetricsAsJSON has the same shape (label values compared as strings)', async () => {
    const json: Record<string, unknown> = {};
    for (const [name, lib] of Object.entries(libs)) {
      const registry = new lib.Registry();
      registry.setDefaultLabels({ env: 'test' });
      const c = new lib.Counter({ name: 'c_total', help: 'C.', labelNames: ['code'], registers: [registry] });
      c.inc({ code: 200 }, 2);
      const g = new lib.Gauge({ name: 'g', help: 'G.', registers: [registry] });
      g.set(5);
      const h = new lib.Histogram({ name: 'h', help: 'H.', labelNames: ['m'], buckets: [1, 2], registers: [registry] });
      h.observe({ m: 'a' }, 1.5);
      const s = new lib.Summary({ name: 's', help: 'S.', percentiles: [0.5], registers: [registry] });
      s.observe(3);
      const all: any[] = await registry.getMetricsAsJSON();
      json[name] = all.map((m) => ({
        name: m.name,
        help: m.help,
        type: m.type,
        aggregator: m.aggregator,
        values: m.values.map((v: any) => ({
          value: v.value,
          metricName: v.metricName,
          labels: Object.fromEntries(
            Object.entries(v.labels)
              .map(([k, x]) => [k, String(x)])
              .sort(),
          ),
        })),
      }));
    }
    assert.deepEqual(json.promkit, json['prom-client']);
  });

  test('get() returns the same values', async () => {
    const got: Record<string, unknown> = {};
    for (const [name, lib] of Object.entries(libs)) {
      const registry = new lib.Registry();
      const c = new lib.Counter({ name: 'c_total', help: 'C.', labelNames: ['a'], registers: [registry] });
      c.inc({ a: 'x' }, 3);
      c.inc({ a: 'y' });
      const result = await c.get();
      got[name] = { name: result.name, help: result.help, type: result.type, aggregator: result.aggregator, values: result.values };
    }
    assert.deepEqual(got.promkit, got['prom-client']);
  });

  test('linearBuckets returns the same bounds', () => {
    const cases: Array<[number, number, number]> = [
      [0, 1, 1],
      [0.1, 0.1, 10],
      [-5, 2.5, 7],
    ];
    for (const args of cases) {
      assert.deepEqual(promkit.linearBuckets(...args), promClient.linearBuckets(...args), `linearBuckets(${args})`);
    }
  });

  test('exponentialBuckets returns the same bounds for exact factors', () => {
    const cases: Array<[number, number, number]> = [
      [1, 2, 1],
      [0.001, 10, 6],
      [0.25, 2, 10],
    ];
    for (const args of cases) {
      assert.deepEqual(promkit.exponentialBuckets(...args), promClient.exponentialBuckets(...args), `exponentialBuckets(${args})`);
    }
  });

  test('exponentialBuckets returns the same bounds (so the same le label values) for inexact factors', () => {
    const args = [0.005, 1.5, 12] as const;
    assert.deepEqual(promkit.exponentialBuckets(...args), promClient.exponentialBuckets(...args));
  });

  test('validateMetricName and validateLabelName agree with prom-client (except reserved __ names)', () => {
    for (const name of ['a', 'a_b:c', '_x', ':colon', 'with space', '1starts', 'dash-ed', '', 'ünï', 'a1']) {
      assert.equal(promkit.validateMetricName(name), promClient.validateMetricName(name), `validateMetricName(${JSON.stringify(name)})`);
    }
    for (const names of [['a'], ['a', 'b_c'], ['1a'], ['a:b'], ['ok', 'not ok'], [], ['_x']]) {
      assert.equal(promkit.validateLabelName(names), promClientValidation.validateLabelName(names), `validateLabelName(${JSON.stringify(names)})`);
    }
    // prom-client lets `__`-prefixed names through; Prometheus reserves them, so promkit does not.
    assert.equal(promClientValidation.validateLabelName(['__x']), true);
    assert.equal(promkit.validateLabelName(['__x']), false);
  });

  test('content types and Registry constants match', () => {
    assert.equal(promkit.Registry.PROMETHEUS_CONTENT_TYPE, promClient.Registry.PROMETHEUS_CONTENT_TYPE);
    assert.equal(promkit.Registry.OPENMETRICS_CONTENT_TYPE, promClient.Registry.OPENMETRICS_CONTENT_TYPE);
    assert.equal(promkit.prometheusContentType, promClient.prometheusContentType);
    assert.equal(promkit.openMetricsContentType, promClient.openMetricsContentType);
    assert.equal(new promkit.Registry().contentType, new promClient.Registry().contentType);
  });

  test('OpenMetrics: same series as prom-client once le values are compared as numbers', async () => {
    const out: Record<string, unknown> = {};
    for (const [name, lib] of Object.entries(libs)) {
      const registry = new lib.Registry(promkit.openMetricsContentType);
      const c = new lib.Counter({ name: 'jobs_total', help: 'Jobs.', labelNames: ['q'], registers: [registry] });
      c.inc({ q: 'a' }, 2);
      const h = new lib.Histogram({ name: 'size_bytes', help: 'Sizes.', buckets: [1, 10, 100], registers: [registry] });
      h.observe(5);
      h.observe(50);
      new lib.Gauge({ name: 'level', help: 'Level.', registers: [registry] }).set(-2);
      const text: string = await registry.metrics();
      const parsed = parseExposition(text, 'openmetrics');
      out[name] = {
        families: parsed.families.map((f) => [f.name, f.type]),
        series: parsed.families
          .flatMap((f) => f.samples)
          .map((s) => [s.name, { ...s.labels, ...(s.labels.le ? { le: String(Number(s.labels.le === '+Inf' ? Infinity : s.labels.le)) } : {}) }, s.value])
          .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)),
      };
    }
    assert.deepEqual(out.promkit, out['prom-client']);
  });
});

test('the global register is where metrics go without `registers`, as in prom-client', async () => {
  const c = new promkit.Counter({ name: 'compat_global_total', help: 'Global.' });
  c.inc();
  assert.equal(promkit.register.getSingleMetric('compat_global_total'), c);
  assert.match(await promkit.register.metrics(), /^compat_global_total 1$/m);
  const off = new promkit.Counter({ name: 'compat_nowhere_total', help: 'No registry.', registers: [] });
  off.inc();
  assert.equal(promkit.register.getSingleMetric('compat_nowhere_total'), undefined);
  promkit.register.removeSingleMetric('compat_global_total');
  assert.doesNotMatch(await promkit.register.metrics(), /compat_global_total/);
});
