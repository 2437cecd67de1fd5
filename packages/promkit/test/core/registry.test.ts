import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Counter, Gauge, Histogram, Registry, Summary, register, type Collector, type RegistryContentType } from '../../src/index.js';
import { parseExposition } from '../../src/exposition/parser.js';
import { familyOf, scrape, sampleValue } from '../exposition/helpers.js';

function sampleRegistry(contentType?: RegistryContentType): Registry {
  const registry = new Registry(contentType);
  new Counter({ name: 'jobs_total', help: 'Jobs.', labelNames: ['queue'], registers: [registry] }).inc({ queue: 'a' }, 2);
  new Gauge({ name: 'temperature', help: 'Temperature.', registers: [registry] }).set(21);
  new Histogram({ name: 'latency_seconds', help: 'Latency.', buckets: [1], registers: [registry] }).observe(0.5);
  return registry;
}

describe('Registry', () => {
  test('metrics() serves text 0.0.4 by default, OpenMetrics after setContentType', async () => {
    const registry = sampleRegistry();
    assert.equal(registry.contentType, 'text/plain; version=0.0.4; charset=utf-8');
    const text = await registry.metrics();
    assert.doesNotMatch(text, /# EOF/);
    assert.equal(sampleValue(parseExposition(text, 'prometheus'), 'jobs_total', { queue: 'a' }), 2);

    registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
    assert.equal(registry.contentType, 'application/openmetrics-text; version=1.0.0; charset=utf-8');
    const om = await registry.metrics();
    assert.match(om, /# EOF\n$/);
    assert.equal(sampleValue(parseExposition(om, 'openmetrics'), 'jobs_total', { queue: 'a' }), 2);
  });

  test('the constructor takes the content type; metrics({ format }) overrides it per call', async () => {
    const registry = sampleRegistry(Registry.OPENMETRICS_CONTENT_TYPE);
    assert.match(await registry.metrics(), /# EOF\n$/);
    const text = await registry.metrics({ format: 'prometheus' });
    assert.doesNotMatch(text, /# EOF/);
    parseExposition(text, 'prometheus');
  });

  test('getSingleMetric returns the registered instance; getMetricsAsArray lists all', () => {
    const registry = new Registry();
    const c = new Counter({ name: 'c_total', help: 'h', registers: [registry] });
    const g = new Gauge({ name: 'g', help: 'h', registers: [registry] });
    assert.equal(registry.getSingleMetric('c_total'), c);
    assert.equal(registry.getSingleMetric('nope'), undefined);
    assert.deepEqual(registry.getMetricsAsArray(), [c, g]);
  });

  test('getSingleMetricAsString is that metric’s part of the exposition', async () => {
    const registry = sampleRegistry();
    registry.setDefaultLabels({ env: 'prod' });
    const one = await registry.getSingleMetricAsString('temperature');
    const parsed = parseExposition(one, 'prometheus');
    assert.deepEqual(
      parsed.families.map((f) => f.name),
      ['temperature'],
    );
    assert.equal(sampleValue(parsed, 'temperature', { env: 'prod' }), 21);
    assert.ok((await registry.metrics()).includes(one), 'the same text as in the full exposition');
  });

  test('removeSingleMetric and clear', async () => {
    const registry = sampleRegistry();
    registry.removeSingleMetric('temperature');
    registry.removeSingleMetric('not-there');
    assert.deepEqual(
      (await scrape(registry)).families.map((f) => f.name),
      ['jobs_total', 'latency_seconds'],
    );
    registry.setDefaultLabels({ env: 'prod' });
    registry.clear();
    assert.equal(await registry.metrics(), '');
    // clear() forgets default labels too, as in prom-client
    new Gauge({ name: 'after', help: 'h', registers: [registry] }).set(1);
    assert.equal(sampleValue(await scrape(registry), 'after'), 1);
  });

  test('a name freed by removeSingleMetric can be registered again', () => {
    const registry = new Registry();
    new Counter({ name: 'x_total', help: 'h', registers: [registry] });
    registry.removeSingleMetric('x_total');
    const again = new Gauge({ name: 'x_total', help: 'h', registers: [registry] });
    assert.equal(registry.getSingleMetric('x_total'), again);
  });

  test('resetMetrics resets every metric', async () => {
    const registry = sampleRegistry();
    registry.resetMetrics();
    const parsed = await scrape(registry);
    assert.equal(sampleValue(parsed, 'jobs_total', { queue: 'a' }), undefined);
    assert.equal(sampleValue(parsed, 'temperature'), 0);
    assert.equal(sampleValue(parsed, 'latency_seconds_count'), 0);
  });

  test('setDefaultLabels adds labels to every series; a metric’s own label wins', async () => {
    const registry = new Registry();
    registry.setDefaultLabels({ service: 'api', region: 'eu', shard: 3 });
    new Counter({ name: 'c_total', help: 'h', labelNames: ['region'], registers: [registry] }).inc({ region: 'us' });
    new Histogram({ name: 'h', help: 'h', buckets: [1], registers: [registry] }).observe(2);
    new Summary({ name: 's', help: 'h', percentiles: [0.5], registers: [registry] }).observe(1);
    for (const format of ['prometheus', 'openmetrics'] as const) {
      const parsed = await scrape(registry, format);
      assert.equal(sampleValue(parsed, 'c_total', { region: 'us', service: 'api', shard: '3' }), 1, format);
      assert.equal(sampleValue(parsed, 'h_bucket', { le: '+Inf', service: 'api', region: 'eu', shard: '3' }), 1, format);
      assert.equal(sampleValue(parsed, 'h_count', { service: 'api', region: 'eu', shard: '3' }), 1, format);
      assert.equal(sampleValue(parsed, 's', { quantile: '0.5', service: 'api', region: 'eu', shard: '3' }), 1, format);
    }
    const json = await registry.getMetricsAsJSON();
    assert.deepEqual(json[0].values[0].labels, { service: 'api', region: 'us', shard: '3' });
  });

  test('setDefaultLabels replaces the previous default labels', async () => {
    const registry = new Registry();
    new Gauge({ name: 'g', help: 'h', registers: [registry] }).set(1);
    registry.setDefaultLabels({ a: '1' });
    registry.setDefaultLabels({ b: '2' });
    assert.equal(sampleValue(await scrape(registry), 'g', { b: '2' }), 1);
  });

  test('getMetricsAsJSON returns every metric in prom-client’s shape', async () => {
    const registry = sampleRegistry();
    const json = await registry.getMetricsAsJSON();
    assert.deepEqual(
      json.map((m) => [m.name, m.type, m.help, m.aggregator]),
      [
        ['jobs_total', 'counter', 'Jobs.', 'sum'],
        ['temperature', 'gauge', 'Temperature.', 'sum'],
        ['latency_seconds', 'histogram', 'Latency.', 'sum'],
      ],
    );
    assert.deepEqual(json[1].values, [{ value: 21, labels: {} }]);
  });

  test('Registry.merge makes one registry of several', async () => {
    const a = new Registry();
    const b = new Registry();
    const c = new Counter({ name: 'a_total', help: 'h', registers: [a] });
    new Gauge({ name: 'b', help: 'h', registers: [b] }).set(5);
    const merged = Registry.merge([a, b]);
    c.inc(2);
    const parsed = await scrape(merged);
    assert.equal(sampleValue(parsed, 'a_total'), 2, 'the merged registry holds the live metrics');
    assert.equal(sampleValue(parsed, 'b'), 5);
    assert.equal(Registry.merge([]).getMetricsAsArray().length, 0);
    assert.equal(Registry.merge([new Registry(Registry.OPENMETRICS_CONTENT_TYPE)]).contentType, Registry.OPENMETRICS_CONTENT_TYPE);
  });

  test('one metric may be in several registries', async () => {
    const a = new Registry();
    const b = new Registry();
    const c = new Counter({ name: 'shared_total', help: 'h', registers: [a, b] });
    c.inc();
    assert.equal(sampleValue(await scrape(a), 'shared_total'), 1);
    assert.equal(sampleValue(await scrape(b), 'shared_total'), 1);
  });

  test('custom collectors: anything with the Collector shape can be registered', async () => {
    const registry = new Registry();
    const custom: Collector = {
      name: 'custom_info',
      help: 'A hand-written collector.',
      type: 'gauge',
      labelNames: ['version'],
      gatherFamily: () => ({
        type: 'gauge',
        name: 'custom_info',
        help: 'A hand-written collector.',
        series: [{ labelText: 'version="1.2.3"', value: 1, created: 0 }],
      }),
      get: async () => ({
        name: 'custom_info',
        help: 'A hand-written collector.',
        type: 'gauge',
        aggregator: 'first',
        values: [{ value: 1, labels: { version: '1.2.3' } }],
      }),
      reset: () => {},
    };
    registry.registerMetric(custom);
    const parsed = await scrape(registry);
    assert.equal(familyOf(parsed, 'custom_info').type, 'gauge');
    assert.equal(sampleValue(parsed, 'custom_info', { version: '1.2.3' }), 1);
  });

  test('concurrent metrics() calls share one gather', async () => {
    const registry = new Registry();
    let collects = 0;
    new Gauge({
      name: 'slow',
      help: 'h',
      registers: [registry],
      async collect() {
        collects++;
        await new Promise((r) => setTimeout(r, 10));
        this.set(collects);
      },
    });
    const results = await Promise.all([registry.metrics(), registry.metrics(), registry.metrics()]);
    assert.equal(collects, 1);
    assert.equal(new Set(results).size, 1);
    // A different format is a different scrape; a later call gathers again.
    await Promise.all([registry.metrics({ format: 'openmetrics' }), registry.metrics()]);
    assert.equal(collects, 3);
  });
});

describe('the global register', () => {
  test('metrics without `registers` join it; it is a Registry', async () => {
    assert.ok(register instanceof Registry);
    const g = new Gauge({ name: 'registry_test_global', help: 'h' });
    g.set(3);
    assert.equal(register.getSingleMetric('registry_test_global'), g);
    assert.equal(sampleValue(await scrape(register), 'registry_test_global'), 3);
    assert.throws(() => new Gauge({ name: 'registry_test_global', help: 'h' }), /already been registered/);
    register.removeSingleMetric('registry_test_global');
  });
});
