/**
 * Proof against the real Prometheus 2.42 as remote-write receiver
 * (`--web.enable-remote-write-receiver`, native histograms enabled): what promkit writes
 * reads back exactly by query. A small proxy in front of it plays a receiver that fails
 * (500 or 503) for a while; the real Prometheus stays the one that decodes and stores.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { Counter, Gauge, Histogram, Registry, Summary, startRemoteWrite, type RemoteWriteError } from '../../src/index.js';
import { bucketKey } from '../../src/core/native-histogram.js';
import { startPrometheus, type RunningPrometheus } from '@promkit/testing';

let prom: RunningPrometheus;
let proxy: Server;
let proxyUrl: string;
/** What the proxy answers: forward to Prometheus, or fail with this status. */
let proxyMode: 'forward' | 500 | 503 = 'forward';
const proxyStatuses: number[] = [];

before(async () => {
  prom = await startPrometheus({ features: ['native-histograms'], extraArgs: ['--web.enable-remote-write-receiver'] });
  proxy = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (proxyMode !== 'forward') {
      proxyStatuses.push(proxyMode);
      res.writeHead(proxyMode).end('injected failure');
      return;
    }
    const headers: Record<string, string> = {};
    for (const h of ['content-type', 'content-encoding', 'x-prometheus-remote-write-version', 'user-agent'])
      if (req.headers[h]) headers[h] = String(req.headers[h]);
    const upstream = await fetch(`${prom.url}/api/v1/write`, { method: 'POST', headers, body: Buffer.concat(chunks) });
    proxyStatuses.push(upstream.status);
    res.writeHead(upstream.status).end(await upstream.text());
  });
  proxy.listen(0, '127.0.0.1');
  await once(proxy, 'listening');
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/api/v1/write`;
});

after(async () => {
  await prom?.close();
  proxy?.close();
});

const quiet = (): void => {};

async function value(expr: string): Promise<number> {
  const v = await prom.queryValue(expr);
  assert.ok(v !== undefined, `${expr} returned nothing`);
  return v;
}

describe('remote write to Prometheus 2.42', () => {
  test('counters, gauges, classic and native histograms and summaries read back exactly', async () => {
    const registry = new Registry();
    registry.setDefaultLabels({ service: 'rw' });
    const c = new Counter({ name: 'rw_requests_total', help: 'h', labelNames: ['code'], registers: [registry] });
    c.inc({ code: '200' }, 1027.25);
    c.inc({ code: '500' }, 3);
    new Gauge({ name: 'rw_temperature_celsius', help: 'h', registers: [registry] }).set(-12.125);
    const classic = new Histogram({ name: 'rw_classic_seconds', help: 'h', buckets: [0.1, 1, 10], registers: [registry] });
    for (const v of [0.05, 0.5, 0.5, 5, 50]) classic.observe(v);
    const native = new Histogram({ name: 'rw_native_seconds', help: 'h', nativeHistogramBucketFactor: 1.1, registers: [registry] });
    const nativeValues = [0, 0.001, 0.2, 0.2, 1, 3.5, 700, -4];
    for (const v of nativeValues) native.observe(v);
    new Summary({ name: 'rw_summary_seconds', help: 'h', percentiles: [0.5], registers: [registry] }).observe(7);

    const rw = startRemoteWrite({ url: `${prom.url}/api/v1/write`, registry, intervalMs: 60_000, externalLabels: { test: 'exact' }, onError: quiet });
    const stats = await rw.stop();
    assert.equal(stats.failed + stats.dropped, 0);
    assert.equal(stats.sent, stats.enqueued);

    assert.equal(await value('rw_requests_total{code="200",service="rw",test="exact"}'), 1027.25);
    assert.equal(await value('rw_requests_total{code="500"}'), 3);
    assert.equal(await value('rw_temperature_celsius'), -12.125);
    for (const [le, n] of [
      ['0.1', 1],
      ['1', 3],
      ['10', 4],
      ['+Inf', 5],
    ] as const)
      assert.equal(await value(`rw_classic_seconds_bucket{le="${le}"}`), n, `le=${le}`);
    assert.equal(await value('rw_classic_seconds_sum'), 56.05);
    assert.equal(await value('rw_classic_seconds_count'), 5);
    assert.equal(await value('rw_summary_seconds{quantile="0.5"}'), 7);

    const [sample] = await prom.queryVector('rw_native_seconds');
    assert.ok(sample.histogram, 'stored as a native histogram');
    assert.equal(sample.histogram.count, nativeValues.length);
    assert.equal(
      sample.histogram.sum,
      nativeValues.reduce((a, b) => a + b, 0),
    );
    // Every positive bucket Prometheus holds is exactly a schema-3 bucket with the counts observed.
    const expected = new Map<number, number>();
    for (const v of nativeValues.filter((x) => x > 2 ** -128)) expected.set(bucketKey(v, 3), (expected.get(bucketKey(v, 3)) ?? 0) + 1);
    const positive = sample.histogram.buckets.filter((b) => b.lower > 0);
    assert.equal(positive.length, expected.size);
    for (const b of positive) {
      const key = Math.round(Math.log2(b.upper) * 8);
      assert.equal(b.count, expected.get(key), `bucket (${b.lower}, ${b.upper}]`);
    }
    assert.equal(
      sample.histogram.buckets.filter((b) => b.upper < 0).reduce((a, b) => a + b.count, 0),
      1,
    );
    // The sender's own health is sent too.
    assert.ok((await value('promkit_remote_write_samples_sent_total{test="exact"}')) >= 0);
  });

  test('a receiver that answers 500 and then recovers loses nothing', async () => {
    const registry = new Registry();
    const c = new Counter({ name: 'rw_retry_total', help: 'h', registers: [registry] });
    const errors: RemoteWriteError[] = [];
    proxyMode = 500;
    proxyStatuses.length = 0;
    const rw = startRemoteWrite({
      url: proxyUrl,
      registry,
      intervalMs: 50,
      minBackoffMs: 10,
      maxBackoffMs: 40,
      externalLabels: { test: 'retry' },
      metricsRegistry: false,
      onError: (e) => errors.push(e),
    });
    // Interval snapshots pile up while the receiver fails; each carries a new counter value.
    while (rw.stats().snapshots < 6) {
      c.inc();
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(rw.stats().queued > 0);
    assert.equal(rw.stats().sent, 0);
    assert.ok(proxyStatuses.length > 0 && proxyStatuses.every((s) => s === 500));
    proxyMode = 'forward';
    const stats = await rw.stop();
    assert.equal(stats.failed, 0);
    assert.equal(stats.dropped, 0);
    assert.ok(stats.retried > 0);
    assert.ok(errors.every((e) => e.retrying && e.status === 500));
    assert.equal(stats.sent, stats.enqueued);
    assert.equal(await value('count_over_time(rw_retry_total{test="retry"}[1h])'), stats.snapshots);
  });

  test('a receiver down past the queue bound: the oldest samples are dropped and counted, the rest arrive', async () => {
    const registry = new Registry();
    const health = new Registry();
    const c = new Counter({ name: 'rw_down_total', help: 'h', registers: [registry] });
    proxyMode = 503;
    proxyStatuses.length = 0;
    const rw = startRemoteWrite({
      url: proxyUrl,
      registry,
      intervalMs: 30,
      maxQueueSamples: 3,
      minBackoffMs: 10,
      maxBackoffMs: 20,
      externalLabels: { test: 'down' },
      metricsRegistry: health,
      name: 'down',
      onError: quiet,
    });
    while (rw.stats().snapshots < 10) {
      c.inc();
      await new Promise((r) => setTimeout(r, 15));
    }
    const during = rw.stats();
    assert.equal(during.sent, 0);
    assert.equal(during.queued, 3, 'the queue holds its bound');
    assert.equal(during.dropped, during.enqueued - during.queued);
    const dropped = (await health.getSingleMetric('promkit_remote_write_samples_dropped_total')!.get()).values.find((v) => v.labels.remote === 'down')?.value;
    assert.equal(dropped, during.dropped);
    const queued = (await health.getSingleMetric('promkit_remote_write_queue_length')!.get()).values.find((v) => v.labels.remote === 'down')?.value;
    assert.equal(queued, 3);

    proxyMode = 'forward';
    const stats = await rw.stop();
    assert.equal(stats.sent + stats.dropped, stats.enqueued);
    assert.equal(stats.failed, 0);
    assert.equal(await value('count_over_time(rw_down_total{test="down"}[1h])'), stats.sent);
    // The newest value always arrives: drops take the oldest.
    assert.equal(await value('rw_down_total{test="down"}'), (await c.get()).values[0].value);
  });

  test('a non-retryable 4xx drops the batch as failed and goes on', async () => {
    const registry = new Registry();
    // Prometheus refuses (400) a sample older than the series' latest: out of order.
    const g = new Gauge({ name: 'rw_order_gauge', help: 'h', registers: [registry] });
    g.set(1);
    const errors: RemoteWriteError[] = [];
    // Two senders of the same series, one writing an hour in the past.
    const options: Parameters<typeof startRemoteWrite>[0] = {
      url: `${prom.url}/api/v1/write`,
      registry,
      intervalMs: 60_000,
      externalLabels: { test: 'order' },
      metricsRegistry: false,
      onError: (e) => errors.push(e),
    };
    const later = startRemoteWrite(options);
    await later.flush();
    // A second sender writes the same series with an older timestamp: Prometheus answers 400 (out of order).
    const clock = Date.now;
    Date.now = () => clock() - 3_600_000;
    let earlier: ReturnType<typeof startRemoteWrite>;
    try {
      earlier = startRemoteWrite(options);
      await earlier.flush();
    } finally {
      Date.now = clock;
    }
    const stats = await earlier.stop();
    await later.stop();
    assert.ok(stats.failed >= 1, JSON.stringify(stats));
    const rejected = errors.find((e) => !e.retrying);
    assert.ok(rejected && rejected.status !== undefined && rejected.status >= 400 && rejected.status < 500, String(rejected?.message));
  });
});
