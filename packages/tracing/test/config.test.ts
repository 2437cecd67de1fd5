/** OTEL_* variables, and tracing set up and torn down without leaving global state. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { context, propagation, trace } from '@opentelemetry/api';
import { initTracing, loadTracingConfig, tracesUrlOf, withSpan } from '../src/index.js';
import { captureLogging } from '../../logging/test/capture.js';

describe('loadTracingConfig', () => {
  test('defaults: no export, service "dynamo", OTLP/HTTP on localhost:4318', () => {
    assert.deepEqual(loadTracingConfig({}), {
      config: { exportEnabled: false, endpoint: 'http://localhost:4318/v1/traces', serviceName: 'dynamo' },
      problems: [],
    });
  });

  test('the three variables', () => {
    const { config, problems } = loadTracingConfig({
      OTEL_EXPORT_ENABLED: '1',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://tempo.monitoring:4318/v1/traces',
      OTEL_SERVICE_NAME: 'dynamo-frontend',
    });
    assert.deepEqual(problems, []);
    assert.deepEqual(config, { exportEnabled: true, endpoint: 'https://tempo.monitoring:4318/v1/traces', serviceName: 'dynamo-frontend' });
  });

  test('an endpoint without a path gets /v1/traces; one with a path is kept', () => {
    assert.equal(tracesUrlOf('http://tempo:4318'), 'http://tempo:4318/v1/traces');
    assert.equal(tracesUrlOf('http://tempo:4318/'), 'http://tempo:4318/v1/traces');
    assert.equal(tracesUrlOf('http://collector/otlp/v1/traces'), 'http://collector/otlp/v1/traces');
    assert.equal(tracesUrlOf('tempo:4318'), undefined);
    assert.equal(tracesUrlOf('grpc://tempo:4317'), undefined);
  });

  test('problems are reported, never thrown: bad flag, bad URL, the gRPC port', () => {
    const bad = loadTracingConfig({ OTEL_EXPORT_ENABLED: 'maybe', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'not a url' });
    assert.equal(bad.config.exportEnabled, false);
    assert.equal(bad.config.endpoint, 'http://localhost:4318/v1/traces');
    assert.match(bad.problems[0]!, /OTEL_EXPORT_ENABLED="maybe" is not a boolean/);
    assert.match(bad.problems[1]!, /OTEL_EXPORTER_OTLP_TRACES_ENDPOINT="not a url" is not an http\(s\) URL/);
    const grpc = loadTracingConfig({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://tempo:4317' });
    assert.equal(grpc.config.endpoint, 'http://tempo:4317/v1/traces');
    assert.match(grpc.problems[0]!, /port 4317 is OTLP\/gRPC, but promkit exports OTLP\/HTTP \(usually port 4318\)/);
  });
});

describe('initTracing', () => {
  test('logs its problems, refuses a second set-up, and shutdown removes every global', async () => {
    const { logging, records } = captureLogging();
    const tracing = initTracing({ env: { OTEL_EXPORT_ENABLED: 'perhaps' }, logger: logging.logger('promkit::tracing') });
    try {
      assert.match(String(records()[0]!.message), /OTEL_EXPORT_ENABLED="perhaps"/);
      assert.throws(() => initTracing({ env: {} }), /already set up in this process; call shutdown\(\) on it first/);
      withSpan('inside', {}, (span) => assert.equal(span.isRecording(), true));
    } finally {
      await tracing.shutdown();
      await tracing.shutdown(); // idempotent
    }
    withSpan('after', {}, (span) => assert.equal(span.isRecording(), false));
    assert.equal(
      context.with(trace.setSpan(context.active(), trace.wrapSpanContext({ traceId: '1'.repeat(32), spanId: '2'.repeat(16), traceFlags: 1 })), () =>
        trace.getActiveSpan(),
      ),
      undefined,
    );
    const carrier: Record<string, string> = {};
    propagation.inject(context.active(), carrier);
    assert.deepEqual(carrier, {});
    // And it can be set up again.
    await initTracing({ env: {} }).shutdown();
  });

  test('an endpoint given in code must be a URL', () => {
    assert.throws(() => initTracing({ env: {}, endpoint: 'tempo' }), /endpoint must be an http\(s\) URL/);
  });
});
