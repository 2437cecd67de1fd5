/**
 * OpenTelemetry's standard environment: OTEL_RESOURCE_ATTRIBUTES reaches the exported
 * resource (with OTEL_SERVICE_NAME > its service.name > promkit's default), the SDK's
 * resource detection adds the process, and OTEL_EXPORTER_OTLP_ENDPOINT is honoured.
 */
import assert from 'node:assert/strict';
import { after, afterEach, describe, test } from 'node:test';
import { waitUntil } from '@promkit/testing';
import { initTracing, withSpan, type Tracing } from '../src/index.js';
import { captureLogging } from '../../logging/test/capture.js';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './helpers.js';

const OTEL_VARS = ['OTEL_RESOURCE_ATTRIBUTES', 'OTEL_SERVICE_NAME', 'OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'OTEL_EXPORT_ENABLED'];
const saved = Object.fromEntries(OTEL_VARS.map((v) => [v, process.env[v]]));
const receivers: OtlpReceiver[] = [];
let tracing: Tracing | undefined;

/** The SDK's detectors read process.env, so the variables are set there, as a deployment sets them. */
function setEnv(vars: Record<string, string>): void {
  for (const v of OTEL_VARS) delete process.env[v];
  Object.assign(process.env, vars);
}

async function receiver(): Promise<OtlpReceiver> {
  const r = await startOtlpReceiver();
  receivers.push(r);
  return r;
}

async function exportOne(r: OtlpReceiver): Promise<ReceivedSpan> {
  withSpan('one', {}, () => undefined);
  return waitUntil(
    async () => {
      await tracing!.forceFlush().catch(() => {});
      return r.spans()[0];
    },
    { timeoutMs: 10_000, intervalMs: 20, description: 'a span at the OTLP receiver' },
  );
}

function start(): Tracing {
  tracing = initTracing({ env: process.env, logger: captureLogging().logging.logger('promkit::tracing') });
  return tracing;
}

describe("OpenTelemetry's standard environment", () => {
  afterEach(async () => {
    await tracing?.shutdown();
    tracing = undefined;
  });
  after(async () => {
    for (const [v, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[v];
      else process.env[v] = value;
    }
    await Promise.all(receivers.map((r) => r.close()));
  });

  test('OTEL_RESOURCE_ATTRIBUTES reaches the resource, beside what the SDK detects', async () => {
    const r = await receiver();
    setEnv({
      OTEL_EXPORT_ENABLED: '1',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: r.url,
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=staging,k8s.pod.name=pod-1',
    });
    start();
    const span = await exportOne(r);
    assert.equal(span.resource['deployment.environment'], 'staging');
    assert.equal(span.resource['k8s.pod.name'], 'pod-1');
    assert.equal(span.service, 'dynamo', "promkit's default service name without OTEL_SERVICE_NAME or service.name");
    assert.equal(span.resource['process.pid'], process.pid, "the SDK's process detector");
  });

  test('service.name in OTEL_RESOURCE_ATTRIBUTES names the service; OTEL_SERVICE_NAME wins over it', async () => {
    const r = await receiver();
    setEnv({ OTEL_EXPORT_ENABLED: '1', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: r.url, OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-attributes' });
    start();
    assert.equal((await exportOne(r)).service, 'from-attributes');
    await tracing!.shutdown();

    const r2 = await receiver();
    setEnv({
      OTEL_EXPORT_ENABLED: '1',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: r2.url,
      OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-attributes',
      OTEL_SERVICE_NAME: 'from-service-name',
    });
    start();
    assert.equal((await exportOne(r2)).service, 'from-service-name');
  });

  test('OTEL_EXPORTER_OTLP_ENDPOINT is the base: spans go to its /v1/traces', async () => {
    const r = await receiver();
    const base = r.url.replace(/\/v1\/traces$/, '');
    setEnv({ OTEL_EXPORT_ENABLED: '1', OTEL_EXPORTER_OTLP_ENDPOINT: base });
    assert.equal(start().config.endpoint, `${base}/v1/traces`);
    assert.equal((await exportOne(r)).name, 'one');
  });

  test('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT wins over OTEL_EXPORTER_OTLP_ENDPOINT', async () => {
    const r = await receiver();
    setEnv({ OTEL_EXPORT_ENABLED: '1', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9/elsewhere', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: r.url });
    assert.equal(start().config.endpoint, r.url);
    assert.equal((await exportOne(r)).name, 'one');
  });
});
