/**
 * prom-client's plain-object collectors (`registerMetric({ name, help, type, get() })`):
 * encoded from their get() values at every scrape, in both formats, isolated on failure.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Registry } from '../../src/index.js';
import { scrape, seriesValues } from '../exposition/helpers.js';

function histogramCollector() {
  const json = {
    name: 'job_seconds',
    help: 'Job time.',
    type: 'histogram',
    aggregator: 'sum' as const,
    values: [
      { metricName: 'job_seconds_bucket', labels: { q: 'a', le: 1 }, value: 2 },
      { metricName: 'job_seconds_bucket', labels: { q: 'a', le: 5 }, value: 3 },
      { metricName: 'job_seconds_bucket', labels: { q: 'a', le: '+Inf' }, value: 4 },
      { metricName: 'job_seconds_sum', labels: { q: 'a' }, value: 12.5 },
      { metricName: 'job_seconds_count', labels: { q: 'a' }, value: 4 },
    ],
  };
  return { name: json.name, help: json.help, type: json.type, get: async () => json };
}

test('a histogram collector is exposed with cumulative buckets, sum and count, with default labels, in both formats', async () => {
  const registry = new Registry();
  registry.setDefaultLabels({ env: 'prod' });
  registry.registerMetric(histogramCollector());
  for (const format of ['prometheus', 'openmetrics'] as const) {
    const parsed = await scrape(registry, format);
    assert.equal(parsed.families[0].type, 'histogram');
    const values = seriesValues(parsed);
    const le1 = format === 'openmetrics' ? '1.0' : '1';
    assert.equal(values.get(`job_seconds_bucket{env="prod",le="${le1}",q="a"}`), 2, format);
    assert.equal(values.get(`job_seconds_bucket{env="prod",le="+Inf",q="a"}`), 4, format);
    assert.equal(values.get('job_seconds_sum{env="prod",q="a"}'), 12.5, format);
    assert.equal(values.get('job_seconds_count{env="prod",q="a"}'), 4, format);
  }
});

test('a summary collector keeps its quantiles; an untyped one is exposed as untyped/unknown', async () => {
  const registry = new Registry();
  registry.registerMetric({
    name: 'lat',
    help: 'L.',
    type: 'summary',
    get: () => ({
      name: 'lat',
      help: 'L.',
      type: 'summary',
      aggregator: 'sum',
      values: [
        { labels: { quantile: 0.5 }, value: 3 },
        { metricName: 'lat_sum', labels: {}, value: 9 },
        { metricName: 'lat_count', labels: {}, value: 3 },
      ],
    }),
  });
  registry.registerMetric({
    name: 'raw',
    get: () => ({ name: 'raw', help: 'R.', type: 'whatever', aggregator: 'sum', values: [{ value: 1, labels: {} }] }),
  } as never);
  const values = seriesValues(await scrape(registry));
  assert.equal(values.get('lat{quantile="0.5"}'), 3);
  assert.equal(values.get('lat_count{}'), 3);
  assert.equal(values.get('raw{}'), 1);
  assert.equal((await scrape(registry, 'openmetrics')).families.find((f) => f.name === 'raw')?.type, 'unknown');
});

test('registering a second collector of the same name says so (not a TypeError from inside)', () => {
  const registry = new Registry();
  registry.registerMetric(histogramCollector());
  assert.throws(() => registry.registerMetric(histogramCollector()), /A metric with the name job_seconds has already been registered/);
  assert.throws(() => registry.registerMetric({ name: 'no_get' } as never), /expected a metric or a collector object with a name and a get\(\) method/);
});

test('a collector whose get() throws is left out and counted; the rest is served', async () => {
  const registry = new Registry();
  registry.setCollectErrorHandler(() => {});
  registry.registerMetric({
    name: 'broken',
    help: 'B.',
    type: 'gauge',
    get: () => {
      throw new Error('boom');
    },
  });
  registry.registerMetric(histogramCollector());
  const values = seriesValues(await scrape(registry));
  assert.equal(values.get('promkit_collect_errors_total{metric="broken"}'), 1);
  assert.equal(values.get('job_seconds_count{q="a"}'), 4);
});
