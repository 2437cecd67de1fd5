/**
 * Issue 15, item 7: not only `metrics()` but every read of a registry or metric that
 * runs collect callbacks is isolated from a bad one. A hung collect times out instead
 * of hanging `get()`, `getSingleMetricAsString()` or `getMetricsAsJSON()`; a throwing
 * one is reported and left out of `getMetricsAsJSON()` instead of rejecting it.
 * Before the fix every hung case here hung until the test's own timeout.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { COLLECT_ERRORS_METRIC, Counter, Gauge, Registry } from '../../src/index.js';
import type { Collector } from '../../src/core/registry.js';

/** A hang fails the test rather than the run; no test asserts on elapsed time. */
const BOUNDED = { timeout: 20_000 };

interface Reported {
  error: unknown;
  metric: string;
}

function setup() {
  const registry = new Registry();
  const reported: Reported[] = [];
  registry.setCollectErrorHandler((error, metric) => reported.push({ error, metric }));
  registry.collectTimeoutMs = 50;
  new Gauge({
    name: 'healthy',
    help: 'Set by its collect callback.',
    registers: [registry],
    collect() {
      this.set(42);
    },
  });
  new Counter({ name: 'plain_total', help: 'No callback.', registers: [registry] }).inc(3);
  const hung = new Gauge({ name: 'hung', help: 'Never finishes collecting.', registers: [registry], collect: () => new Promise<void>(() => {}) });
  const throwing = new Gauge({
    name: 'throwing',
    help: 'Collect throws.',
    registers: [registry],
    collect() {
      throw new Error('boom');
    },
  });
  return { registry, reported, hung, throwing };
}

/** Keeps the event loop alive while `promise` runs (a hung collect holds no handle). */
async function held<T>(promise: Promise<T>): Promise<T> {
  const hold = setInterval(() => {}, 1000);
  try {
    return await promise;
  } finally {
    clearInterval(hold);
  }
}

describe('collect isolation beyond metrics()', () => {
  test('getMetricsAsJSON() leaves out a hung and a throwing metric, reports and counts both', BOUNDED, async () => {
    const { registry, reported } = setup();
    const json = await held(registry.getMetricsAsJSON());
    assert.deepEqual(
      json.map((m) => m.name),
      ['healthy', 'plain_total', COLLECT_ERRORS_METRIC],
    );
    assert.equal(json[0].values[0].value, 42);
    assert.deepEqual(reported.map((r) => r.metric).sort(), ['hung', 'throwing']);
    assert.match(String(reported.find((r) => r.metric === 'hung')!.error), /metric 'hung': collect\(\) did not finish within 50 ms/);
    assert.match(String(reported.find((r) => r.metric === 'throwing')!.error), /boom/);
    const errors = json[2];
    assert.equal(errors.type, 'counter');
    assert.deepEqual(errors.values.map((v) => [v.labels.metric, v.value]).sort(), [
      ['hung', 1],
      ['throwing', 1],
    ]);
    assert.deepEqual(Object.fromEntries(registry.collectErrors()), { hung: 1, throwing: 1 });
  });

  test('getMetricsAsJSON() isolates custom collectors whose get() hangs or throws', BOUNDED, async () => {
    const registry = new Registry();
    registry.collectTimeoutMs = 50;
    registry.setCollectErrorHandler(() => {});
    const custom = (name: string, get: () => Promise<never>): Collector => ({
      name,
      help: 'Custom.',
      type: 'gauge',
      labelNames: [],
      gatherFamily: () => ({ type: 'gauge', name, help: 'Custom.', series: [] }),
      get,
      reset: () => {},
    });
    registry.registerMetric(custom('custom_hung', () => new Promise<never>(() => {})));
    registry.registerMetric(
      custom('custom_throws', () => {
        throw new Error('sync throw from get()');
      }),
    );
    new Gauge({ name: 'ok', help: 'Fine.', registers: [registry] }).set(1);
    const json = await held(registry.getMetricsAsJSON());
    assert.deepEqual(
      json.map((m) => m.name),
      ['ok', COLLECT_ERRORS_METRIC],
    );
  });

  test('getSingleMetricAsString() rejects after the timeout for a hung collect, naming the metric', BOUNDED, async () => {
    const { registry, reported } = setup();
    await assert.rejects(held(registry.getSingleMetricAsString('hung')), /metric 'hung': collect\(\) did not finish within 50 ms/);
    await assert.rejects(held(registry.getSingleMetricAsString('throwing')), /boom/);
    assert.deepEqual(
      reported.map((r) => r.metric),
      ['hung', 'throwing'],
    );
    assert.match(await registry.getSingleMetricAsString('healthy'), /^healthy 42$/m);
  });

  test('metric.get() rejects after collectTimeoutMs for a hung collect, and with the error for a throwing one', BOUNDED, async () => {
    const { hung, throwing } = setup();
    hung.collectTimeoutMs = 50;
    await assert.rejects(held(hung.get()), /metric 'hung': collect\(\) did not finish within 50 ms/);
    await assert.rejects(throwing.get(), /boom/);
  });

  test('metrics() and getMetricsAsJSON() agree on what is left out', BOUNDED, async () => {
    const { registry } = setup();
    const text = await held(registry.metrics());
    const json = await held(registry.getMetricsAsJSON());
    for (const name of ['hung', 'throwing']) {
      assert.doesNotMatch(text, new RegExp(`^${name} `, 'm'));
      assert.ok(!json.some((m) => m.name === name));
    }
  });
});
