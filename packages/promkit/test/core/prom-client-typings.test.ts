/**
 * The type names prom-client 15's index.d.ts gives users, written as its users write
 * them: this file only compiles (tsc -p tsconfig.json) if they exist with those shapes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  Counter,
  Gauge,
  Histogram,
  MetricType,
  Registry,
  Summary,
  contentType,
  register,
  type DefaultMetricsCollectorConfiguration,
  type Metric,
  type OpenMetricsContentType,
  type PrometheusContentType,
  type RegistryContentType,
} from '../../src/index.js';

test('prom-client type names: Registry<T>, DefaultMetricsCollectorConfiguration<T>, Metric<T>, X.Internal, X.Config, MetricType', () => {
  const registry: Registry<OpenMetricsContentType> = new Registry(Registry.OPENMETRICS_CONTENT_TYPE);
  const config: DefaultMetricsCollectorConfiguration<OpenMetricsContentType> = { register: registry, prefix: 'app_' };
  const counterConfig: Counter.Config<'a'> = { name: 'c_total', help: 'h', labelNames: ['a'], registers: [registry] };
  const counter: Counter.Internal<'a'> = new Counter(counterConfig).labels('x');
  const gauge: Gauge.Internal = new Gauge({ name: 'g', help: 'h', registers: [registry] }).labels();
  const histogram: Histogram.Internal = new Histogram({ name: 'h', help: 'h', registers: [registry] }).labels();
  const summary: Summary.Internal = new Summary({ name: 's', help: 'h', registers: [registry] }).labels();
  const metrics: Array<Metric<string>> = [];
  const types: RegistryContentType[] = [registry.contentType, Registry.PROMETHEUS_CONTENT_TYPE satisfies PrometheusContentType];
  counter.inc();
  gauge.set(2);
  histogram.observe(1);
  summary.observe(1);
  assert.equal(config.register, registry);
  assert.deepEqual(metrics, []);
  assert.deepEqual(types, [Registry.OPENMETRICS_CONTENT_TYPE, Registry.PROMETHEUS_CONTENT_TYPE]);
  assert.deepEqual(MetricType, { Counter: 0, Gauge: 1, Histogram: 2, Summary: 3 });
});

test('new Registry() and register are Registry<PrometheusContentType>, as prom-client types them', () => {
  // fastify-metrics' options take `register?: Registry<PrometheusContentType>`: a registry
  // typed with both content types does not fit there (it failed to compile before).
  const takesText = (config: DefaultMetricsCollectorConfiguration<PrometheusContentType>): Registry<PrometheusContentType> | undefined => config.register;
  const fresh = new Registry();
  assert.equal(takesText({ register: fresh }), fresh);
  assert.equal(takesText({ register: register }), register);
  const merged: Registry<PrometheusContentType> = Registry.merge([fresh]);
  const explicit: Registry<OpenMetricsContentType> = new Registry<OpenMetricsContentType>(Registry.OPENMETRICS_CONTENT_TYPE);
  // promkit's own signatures take `Registry`: either content type.
  const either: Registry[] = [fresh, explicit, merged, register];
  class Subclassed extends Registry {}
  const sub: Registry<PrometheusContentType> = new Subclassed();
  assert.ok(either.every((r) => r instanceof Registry) && sub instanceof Registry);
});

test('the root contentType follows the global registry', () => {
  assert.equal(contentType, Registry.PROMETHEUS_CONTENT_TYPE);
  register.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  try {
    assert.equal(contentType, Registry.OPENMETRICS_CONTENT_TYPE);
  } finally {
    register.setContentType(Registry.PROMETHEUS_CONTENT_TYPE);
  }
  assert.equal(contentType, Registry.PROMETHEUS_CONTENT_TYPE);
});
