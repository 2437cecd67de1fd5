/**
 * The exemplar round trip on a real Prometheus (--enable-feature=exemplar-storage):
 * samples recorded inside a span carry its trace_id/span_id in OpenMetrics, Prometheus
 * stores them, and /api/v1/query_exemplars gives them back, so a dashboard can jump from a
 * latency bucket to the trace.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Counter } from 'promkit';
import { Histogram } from 'promkit';
import { Registry } from 'promkit';
import { startMetricsServer, type RunningMetricsServer } from 'promkit/server';
import { startPrometheus, waitUntil, type ExemplarSeries, type RunningPrometheus } from '@promkit/testing';
import { exemplarFromActiveSpan, withSpan, type TraceExemplar } from '../src/index.js';
import { quietLogger } from '../../promkit/test/server/http-client.js';
import { memoryTracing, type MemoryTracing } from './helpers.js';

let mem: MemoryTracing;
let server: RunningMetricsServer;
let prom: RunningPrometheus;
const startedAt = Date.now() - 60_000;
let slow: TraceExemplar;
let fast: TraceExemplar;

before(async () => {
  mem = memoryTracing();
  const registry = new Registry();
  const latency = new Histogram({
    name: 'app_request_duration_seconds',
    help: 'Request latency',
    labelNames: ['route'],
    buckets: [0.1, 0.5, 1, 2.5],
    enableExemplars: true,
    exemplarsOnTextRegistry: true,
    registers: [registry],
  });
  const requests = new Counter({
    name: 'app_requests_total',
    help: 'Requests',
    labelNames: ['route'],
    enableExemplars: true,
    exemplarsOnTextRegistry: true,
    registers: [registry],
  });
  // What an instrumented handler does today: exemplar labels taken from the active span.
  slow = withSpan('slow request', {}, () => {
    const exemplar = exemplarFromActiveSpan()!;
    latency.observe({ labels: { route: '/generate' }, value: 0.73, exemplarLabels: exemplar });
    requests.inc({ labels: { route: '/generate' }, value: 1, exemplarLabels: exemplar });
    return exemplar;
  });
  // The child form: observe(value, exemplarLabels).
  fast = withSpan('fast request', {}, () => {
    const exemplar = exemplarFromActiveSpan()!;
    latency.labels('/health').observe(0.02, exemplar);
    return exemplar;
  });
  server = await startMetricsServer({ registry, host: '127.0.0.1', openMetrics: true, logger: quietLogger() });
  prom = await startPrometheus({ targets: [{ job: 'app', url: `${server.url}/metrics` }], features: ['exemplar-storage'] });
});

after(async () => {
  await prom?.close();
  await server?.close();
  await mem?.tracing.shutdown();
});

function exemplarsOf(series: ExemplarSeries[], labels: Record<string, string>): ExemplarSeries['exemplars'] {
  return series.filter((s) => Object.entries(labels).every(([k, v]) => s.seriesLabels[k] === v)).flatMap((s) => s.exemplars);
}

describe('exemplars through a real Prometheus', () => {
  test('histogram buckets and counters keep the trace_id/span_id of the span they were recorded in', async () => {
    await prom.waitForTargetsUp({ timeoutMs: 30_000 });
    await prom.waitForScrapes(1, { timeoutMs: 30_000 });
    const buckets = await prom.exemplars('app_request_duration_seconds_bucket', new Date(startedAt), new Date(Date.now() + 60_000));
    // OpenMetrics writes bucket bounds canonically: le="1.0".
    assert.deepEqual(
      exemplarsOf(buckets, { route: '/generate', le: '1.0' }).map((e) => [e.labels, e.value]),
      [[{ trace_id: slow.trace_id, span_id: slow.span_id }, 0.73]],
    );
    assert.deepEqual(
      exemplarsOf(buckets, { route: '/health', le: '0.1' }).map((e) => [e.labels, e.value]),
      [[{ trace_id: fast.trace_id, span_id: fast.span_id }, 0.02]],
    );
    const counters = await prom.exemplars('app_requests_total', new Date(startedAt), new Date(Date.now() + 60_000));
    assert.deepEqual(
      exemplarsOf(counters, { route: '/generate' }).map((e) => [e.labels, e.value]),
      [[{ trace_id: slow.trace_id, span_id: slow.span_id }, 1]],
    );
    // And the ids are those of spans the tracer recorded.
    assert.ok(mem.spans().some((s) => s.name === 'slow request' && s.spanContext().spanId === slow.span_id));
  });

  test("the status server's own request metrics link each scrape to its server span", async () => {
    // A scrape's duration is recorded when it ends, so it shows up in the next scrape.
    const found = await waitUntil(
      async () => {
        const series = await prom.exemplars(
          'promkit_http_request_duration_seconds_bucket{path="/metrics"}',
          new Date(startedAt),
          new Date(Date.now() + 60_000),
        );
        return series.flatMap((s) => s.exemplars)[0];
      },
      { timeoutMs: 30_000, intervalMs: 250, description: 'an exemplar on the server request duration' },
    );
    const span = mem.spans().find((s) => s.spanContext().spanId === found.labels.span_id);
    assert.ok(span, `span ${found.labels.span_id} was recorded`);
    assert.equal(span.name, 'GET /metrics');
    assert.equal(span.spanContext().traceId, found.labels.trace_id);
  });
});
