/**
 * Where the runtime logs: `promkit::runtime` (failed update callbacks) and, for its system
 * status server, `promkit::server`, both through promkit/logging, unless a logger is given.
 */
import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import { installLogging, setDefaultLogging } from '@promkit/logging';
import { DistributedRuntime, RUNTIME_LOG_TARGET } from '../../src/runtime/index.js';
import { withSpan } from '@promkit/tracing';
import { captureLogging, type CapturedLogging } from '../../../logging/test/capture.js';
import { quietLogger } from '../server/http-client.js';
import { memoryTracing } from '../../../tracing/test/helpers.js';

/** JSON log lines for one test; set before the runtime is created, which takes its logger then. */
function captured(t: TestContext): CapturedLogging {
  const logs = captureLogging();
  setDefaultLogging(logs.logging);
  installLogging();
  t.after(() => setDefaultLogging(undefined));
  return logs;
}

const SYSTEM_ENV = { DYN_SYSTEM_ENABLED: 'true', DYN_SYSTEM_PORT: '0', DYN_SYSTEM_HOST: '127.0.0.1' };

describe('runtime logging', () => {
  test('a failing update callback is logged under promkit::runtime with its scope and error, in the active trace', async (t) => {
    const logs = captured(t);
    const mem = memoryTracing();
    t.after(() => mem.tracing.shutdown());
    const runtime = new DistributedRuntime();
    runtime
      .namespace('n')
      .component('c')
      .addUpdateCallback(() => {
        throw new Error('sensor offline');
      });
    const ids = await withSpan('scrape', {}, async (span) => {
      await runtime.prometheusMetricsFmt();
      return { trace_id: span.spanContext().traceId, span_id: span.spanContext().spanId };
    });
    const line = logs.records().find((r) => r.target === RUNTIME_LOG_TARGET);
    assert.ok(line, `a promkit::runtime line in ${JSON.stringify(logs.records())}`);
    assert.equal(RUNTIME_LOG_TARGET, 'promkit::runtime');
    assert.equal(line.level, 'ERROR');
    assert.equal(line.scope, 'n/c');
    assert.equal((line.err as { message?: unknown }).message, 'sensor offline');
    assert.match(String(line.message), /update callback of scope 'n\/c' failed/);
    assert.deepEqual({ trace_id: line.trace_id, span_id: line.span_id }, ids);
  });

  test('the system status server logs under promkit::server by default', async (t) => {
    const logs = captured(t);
    const runtime = new DistributedRuntime();
    const server = (await runtime.startSystemServer({ env: SYSTEM_ENV }))!;
    t.after(() => server.close());
    const line = logs.records().find((r) => String(r.message).includes('system status server listening'));
    assert.ok(line, 'the listening line');
    assert.equal(line.target, 'promkit::server');
    assert.equal(line.level, 'INFO');
    assert.equal(
      logs.records().some((r) => r.target === RUNTIME_LOG_TARGET),
      false,
    );
  });

  test('a logger given to the runtime takes everything, and nothing reaches promkit/logging', async (t) => {
    const logs = captured(t);
    const logger = quietLogger();
    const runtime = new DistributedRuntime({ logger });
    assert.equal(runtime.logger, logger);
    runtime.addUpdateCallback(() => {
      throw new Error('boom');
    });
    await runtime.prometheusMetricsFmt();
    const server = (await runtime.startSystemServer({ env: SYSTEM_ENV }))!;
    t.after(() => server.close());
    assert.ok(logger.lines.some((l) => l.includes("scope '/' failed") && l.includes('boom')));
    assert.ok(logger.lines.some((l) => l.includes('system status server listening')));
    assert.deepEqual(logs.raw, []);
  });
});
