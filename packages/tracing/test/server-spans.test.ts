/**
 * The status server continues the caller's trace (W3C traceparent/tracestate), tags the
 * span and its log lines with x-request-id, and links its request metrics to the span by
 * exemplar.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { Counter } from 'promkit';
import { Registry } from 'promkit';
import { installLogging, setDefaultLogging } from '@promkit/logging';
import { startMetricsServer, type RunningMetricsServer } from 'promkit/server';
import { captureLogging, type CapturedLogging } from '../../logging/test/capture.js';
import { request } from '../../promkit/test/server/http-client.js';
import { memoryTracing, type MemoryTracing } from './helpers.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';
const OPENMETRICS = 'application/openmetrics-text;version=1.0.0';

let mem: MemoryTracing;
let logs: CapturedLogging;
let server: RunningMetricsServer;
let failing: RunningMetricsServer;

before(async () => {
  mem = memoryTracing();
  logs = captureLogging({ filter: 'info,promkit::server::request=debug' });
  // Set before the servers start: they take their loggers from the default logging.
  setDefaultLogging(logs.logging);
  installLogging();
  const registry = new Registry();
  new Counter({ name: 'app_things_total', help: 'Things', registers: [registry] }).inc(3);
  server = await startMetricsServer({ registry, host: '127.0.0.1', openMetrics: true });
  failing = await startMetricsServer({
    registry: new Registry(),
    host: '127.0.0.1',
    auth: () => {
      throw new Error('token service down');
    },
  });
});

after(async () => {
  await Promise.all([server?.close(), failing?.close()]);
  setDefaultLogging(undefined);
  await mem?.tracing.shutdown();
});

beforeEach(() => mem.exporter.reset());

const serverSpan = (match: (s: ReadableSpan) => boolean, description: string): Promise<ReadableSpan> =>
  mem.waitForSpan((s) => s.kind === SpanKind.SERVER && match(s), description);

describe('status server spans', () => {
  test('a request with traceparent, tracestate and x-request-id continues the trace', async () => {
    const res = await request(`${server.url}/metrics?x=1`, {
      headers: { traceparent: `00-${TRACE_ID}-${PARENT_ID}-01`, tracestate: 'vendor=opaque', 'x-request-id': 'req-7f3a' },
    });
    assert.equal(res.status, 200);
    const span = await serverSpan((s) => s.spanContext().traceId === TRACE_ID, 'the server span of the traced request');
    assert.equal(span.name, 'GET /metrics');
    assert.equal(span.parentSpanContext?.spanId, PARENT_ID);
    assert.equal(span.parentSpanContext?.isRemote, true);
    assert.equal(span.spanContext().traceState?.get('vendor'), 'opaque');
    assert.deepEqual(span.attributes, {
      'http.request.method': 'GET',
      'url.path': '/metrics',
      'url.scheme': 'http',
      'network.protocol.version': '1.1',
      'http.route': '/metrics',
      x_request_id: 'req-7f3a',
      'http.response.status_code': 200,
    });
    assert.equal(span.status.code, SpanStatusCode.UNSET);

    const line = logs.records().find((r) => r.target === 'promkit::server::request' && r.trace_id === TRACE_ID);
    assert.ok(line, 'a request log line in the trace');
    assert.equal(line.span_id, span.spanContext().spanId);
    assert.equal(line.x_request_id, 'req-7f3a');
    assert.equal(line.status, 200);
    assert.equal(line.path, '/metrics');
  });

  test("the request metrics carry the request's trace as exemplar (OpenMetrics)", async () => {
    await request(`${server.url}/metrics`, { headers: { traceparent: `00-${TRACE_ID}-${PARENT_ID}-01` } });
    const span = await serverSpan((s) => s.spanContext().traceId === TRACE_ID, 'the traced scrape');
    const exposition = (await request(`${server.url}/metrics`, { headers: { accept: OPENMETRICS } })).text;
    const exemplar = `# {trace_id="${TRACE_ID}",span_id="${span.spanContext().spanId}"}`;
    const bucket = exposition.split('\n').find((l) => l.startsWith('promkit_http_request_duration_seconds_bucket{path="/metrics"') && l.includes(exemplar));
    assert.ok(bucket, `a /metrics duration bucket with ${exemplar} in:\n${exposition}`);
    const count = exposition.split('\n').find((l) => l.startsWith('promkit_http_requests_total{path="/metrics",code="200"}') && l.includes(exemplar));
    assert.ok(count, 'the request counter with the same exemplar');
  });

  test('without traceparent the request starts a new trace', async () => {
    await request(`${server.url}/metrics`);
    const span = await serverSpan(() => true, 'a server span');
    assert.equal(span.parentSpanContext, undefined);
    assert.notEqual(span.spanContext().traceId, TRACE_ID);
    assert.equal(span.attributes.x_request_id, undefined);
  });

  test('a malformed traceparent and an unsafe x-request-id are ignored', async () => {
    for (const id of ['two words', 'x'.repeat(129)]) {
      mem.exporter.reset();
      await request(`${server.url}/metrics`, { headers: { traceparent: `00-${TRACE_ID}-zz-01`, 'x-request-id': id } });
      const span = await serverSpan(() => true, 'a server span');
      assert.equal(span.parentSpanContext, undefined);
      assert.notEqual(span.spanContext().traceId, TRACE_ID);
      assert.equal(span.attributes.x_request_id, undefined);
    }
  });

  test('an unknown path: span named by the method alone, no http.route, status 404', async () => {
    await request(`${server.url}/scanner/probe`);
    const span = await serverSpan(() => true, 'a server span');
    assert.equal(span.name, 'GET');
    assert.equal(span.attributes['http.route'], undefined);
    assert.equal(span.attributes['url.path'], '/scanner/probe');
    assert.equal(span.attributes['http.response.status_code'], 404);
    assert.equal(span.status.code, SpanStatusCode.UNSET);
  });

  test('a failure (500) marks the span failed, and the error log line is in the trace', async () => {
    const res = await request(`${failing.url}/metrics`, { headers: { traceparent: `00-${TRACE_ID}-${PARENT_ID}-01` } });
    assert.equal(res.status, 500);
    const span = await serverSpan((s) => s.spanContext().traceId === TRACE_ID, 'the failed request');
    assert.equal(span.status.code, SpanStatusCode.ERROR);
    assert.equal(span.attributes['http.response.status_code'], 500);
    const error = logs.records().find((r) => r.target === 'promkit::server' && r.level === 'ERROR');
    assert.ok(error, 'an error line from promkit::server');
    assert.match(String(error.message), /authorizer failed/);
    assert.equal(error.trace_id, TRACE_ID);
    assert.equal(error.span_id, span.spanContext().spanId);
  });
});
