/** withSpan, operator span attributes, exemplars and log lines from the active span. */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { context, propagation, SpanKind, SpanStatusCode, trace, TraceFlags } from '@opentelemetry/api';
import { activeSpanContext, exemplarFromActiveSpan, exemplarOf, withRequestId, withSpan } from '../src/index.js';
import { setReconcileOutcome, withReconcileSpan } from '@promkit/kube';
import { captureLogging } from '../../logging/test/capture.js';
import { memoryTracing, type MemoryTracing } from './helpers.js';

let mem: MemoryTracing;
before(() => {
  mem = memoryTracing();
});
after(() => mem.tracing.shutdown());
beforeEach(() => mem.exporter.reset());

describe('withSpan', () => {
  test('returns what fn returns; nested spans are children of the active one', () => {
    const value = withSpan('outer', { a: 1 }, () => withSpan('inner', { b: 'x' }, () => 42));
    assert.equal(value, 42);
    const [inner, outer] = mem.spans();
    assert.equal(inner!.name, 'inner');
    assert.equal(outer!.name, 'outer');
    assert.equal(inner!.parentSpanContext?.spanId, outer!.spanContext().spanId);
    assert.equal(inner!.spanContext().traceId, outer!.spanContext().traceId);
    assert.deepEqual(outer!.attributes, { a: 1 });
    assert.deepEqual(inner!.attributes, { b: 'x' });
  });

  test('async: the span stays active across awaits and ends when the promise settles', async () => {
    const seen = await withSpan('async', {}, async (span) => {
      await new Promise((r) => setImmediate(r));
      assert.equal(mem.spans().length, 0, 'not ended before the promise settles');
      return activeSpanContext()?.spanId === span.spanContext().spanId;
    });
    assert.equal(seen, true);
    assert.equal(mem.spans()[0]!.name, 'async');
  });

  test('a throw or a rejection marks the span failed and is passed on', async () => {
    assert.throws(
      () =>
        withSpan('sync-fail', {}, () => {
          throw new RangeError('nope');
        }),
      RangeError,
    );
    await assert.rejects(
      withSpan('async-fail', {}, async () => {
        throw new Error('later');
      }),
      /later/,
    );
    const [syncFail, asyncFail] = mem.spans();
    assert.deepEqual(syncFail!.status, { code: SpanStatusCode.ERROR, message: 'nope' });
    assert.equal(syncFail!.events[0]!.name, 'exception');
    assert.equal(syncFail!.events[0]!.attributes?.['exception.type'], 'RangeError');
    assert.deepEqual(asyncFail!.status, { code: SpanStatusCode.ERROR, message: 'later' });
  });

  test('span options (kind, links) pass through', () => {
    withSpan('client', { peer: 'api' }, () => undefined, { kind: SpanKind.CLIENT });
    assert.equal(mem.spans()[0]!.kind, SpanKind.CLIENT);
  });
});

describe('operator spans', () => {
  test('reconcile: resource type, namespace, name, result and error_type, named like the metric labels', async () => {
    await assert.rejects(
      withReconcileSpan({ resourceType: 'DynamoGraphDeployment', namespace: 'prod', name: 'llama' }, async (span) => {
        setReconcileOutcome(span, 'error', 'conflict');
        throw new Error('the object has been modified');
      }),
    );
    await withReconcileSpan({ resourceType: 'DynamoGraphDeployment', namespace: 'prod', name: 'llama' }, async (span) => setReconcileOutcome(span, 'requeue'));
    const [failed, requeued] = mem.spans();
    assert.equal(failed!.name, 'reconcile');
    assert.deepEqual(failed!.attributes, { resource_type: 'DynamoGraphDeployment', namespace: 'prod', name: 'llama', result: 'error', error_type: 'conflict' });
    assert.equal(failed!.status.code, SpanStatusCode.ERROR);
    assert.deepEqual(requeued!.attributes, { resource_type: 'DynamoGraphDeployment', namespace: 'prod', name: 'llama', result: 'requeue' });
  });
});

describe('exemplars from the active span', () => {
  test('inside a sampled span: { trace_id, span_id } of that span; outside: undefined', () => {
    assert.equal(exemplarFromActiveSpan(), undefined);
    withSpan('work', {}, (span) => {
      assert.deepEqual(exemplarFromActiveSpan(), { trace_id: span.spanContext().traceId, span_id: span.spanContext().spanId });
    });
  });

  test('an unsampled trace gives no exemplar (it would link to nothing)', () => {
    const parent = trace.wrapSpanContext({ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: TraceFlags.NONE });
    context.with(trace.setSpan(context.active(), parent), () => {
      withSpan('unsampled', {}, (span) => {
        assert.equal(span.isRecording(), false);
        assert.equal(exemplarFromActiveSpan(), undefined);
      });
    });
    assert.equal(exemplarOf(undefined), undefined);
  });
});

describe('trace-log correlation', () => {
  test('lines written inside a span carry its trace_id and span_id; outside they do not', async () => {
    const { logging, records } = captureLogging();
    const log = logging.logger('promkit::kube::reconcile');
    log.info('before');
    let ids: { outer: string; inner: string; trace: string } | undefined;
    await withSpan('outer', {}, async (outer) => {
      log.info('in outer');
      await withSpan('inner', {}, async (inner) => {
        await new Promise((r) => setImmediate(r));
        log.info('in inner');
        ids = { outer: outer.spanContext().spanId, inner: inner.spanContext().spanId, trace: outer.spanContext().traceId };
      });
    });
    log.info('after');
    const byMessage = Object.fromEntries(records().map((r) => [r.message, r]));
    assert.ok(!('trace_id' in byMessage.before!) && !('trace_id' in byMessage.after!));
    assert.equal(byMessage['in outer']!.trace_id, ids!.trace);
    assert.equal(byMessage['in outer']!.span_id, ids!.outer);
    assert.equal(byMessage['in inner']!.trace_id, ids!.trace);
    assert.equal(byMessage['in inner']!.span_id, ids!.inner);
    // The ids are the ones exported.
    assert.ok(mem.spans().some((s) => s.spanContext().spanId === ids!.inner && s.name === 'inner'));
  });

  test('x_request_id from withRequestId; the readable format shows the ids too', () => {
    const { logging, raw } = captureLogging({ jsonl: false });
    withRequestId('req-42', () => withSpan('handle', {}, () => logging.logger('app').info('handled')));
    const span = mem.spans()[0]!;
    assert.match(raw[0]!, new RegExp(` INFO app: handled trace_id=${span.spanContext().traceId} span_id=${span.spanContext().spanId} x_request_id=req-42\\n$`));
  });

  test('an incoming unsampled trace still correlates logs by trace_id', () => {
    const { logging, records } = captureLogging();
    const parent = propagation.extract(context.active(), { traceparent: `00-${'c'.repeat(32)}-${'d'.repeat(16)}-00` });
    context.with(parent, () => withSpan('unsampled', {}, () => logging.logger('app').info('x')));
    assert.equal(records()[0]!.trace_id, 'c'.repeat(32));
  });
});
