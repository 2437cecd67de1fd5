/**
 * Proof against the real Prometheus 2.42 with `--enable-feature=native-histograms`: it
 * scrapes promkit's status server, which negotiates protobuf from Prometheus' Accept
 * header; the native histogram is ingested as one, and PromQL's native-histogram
 * functions agree with what was observed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Counter, Gauge, Histogram, Registry, Summary } from '../../src/index.js';
import { startMetricsServer, type RunningMetricsServer } from '../../src/server/index.js';
import { startPrometheus, waitUntil, type RunningPrometheus } from '@promkit/testing';
import { quietLogger } from '../server/http-client.js';

const JOB = 'promkit-native';
const registry = new Registry();
const FACTOR = 1.1;
const SCHEMA = 3;
const latency = new Histogram({
  name: 'native_latency_seconds',
  help: 'Latency.',
  labelNames: ['route'],
  nativeHistogramBucketFactor: FACTOR,
  registers: [registry],
});
const both = new Histogram({
  name: 'native_both_seconds',
  help: 'Both kinds.',
  buckets: [0.25, 1, 4],
  nativeHistogramBucketFactor: FACTOR,
  registers: [registry],
});
const requests = new Counter({ name: 'native_requests_total', help: 'Requests.', labelNames: ['code'], registers: [registry] });
new Gauge({ name: 'native_temperature_celsius', help: 'T.', registers: [registry] }).set(-3.5);
const classicOnly = new Histogram({ name: 'native_classic_only_seconds', help: 'Classic.', buckets: [1, 10], registers: [registry] });
const summary = new Summary({ name: 'native_summary_seconds', help: 'S.', percentiles: [0.5], registers: [registry] });

// 1000 observations 0.01 .. 10: known quantiles, count and sum.
const observed = Array.from({ length: 1000 }, (_, i) => (i + 1) / 100);
for (const v of observed) latency.observe({ route: '/api' }, v);
// Negative and zero observations go to the negative and zero buckets.
for (const v of [0, -1, -2, -2]) latency.observe({ route: '/signed' }, v);
for (const v of [0.1, 0.5, 2, 8]) both.observe(v);
requests.inc({ code: '200' }, 7);
summary.observe(3);
for (const v of [0.5, 5, 50]) classicOnly.observe(v);

let server: RunningMetricsServer;
let prom: RunningPrometheus;

before(async () => {
  server = await startMetricsServer({ registry, host: '127.0.0.1', logger: quietLogger(), requestMetrics: false });
  prom = await startPrometheus({ features: ['native-histograms'], targets: [{ job: JOB, url: `${server.url}/metrics` }] });
  await prom.waitForTargetsUp({ timeoutMs: 30_000 });
  await waitUntil(async () => (await prom.queryVector(`histogram_count(native_latency_seconds{job="${JOB}"})`)).length === 2 || undefined, {
    timeoutMs: 30_000,
    description: 'native histograms ingested',
  });
});

after(async () => {
  await prom?.close();
  await server?.close();
});

async function value(expr: string): Promise<number> {
  const v = await prom.queryValue(expr);
  assert.ok(v !== undefined, `${expr} returned nothing`);
  return v;
}

describe('Prometheus 2.42 scraping native histograms over protobuf', () => {
  test('the histogram is stored as a native histogram (one series, no _bucket series)', async () => {
    const [sample] = await prom.queryVector(`native_latency_seconds{route="/api"}`);
    assert.ok(sample.histogram, 'the sample is a native histogram');
    assert.equal(sample.histogram.count, observed.length);
    assert.deepEqual(await prom.queryVector('native_latency_seconds_bucket'), []);
  });

  test('histogram_count and histogram_sum equal what was observed', async () => {
    assert.equal(await value(`histogram_count(native_latency_seconds{route="/api"})`), observed.length);
    const sum = observed.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs((await value(`histogram_sum(native_latency_seconds{route="/api"})`)) - sum) < 1e-9 * sum);
    assert.equal(await value(`histogram_count(native_latency_seconds{route="/signed"})`), 4);
    assert.equal(await value(`histogram_sum(native_latency_seconds{route="/signed"})`), -5);
  });

  test('histogram_quantile returns each known quantile within the schema’s relative error', async () => {
    const growth = 2 ** (2 ** -SCHEMA); // bucket upper/lower bound ratio at schema 3
    for (const q of [0.01, 0.1, 0.25, 0.5, 0.9, 0.99]) {
      const truth = observed[Math.ceil(q * observed.length) - 1];
      const got = await value(`histogram_quantile(${q}, native_latency_seconds{route="/api"})`);
      const relative = Math.abs(got - truth) / truth;
      assert.ok(relative <= growth - 1, `q=${q}: got ${got}, observed ${truth}, relative error ${relative} > ${growth - 1}`);
    }
  });

  test('negative observations are stored in negative buckets', async () => {
    const [sample] = await prom.queryVector(`native_latency_seconds{route="/signed"}`);
    const buckets = sample.histogram!.buckets;
    const negative = buckets.filter((b) => b.upper <= 0 && b.lower < 0).reduce((a, b) => a + b.count, 0);
    const zero = buckets.filter((b) => b.lower <= 0 && b.upper >= 0 && b.upper < 1e-30).reduce((a, b) => a + b.count, 0);
    assert.equal(negative, 3);
    assert.equal(zero, 1);
  });

  test('a histogram with classic buckets as well is ingested as native (what 2.42 does with both)', async () => {
    assert.equal(await value('histogram_count(native_both_seconds)'), 4);
    assert.equal(await value('histogram_sum(native_both_seconds)'), 10.6);
  });

  test('counters, gauges and summaries arrive unchanged over protobuf', async () => {
    assert.equal(await value('native_requests_total{code="200"}'), 7);
    assert.equal(await value('native_temperature_celsius'), -3.5);
    assert.equal(await value('native_summary_seconds{quantile="0.5"}'), 3);
    assert.equal(await value('native_summary_seconds_count'), 1);
  });

  test('a classic-only histogram arrives as its _bucket series, +Inf included, _sum and _count', async () => {
    // Prometheus writes `le` of protobuf buckets in OpenMetrics' canonical form, as for an OpenMetrics scrape.
    assert.equal(await value('native_classic_only_seconds_bucket{le="1.0"}'), 1);
    assert.equal(await value('native_classic_only_seconds_bucket{le="10.0"}'), 2);
    assert.equal(await value('native_classic_only_seconds_bucket{le="+Inf"}'), 3);
    assert.equal(await value('native_classic_only_seconds_sum'), 55.5);
    assert.equal(await value('native_classic_only_seconds_count'), 3);
  });
});
