/**
 * The operator kit's spans, exemplars and log lines, with tracing kept in memory and log
 * lines captured as JSON: reconciles of objects read from LocalApiServer, the admission
 * webhook over real HTTPS continuing the caller's trace, and the inventory's informer
 * errors and restarts.
 */
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { CustomObjectsApi, type KubernetesListObject, type KubernetesObject } from '@kubernetes/client-node';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { Registry } from 'promkit';
import { allow, createOperatorMetrics, deny, type OperatorMetricsOptions } from '../src/index.js';
import { installLogging, setDefaultLogging } from '@promkit/logging';
import { startMetricsServer } from 'promkit/server';
import { withSpan } from '@promkit/tracing';
import { captureLogging, type CapturedLogging } from '../../logging/test/capture.js';
import { request } from '../../promkit/test/server/http-client.js';
import { memoryTracing, type MemoryTracing } from '../../tracing/test/helpers.js';
import { DGD, eventually, object, params, post, review, startApi, startHttpsWebhook } from './helpers.js';

const KIND = 'DynamoGraphDeployment';
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';
const OPENMETRICS = 'application/openmetrics-text;version=1.0.0';

interface Observed {
  mem: MemoryTracing;
  logs: CapturedLogging;
}

/**
 * Tracing in memory and JSON log lines for one test, undone when it ends. Set up before
 * the kit's components are created: they take their loggers from the default logging.
 */
function observe(t: TestContext): Observed {
  const mem = memoryTracing();
  const logs = captureLogging({ filter: 'info,promkit::kube=debug' });
  setDefaultLogging(logs.logging);
  installLogging();
  t.after(async () => {
    setDefaultLogging(undefined);
    await mem.tracing.shutdown();
  });
  return { mem, logs };
}

const idsOf = (span: ReadableSpan) => ({ trace_id: span.spanContext().traceId, span_id: span.spanContext().spanId });
const exemplarOf = (span: ReadableSpan) => `# {trace_id="${span.spanContext().traceId}",span_id="${span.spanContext().spanId}"}`;

/** The OpenMetrics exposition of `registry`, scraped over HTTP from a status server. */
async function scrapeOpenMetrics(t: TestContext, registry: Registry): Promise<string[]> {
  const server = await startMetricsServer({ registry, host: '127.0.0.1', openMetrics: true });
  t.after(() => server.close());
  const res = await request(`${server.url}/metrics`, { headers: { accept: OPENMETRICS } });
  assert.equal(res.status, 200);
  return res.text.split('\n');
}

type Dgd = { metadata: { name: string; namespace: string }; spec: { dependsOn?: string } };

/** A kit and a reconcile that reads the object's dependency from LocalApiServer (a 404 when it is missing). */
async function reconcileAgainstApi(t: TestContext, kitOptions: OperatorMetricsOptions = {}) {
  const api = await startApi(t);
  const custom = api.kubeConfig().makeApiClient(CustomObjectsApi);
  await custom.createNamespacedCustomObject({ ...params(DGD, 'team-a'), body: object(DGD, 'team-a', 'frontend', { dependsOn: 'backend' }) });
  await custom.createNamespacedCustomObject({ ...params(DGD, 'team-a'), body: object(DGD, 'team-a', 'backend') });
  await custom.createNamespacedCustomObject({ ...params(DGD, 'team-b'), body: object(DGD, 'team-b', 'orphan', { dependsOn: 'missing' }) });
  const registry = new Registry();
  const kit = createOperatorMetrics({ registry, ...kitOptions });
  const reconcile = kit.instrumentReconcile(KIND, async (dgd: Dgd) => {
    const { namespace } = dgd.metadata;
    if (dgd.spec.dependsOn) await custom.getNamespacedCustomObject({ ...params(DGD, namespace), name: dgd.spec.dependsOn });
    return {};
  });
  const get = (namespace: string, name: string) => custom.getNamespacedCustomObject({ ...params(DGD, namespace), name }) as Promise<Dgd>;
  return { registry, kit, reconcile, get };
}

describe('reconcile spans, exemplars and logs', () => {
  it('runs each reconcile in a span with resource_type, namespace, name, result and error_type', async (t) => {
    const { mem } = observe(t);
    const { reconcile, get, kit } = await reconcileAgainstApi(t);
    const loop = await withSpan('controller loop', {}, async (span) => {
      await reconcile(await get('team-a', 'frontend'));
      await assert.rejects(reconcile(await get('team-b', 'orphan')), /HTTP-Code: 404/);
      return span.spanContext();
    });
    const byKey = kit.instrumentReconcile(KIND, (_key: string) => ({ requeueAfter: 1000 }));
    await byKey('team-b/again');
    const byId = kit.instrumentReconcile(KIND, (_id: number) => undefined, { namespaceOf: () => 'team-a', nameOf: (id) => `job-${id}` });
    await byId(7);

    const spans = mem.spans().filter((s) => s.name === 'reconcile');
    assert.equal(spans.length, 4);
    const [ok, failed, requeued, named] = spans as [ReadableSpan, ReadableSpan, ReadableSpan, ReadableSpan];
    assert.deepEqual(ok.attributes, { resource_type: KIND, namespace: 'team-a', name: 'frontend', result: 'success' });
    assert.equal(ok.status.code, SpanStatusCode.UNSET);
    assert.equal(ok.parentSpanContext?.spanId, loop.spanId, 'a child of the active span');
    assert.equal(ok.spanContext().traceId, loop.traceId);

    assert.deepEqual(failed.attributes, { resource_type: KIND, namespace: 'team-b', name: 'orphan', result: 'error', error_type: 'not_found' });
    assert.equal(failed.status.code, SpanStatusCode.ERROR);
    assert.match(String(failed.events.find((e) => e.name === 'exception')?.attributes?.['exception.message']), /HTTP-Code: 404/, 'the exception is recorded');

    assert.deepEqual(requeued.attributes, { resource_type: KIND, namespace: 'team-b', name: 'again', result: 'requeue' });
    assert.equal(requeued.parentSpanContext, undefined, 'outside any span: a new trace');
    assert.deepEqual(named.attributes, { resource_type: KIND, namespace: 'team-a', name: 'job-7', result: 'success' }, 'the nameOf option');
  });

  it('gives the duration bucket, reconcile_total and reconcile_errors_total the span as exemplar (OpenMetrics)', async (t) => {
    const { mem } = observe(t);
    const { registry, reconcile, get } = await reconcileAgainstApi(t);
    await reconcile(await get('team-a', 'frontend'));
    await assert.rejects(reconcile(await get('team-b', 'orphan')));
    const [ok, failed] = mem.spans().filter((s) => s.name === 'reconcile') as [ReadableSpan, ReadableSpan];

    const lines = await scrapeOpenMetrics(t, registry);
    const find = (prefix: string, span: ReadableSpan) => lines.find((l) => l.startsWith(prefix) && l.includes(exemplarOf(span)));
    const okLabels = `{resource_type="${KIND}",namespace="team-a",result="success"`;
    const errLabels = `{resource_type="${KIND}",namespace="team-b",result="error"`;
    assert.ok(find(`dynamo_operator_reconcile_duration_seconds_bucket${okLabels},le=`, ok), `a success bucket with ${exemplarOf(ok)} in:\n${lines.join('\n')}`);
    assert.ok(find(`dynamo_operator_reconcile_total${okLabels}} 1 `, ok), 'reconcile_total with the success span');
    assert.ok(find(`dynamo_operator_reconcile_duration_seconds_bucket${errLabels},le=`, failed), 'an error bucket with the failed span');
    assert.ok(find(`dynamo_operator_reconcile_total${errLabels}} 1 `, failed), 'reconcile_total with the failed span');
    assert.ok(
      find(`dynamo_operator_reconcile_errors_total{resource_type="${KIND}",namespace="team-b",error_type="not_found"} 1 `, failed),
      'errors_total with the failed span',
    );
  });

  it('records no exemplars with exemplars: false', async (t) => {
    observe(t);
    const off = await reconcileAgainstApi(t, { exemplars: false });
    await off.reconcile(await off.get('team-a', 'frontend'));
    assert.ok(!(await scrapeOpenMetrics(t, off.registry)).some((l) => l.includes('# {')), 'no exemplar with exemplars: false');
  });

  it('logs failures at error and successes at debug, with the span ids', async (t) => {
    const { mem, logs } = observe(t);
    const { reconcile, get } = await reconcileAgainstApi(t);
    await reconcile(await get('team-a', 'frontend'));
    await assert.rejects(reconcile(await get('team-b', 'orphan')));
    const [ok, failed] = mem.spans().filter((s) => s.name === 'reconcile') as [ReadableSpan, ReadableSpan];
    const lines = logs.records().filter((r) => r.target === 'promkit::kube::reconcile');

    const error = lines.find((r) => r.level === 'ERROR');
    assert.ok(error, `an error line in ${JSON.stringify(lines)}`);
    assert.equal(error.message, 'reconcile failed');
    assert.deepEqual(
      {
        resource_type: error.resource_type,
        namespace: error.namespace,
        name: error.name,
        error_type: error.error_type,
        trace_id: error.trace_id,
        span_id: error.span_id,
      },
      { resource_type: KIND, namespace: 'team-b', name: 'orphan', error_type: 'not_found', ...idsOf(failed) },
    );
    assert.deepEqual({ reason: error.reason, code: error.code }, { reason: 'NotFound', code: 404 });
    assert.match(String(error.detail), /not found/);
    assert.equal(error.err, undefined, 'the error line stays short: the exception goes to debug');
    const detail = lines.find((r) => r.level === 'DEBUG' && r.message === 'reconcile failure detail');
    assert.match(String((detail?.err as { message?: unknown } | undefined)?.message), /HTTP-Code: 404/);

    const debug = lines.find((r) => r.level === 'DEBUG' && r.message === 'reconciled');
    assert.ok(debug, 'a debug line for the success');
    assert.deepEqual(
      {
        resource_type: debug.resource_type,
        namespace: debug.namespace,
        name: debug.name,
        result: debug.result,
        trace_id: debug.trace_id,
        span_id: debug.span_id,
      },
      { resource_type: KIND, namespace: 'team-a', name: 'frontend', result: 'success', ...idsOf(ok) },
    );
    assert.equal(typeof debug.seconds, 'number');
  });
});

async function startTracedWebhook(t: TestContext) {
  const { registry, url, ca } = await startHttpsWebhook(t, {
    path: '/validate',
    validatorTimeoutMs: 100,
    validators: {
      DynamoGraphDeployment: {
        CREATE: (req) =>
          (req.object as { spec?: { replicas?: number } })?.spec?.replicas === 0 ? deny('invalid_config', 'spec.replicas must be at least 1') : allow(),
        UPDATE: () => new Promise(() => undefined),
      },
      DynamoModel: () => {
        throw new Error('model registry unreachable');
      },
    },
  });
  return { registry, url: `${url}/validate`, ca };
}

describe('admission webhook spans, exemplars and logs', () => {
  it('continues the caller trace: server span, then an admission child span with the decision', async (t) => {
    const { mem } = observe(t);
    const { registry, url, ca } = await startTracedWebhook(t);
    const headers = { traceparent: `00-${TRACE_ID}-${PARENT_ID}-01`, tracestate: 'vendor=opaque', 'x-request-id': 'adm-42' };
    const reply = await post(url, ca, JSON.stringify(review(KIND, 'CREATE', { spec: { replicas: 0 } }, null, 'u-7')), headers);
    assert.equal(reply.body.response.allowed, false);

    const server = await mem.waitForSpan((s) => s.kind === SpanKind.SERVER && s.spanContext().traceId === TRACE_ID, 'the webhook server span');
    assert.equal(server.name, 'POST /validate');
    assert.equal(server.parentSpanContext?.spanId, PARENT_ID);
    assert.equal(server.spanContext().traceState?.get('vendor'), 'opaque');
    assert.equal(server.attributes['http.route'], '/validate');
    assert.equal(server.attributes['url.scheme'], 'https');
    assert.equal(server.attributes.x_request_id, 'adm-42');
    assert.equal(server.attributes['http.response.status_code'], 200);

    const admission = mem.spans().find((s) => s.name === 'admission');
    assert.ok(admission, 'an admission span');
    assert.equal(admission.spanContext().traceId, TRACE_ID);
    assert.equal(admission.parentSpanContext?.spanId, server.spanContext().spanId);
    assert.deepEqual(admission.attributes, {
      resource_type: KIND,
      operation: 'CREATE',
      namespace: 'team-a',
      name: 'x',
      uid: 'u-7',
      allowed: false,
      reason: 'invalid_config',
    });

    const lines = await scrapeOpenMetrics(t, registry);
    const withExemplar = (prefix: string) => lines.find((l) => l.startsWith(prefix) && l.includes(exemplarOf(admission)));
    assert.ok(
      withExemplar(`dynamo_operator_webhook_requests_total{resource_type="${KIND}",operation="CREATE",result="denied"} 1 `),
      `requests_total with the admission span in:\n${lines.join('\n')}`,
    );
    assert.ok(
      withExemplar(`dynamo_operator_webhook_denials_total{resource_type="${KIND}",operation="CREATE",reason="invalid_config"} 1 `),
      'denials_total too',
    );
    assert.ok(withExemplar(`dynamo_operator_webhook_duration_seconds_bucket{resource_type="${KIND}",operation="CREATE",le=`), 'a duration bucket too');
  });

  it('logs failing and slow validators at warn inside the admission span; the span is marked failed', async (t) => {
    const { mem, logs } = observe(t);
    const { url, ca } = await startTracedWebhook(t);
    const thrown = await post(url, ca, JSON.stringify(review('DynamoModel', 'CREATE', { spec: {} }, null, 'u-err')));
    assert.equal(thrown.body.response.status.reason, 'validator_error');
    const slow = await post(url, ca, JSON.stringify(review(KIND, 'UPDATE', { spec: {} }, { spec: {} }, 'u-slow')));
    assert.equal(slow.body.response.status.reason, 'validator_timeout');

    const spanOf = (uid: string) => mem.spans().find((s) => s.name === 'admission' && s.attributes.uid === uid)!;
    const lines = logs.records().filter((r) => r.target === 'promkit::kube::webhook' && r.level === 'WARN');
    const failed = lines.find((r) => r.uid === 'u-err');
    assert.ok(failed, `a warn line for the throwing validator in ${JSON.stringify(lines)}`);
    assert.equal(failed.reason, 'validator_error');
    assert.equal(failed.resource_type, 'DynamoModel');
    assert.equal((failed.err as { message?: unknown }).message, 'model registry unreachable');
    assert.deepEqual({ trace_id: failed.trace_id, span_id: failed.span_id }, idsOf(spanOf('u-err')));
    assert.equal(spanOf('u-err').status.code, SpanStatusCode.ERROR);
    assert.equal(spanOf('u-err').attributes.reason, 'validator_error');

    const timedOut = lines.find((r) => r.uid === 'u-slow');
    assert.ok(timedOut, 'a warn line for the slow validator');
    assert.equal(timedOut.reason, 'validator_timeout');
    assert.equal(timedOut.timeout_ms, 100);
    assert.deepEqual({ trace_id: timedOut.trace_id, span_id: timedOut.span_id }, idsOf(spanOf('u-slow')));
  });

  it('names the span of a request outside the path by its method alone', async (t) => {
    const { mem } = observe(t);
    const { url, ca } = await startTracedWebhook(t);
    const reply = await post(url.replace('/validate', '/elsewhere'), ca, JSON.stringify(review(KIND, 'CREATE', {})));
    assert.equal(reply.status, 404);
    const span = await mem.waitForSpan((s) => s.kind === SpanKind.SERVER, 'the server span');
    assert.equal(span.name, 'POST');
    assert.equal(span.attributes['http.route'], undefined);
    assert.equal(span.attributes['http.response.status_code'], 404);
    assert.equal(
      mem.spans().some((s) => s.name === 'admission'),
      false,
      'no admission span without a review',
    );
  });
});

describe('inventory logs', () => {
  it('logs informer errors and restarts at warn, and the recovery at info', async (t) => {
    const { logs } = observe(t);
    const api = await startApi(t);
    const custom = api.kubeConfig().makeApiClient(CustomObjectsApi);
    const kit = createOperatorMetrics({ registry: new Registry() });
    api.injectFailure({ verb: 'list', plural: DGD.plural, code: 500, times: 2 });
    const tracker = kit.trackInventory({
      kubeConfig: api.kubeConfig(),
      path: `/apis/${DGD.group}/${DGD.version}/${DGD.plural}`,
      listFn: () =>
        custom.listClusterCustomObject({ group: DGD.group, version: DGD.version, plural: DGD.plural }) as Promise<KubernetesListObject<KubernetesObject>>,
      kind: KIND,
      backoff: { initialMs: 20, maxMs: 100 },
    });
    t.after(() => tracker.stop());
    await tracker.started;
    const lines = () => logs.records().filter((r) => r.target === 'promkit::kube::inventory');
    await eventually(() => lines().some((r) => r.level === 'INFO'), 'the recovery line');

    const failures = lines().filter((r) => r.level === 'WARN' && String(r.message).startsWith('inventory informer failed'));
    assert.equal(failures.length, 2, JSON.stringify(lines()));
    for (const [i, line] of failures.entries()) {
      assert.equal(line.resource_type, KIND);
      assert.equal(line.error_type, 'internal', 'a 500 from the list');
      assert.equal(line.attempt, i + 1);
      assert.equal(typeof line.restart_in_ms, 'number');
      assert.ok(line.err, 'the error itself');
    }
    assert.equal(lines().filter((r) => r.level === 'WARN' && r.message === 'restarting inventory informer').length, 2);
    assert.equal(lines().find((r) => r.level === 'INFO')?.failures, 2);
  });
});
