/**
 * Metrics whose exposed names meet would write duplicate series or families, which
 * Prometheus rejects for the whole scrape: promkit refuses them at registration, naming
 * both metrics.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Counter, Gauge, Histogram, Registry, Summary } from '../../src/index.js';
import { parseExposition } from '../../src/exposition/parser.js';

type Make = (registry: Registry) => unknown;
const counter =
  (name: string): Make =>
  (r) =>
    new Counter({ name, help: 'h', registers: [r] });
const gauge =
  (name: string): Make =>
  (r) =>
    new Gauge({ name, help: 'h', registers: [r] });
const histogram =
  (name: string): Make =>
  (r) =>
    new Histogram({ name, help: 'h', registers: [r] });
const summary =
  (name: string): Make =>
  (r) =>
    new Summary({ name, help: 'h', registers: [r] });

const collisions: Array<[string, Make, Make, RegExp]> = [
  ['histogram h + gauge h_count', histogram('h'), gauge('h_count'), /gauge 'h_count'.*'h_count'.*histogram 'h'/],
  ['histogram h + gauge h_sum', histogram('h'), gauge('h_sum'), /gauge 'h_sum'.*histogram 'h'/],
  ['histogram h + gauge h_bucket', histogram('h'), gauge('h_bucket'), /gauge 'h_bucket'.*histogram 'h'/],
  ['gauge h_count + histogram h (other order)', gauge('h_count'), histogram('h'), /histogram 'h'.*'h_count'.*gauge 'h_count'/],
  ['summary s + gauge s_count', summary('s'), gauge('s_count'), /gauge 's_count'.*summary 's'/],
  ['counter x + gauge x_total', counter('x'), gauge('x_total'), /gauge 'x_total'.*counter 'x'/],
  ['counter x_total + gauge x (OpenMetrics family x)', counter('x_total'), gauge('x'), /gauge 'x'.*counter 'x_total'/],
  ['counter x_total + counter x', counter('x_total'), counter('x'), /counter 'x'.*counter 'x_total'/],
  ['counter c + gauge c_created', counter('c'), gauge('c_created'), /gauge 'c_created'.*counter 'c'/],
  ['histogram h + gauge h_created', histogram('h'), gauge('h_created'), /gauge 'h_created'.*histogram 'h'/],
];

describe('suffix collisions are refused at registration', () => {
  for (const [title, first, second, message] of collisions) {
    test(title, async () => {
      const registry = new Registry();
      first(registry);
      assert.throws(() => second(registry), message);
      // The first metric stays registered and the exposition stays valid in both formats.
      assert.equal(registry.getMetricsAsArray().length, 1);
      parseExposition(await registry.metrics({ format: 'prometheus' }), 'prometheus');
      parseExposition(await registry.metrics({ format: 'openmetrics' }), 'openmetrics');
    });
  }

  test('a user metric may not take promkit’s collect-error counter name', () => {
    for (const name of ['promkit_collect_errors_total', 'promkit_collect_errors', 'promkit_collect_errors_created']) {
      assert.throws(() => new Gauge({ name, help: 'h', registers: [new Registry()] }), /promkit's own counter of failed collect callbacks/, name);
    }
  });

  test('names that only look alike are fine', () => {
    const registry = new Registry();
    gauge('x')(registry);
    gauge('x_sum')(registry);
    gauge('x_count')(registry);
    counter('y_total')(registry);
    gauge('y_total_created_at')(registry);
    histogram('z_seconds')(registry);
    gauge('z')(registry);
    assert.equal(registry.getMetricsAsArray().length, 7);
  });

  test('removing a metric frees its names', () => {
    const registry = new Registry();
    histogram('h')(registry);
    registry.removeSingleMetric('h');
    gauge('h_count')(registry);
    registry.clear();
    histogram('h')(registry);
  });

  test('Registry.merge refuses registries whose metrics collide', () => {
    const a = new Registry();
    const b = new Registry();
    histogram('h')(a);
    gauge('h_sum')(b);
    assert.throws(() => Registry.merge([a, b]), /gauge 'h_sum'.*histogram 'h'/);
  });

  test('a plain-object collector collides like a metric of its type', () => {
    const registry = new Registry();
    histogram('h')(registry);
    assert.throws(
      () =>
        registry.registerMetric({
          name: 'h_count',
          type: 'gauge',
          help: 'h',
          get: () => ({ name: 'h_count', help: 'h', type: 'gauge', aggregator: 'sum', values: [] }),
        }),
      /'h_count'/,
    );
  });
});
