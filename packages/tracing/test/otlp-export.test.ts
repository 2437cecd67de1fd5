/**
 * Export by OTLP/HTTP to a receiver started here: OTEL_* variables only, OpenTelemetry's
 * own exporter, and what arrives is decoded and checked span by span.
 */
import assert from 'node:assert/strict';
import { after, afterEach, describe, test } from 'node:test';
import { Registry } from 'promkit';
import { startMetricsServer } from 'promkit/server';
import { waitUntil } from '@promkit/testing';
import { setReconcileOutcome, withReconcileSpan } from '@promkit/kube';
import { initTracing, withSpan, type Tracing } from '../src/index.js';
import { captureLogging } from '../../logging/test/capture.js';
import { request, quietLogger } from '../../promkit/test/server/http-client.js';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './helpers.js';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const PARENT_ID = 'b7ad6b7169203331';
// OTLP enums as they appear in JSON.
const SPAN_KIND_INTERNAL = 1;
const SPAN_KIND_SERVER = 2;
const STATUS_CODE_ERROR = 2;

const receivers: OtlpReceiver[] = [];
let tracing: Tracing | undefined;

async function receiver(options?: { rejectWith?: number }): Promise<OtlpReceiver> {
  const r = await startOtlpReceiver(options);
  receivers.push(r);
  return r;
}

/** Flushes until the receiver holds `count` spans (polling, no fixed sleep). */
function received(r: OtlpReceiver, count: number): Promise<ReceivedSpan[]> {
  return waitUntil(
    async () => {
      await tracing!.forceFlush();
      const spans = r.spans();
      return spans.length >= count ? spans : undefined;
    },
    { timeoutMs: 10_000, intervalMs: 20, description: `${count} spans at the OTLP receiver` },
  );
}

afterEach(async () => {
  await tracing?.shutdown();
  tracing = undefined;
});
after(() => Promise.all(receivers.map((r) => r.close())));

describe('OTLP/HTTP export configured by OTEL_* variables', () => {
  test('server and operator spans arrive with service name, parents, kinds, attributes and status', async () => {
    const r = await receiver();
    const { logging, records } = captureLogging();
    // An endpoint without a path: promkit adds /v1/traces.
    tracing = initTracing({
      env: { OTEL_EXPORT_ENABLED: 'true', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: r.url.replace('/v1/traces', ''), OTEL_SERVICE_NAME: 'promkit-test' },
      logger: logging.logger('promkit::tracing'),
    });
    const enabled = records().find((l) => l.message === 'OpenTelemetry OTLP export enabled');
    assert.deepEqual([enabled?.endpoint, enabled?.service], [r.url, 'promkit-test']);

    const server = await startMetricsServer({ registry: new Registry(), host: '127.0.0.1', logger: quietLogger() });
    try {
      const res = await request(`${server.url}/metrics`, { headers: { traceparent: `00-${TRACE_ID}-${PARENT_ID}-01`, 'x-request-id': 'abc-123' } });
      assert.equal(res.status, 200);
    } finally {
      await server.close();
    }
    await assert.rejects(
      withReconcileSpan({ resourceType: 'DynamoGraphDeployment', namespace: 'team-a', name: 'llama' }, async (span) => {
        await withSpan('patch status', { 'k8s.verb': 'patch' }, async () => undefined);
        setReconcileOutcome(span, 'error', 'conflict');
        throw new Error('the object has been modified');
      }),
    );

    const spans = await received(r, 3);
    assert.ok(
      r.requests.every((q) => q.path === '/v1/traces' && q.contentType === 'application/json'),
      JSON.stringify(r.requests),
    );
    for (const s of spans) {
      assert.equal(s.service, 'promkit-test');
      assert.equal(s.scope, 'promkit');
      assert.match(s.traceId, /^[0-9a-f]{32}$/);
      assert.match(s.spanId, /^[0-9a-f]{16}$/);
    }

    const http = spans.find((s) => s.name === 'GET /metrics')!;
    assert.equal(http.traceId, TRACE_ID);
    assert.equal(http.parentSpanId, PARENT_ID);
    assert.equal(http.kind, SPAN_KIND_SERVER);
    assert.equal(http.attributes['http.route'], '/metrics');
    assert.equal(http.attributes['http.response.status_code'], 200);
    assert.equal(http.attributes.x_request_id, 'abc-123');

    const reconcile = spans.find((s) => s.name === 'reconcile')!;
    const patch = spans.find((s) => s.name === 'patch status')!;
    assert.equal(reconcile.parentSpanId, undefined);
    assert.equal(reconcile.kind, SPAN_KIND_INTERNAL);
    assert.deepEqual(reconcile.attributes, {
      resource_type: 'DynamoGraphDeployment',
      namespace: 'team-a',
      name: 'llama',
      result: 'error',
      error_type: 'conflict',
    });
    assert.equal(reconcile.status.code, STATUS_CODE_ERROR);
    assert.equal(reconcile.status.message, 'the object has been modified');
    assert.equal(patch.traceId, reconcile.traceId);
    assert.equal(patch.parentSpanId, reconcile.spanId);
    assert.deepEqual(patch.attributes, { 'k8s.verb': 'patch' });
  });

  test('OTEL_SERVICE_NAME unset: the service is "dynamo"', async () => {
    const r = await receiver();
    tracing = initTracing({
      env: { OTEL_EXPORT_ENABLED: '1', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: r.url },
      logger: captureLogging().logging.logger('promkit::tracing'),
    });
    withSpan('one', {}, () => undefined);
    const [span] = await received(r, 1);
    assert.equal(span!.service, 'dynamo');
  });

  test('OTEL_EXPORT_ENABLED unset: spans exist (ids for logs and exemplars) but nothing is sent', async () => {
    const r = await receiver();
    tracing = initTracing({ env: { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: r.url } });
    withSpan('kept local', {}, (span) => assert.equal(span.isRecording(), true));
    await tracing.forceFlush();
    assert.deepEqual(r.requests, []);
  });

  test('a rejected export is logged through promkit::tracing, and the process carries on', async () => {
    const r = await receiver({ rejectWith: 400 });
    const { logging, records } = captureLogging();
    tracing = initTracing({
      env: { OTEL_EXPORT_ENABLED: 'true', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: r.url },
      logger: logging.logger('promkit::tracing'),
      batch: { scheduledDelayMillis: 20 },
    });
    withSpan('doomed', {}, () => undefined);
    // Exported in the background by the batch timer, as in production (forceFlush would reject instead).
    const line = await waitUntil(() => records().find((l) => l.level === 'ERROR'), {
      timeoutMs: 10_000,
      intervalMs: 20,
      description: 'an export failure in the log',
    });
    assert.equal(line.target, 'promkit::tracing');
    assert.match(String(line.message), /Bad Request/);
    assert.ok(r.requests.length >= 1);
  });
});
