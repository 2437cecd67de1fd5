/**
 * Every bad input is refused with an error that names the bad input and says what is
 * allowed (DESIGN.md: "Errors name the bad input and what is allowed").
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Counter, Gauge, Histogram, Registry, Summary, exponentialBuckets, linearBuckets } from '../../src/index.js';

function throwsMatching(fn: () => unknown, type: ErrorConstructor, ...patterns: RegExp[]): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof type, `expected ${type.name}, got ${String(error)}`);
    for (const p of patterns) assert.match(error.message, p);
    return true;
  });
}

const registers: Registry[] = [];

describe('metric and label names', () => {
  test('invalid metric names', () => {
    for (const name of ['1abc', 'with space', 'dash-ed', 'ünï', 'a{b}']) {
      throwsMatching(
        () => new Counter({ name, help: 'h', registers }),
        TypeError,
        new RegExp(`invalid metric name '${name.replace(/[{}]/g, '\\$&')}'`),
        /\[a-zA-Z_:\]\[a-zA-Z0-9_:\]\*/,
      );
    }
  });

  test('missing or non-string metric name', () => {
    throwsMatching(() => new Gauge({ name: '', help: 'h', registers }), TypeError, /metric name is required/);
    throwsMatching(() => new Gauge({ name: 42 as unknown as string, help: 'h', registers }), TypeError, /metric name is required/);
  });

  test('missing configuration and missing help', () => {
    throwsMatching(() => new Gauge(undefined as never), TypeError, /configuration object is required/);
    throwsMatching(() => new Gauge({ name: 'g', registers } as never), TypeError, /metric 'g': help is required/);
  });

  test('invalid label names', () => {
    for (const label of ['1a', 'a-b', 'a:b', '']) {
      throwsMatching(
        () => new Counter({ name: 'c', help: 'h', labelNames: [label], registers }),
        TypeError,
        /metric 'c'/,
        new RegExp(`invalid label name '${label}'`),
        /\[a-zA-Z_\]/,
      );
    }
  });

  test('labelNames must be an array', () => {
    throwsMatching(() => new Counter({ name: 'c', help: 'h', labelNames: 'a' as never, registers }), TypeError, /labelNames must be an array/);
  });

  test('reserved label names: __ prefix, le on histograms, quantile on summaries', () => {
    throwsMatching(
      () => new Counter({ name: 'c', help: 'h', labelNames: ['__x'], registers }),
      TypeError,
      /label name '__x' is reserved/,
      /starting with __ belong to Prometheus/,
    );
    throwsMatching(
      () => new Histogram({ name: 'h', help: 'h', labelNames: ['le'], registers }),
      TypeError,
      /label name 'le' is reserved/,
      /generates 'le' itself/,
    );
    throwsMatching(
      () => new Summary({ name: 's', help: 'h', labelNames: ['quantile'], registers }),
      TypeError,
      /label name 'quantile' is reserved/,
      /generates 'quantile' itself/,
    );
    // Outside their own type they are ordinary names.
    new Counter({ name: 'le_ok', help: 'h', labelNames: ['le', 'quantile'], registers });
  });

  test('a label name declared twice', () => {
    throwsMatching(() => new Gauge({ name: 'g', help: 'h', labelNames: ['a', 'a'], registers }), TypeError, /label name 'a' is declared twice/);
  });

  test('unit must be a suffix of the name', () => {
    throwsMatching(() => new Gauge({ name: 'size', help: 'h', unit: 'bytes', registers }), TypeError, /unit 'bytes'/, /must end with '_bytes'/);
    throwsMatching(() => new Gauge({ name: 'size_b y', help: 'h', unit: 'b y', registers }), TypeError, /invalid metric name/);
    new Counter({ name: 'sent_bytes_total', help: 'h', unit: 'bytes', registers });
  });

  test('collect must be a function', () => {
    throwsMatching(() => new Gauge({ name: 'g', help: 'h', collect: 'nope' as never, registers }), TypeError, /metric 'g': collect must be a function/);
  });
});

describe('label values at update time', () => {
  const c = new Counter({ name: 'req_total', help: 'h', labelNames: ['method', 'code'], registers });

  test('wrong label count for labels(...)', () => {
    throwsMatching(
      () => (c.labels as (...v: string[]) => unknown)('GET'),
      TypeError,
      /metric 'req_total' has 2 label\(s\) \(method, code\) but got 1 value\(s\)/,
    );
    throwsMatching(() => (c.labels as (...v: string[]) => unknown)('GET', '200', 'x'), TypeError, /but got 3 value\(s\)/);
  });

  test('wrong label count for remove(...)', () => {
    throwsMatching(() => (c.remove as (...v: string[]) => void)('GET'), TypeError, /remove\(\) needs 2 label value\(s\), got 1/);
  });

  test('unknown label in a record, for every metric type', () => {
    throwsMatching(
      () => c.inc({ method: 'GET', status: 200 } as never),
      TypeError,
      /metric 'req_total': unknown label 'status' \(declared labels: method, code\)/,
    );
    const g = new Gauge({ name: 'g', help: 'h', labelNames: ['a'], registers });
    throwsMatching(() => g.set({ b: 'x' } as never, 1), TypeError, /unknown label 'b'/);
    const h = new Histogram({ name: 'h', help: 'h', labelNames: ['a'], registers });
    throwsMatching(() => h.observe({ b: 'x' } as never, 1), TypeError, /unknown label 'b'/);
    const s = new Summary({ name: 's', help: 'h', labelNames: ['a'], registers });
    throwsMatching(() => s.observe({ b: 'x' } as never, 1), TypeError, /unknown label 'b'/);
    const none = new Counter({ name: 'n', help: 'h', registers });
    throwsMatching(() => none.inc({ a: 'x' } as never), TypeError, /unknown label 'a' \(declared labels: none\)/);
  });

  test('label values that are neither strings nor numbers', () => {
    throwsMatching(() => c.inc({ method: null, code: 1 } as never), TypeError, /value of label 'method' must be a string or a number, got null/);
    throwsMatching(() => c.labels({} as never, '1' as never), TypeError, /value of label 'method' must be a string or a number, got object/);
    throwsMatching(() => c.inc({ method: true, code: 1 } as never), TypeError, /got boolean/);
  });

  test('lone surrogates in label values (cannot be encoded as UTF-8)', () => {
    for (const bad of ['\uD800', 'x\uDC00y', 'end\uD83D']) {
      throwsMatching(() => c.inc({ method: bad, code: 1 }), TypeError, /value of label 'method' contains a lone surrogate/);
      throwsMatching(() => c.labels('GET', bad), TypeError, /value of label 'code' contains a lone surrogate/);
    }
    // A well-formed astral character is fine.
    c.inc({ method: '😀', code: 1 });
  });

  test('default labels: invalid or reserved names', () => {
    const r = new Registry();
    throwsMatching(() => r.setDefaultLabels({ 'bad-name': 'x' }), TypeError, /invalid label name 'bad-name'/);
    throwsMatching(() => r.setDefaultLabels({ __x: 'x' }), TypeError, /label name '__x' is reserved/);
  });

  test('default labels: a lone surrogate value is refused', () => {
    throwsMatching(() => new Registry().setDefaultLabels({ a: '\uD800' }), TypeError, /lone surrogate/);
  });

  test('default labels named le or quantile are refused (they would duplicate the generated label)', () => {
    throwsMatching(() => new Registry().setDefaultLabels({ le: 'x' }), TypeError, /'le' is reserved/);
  });
});

describe('values', () => {
  test('counter increments must be finite and non-negative', () => {
    const c = new Counter({ name: 'c_total', help: 'h', labelNames: ['a'], registers });
    for (const [bad, shown] of [
      [-1, '-1'],
      [NaN, 'NaN'],
      [Infinity, 'Infinity'],
      [-Infinity, '-Infinity'],
    ] as const) {
      throwsMatching(() => c.inc({ a: 'x' }, bad), RangeError, /counter 'c_total': increment must be a finite number >= 0/, new RegExp(`got ${shown}$`));
      throwsMatching(() => c.labels('x').inc(bad), RangeError, /increment must be a finite number >= 0/);
    }
    throwsMatching(() => c.labels('x').inc('1' as never), RangeError, /got a string/);
    assert.equal(c.labels('x').get(), 0, 'refused increments must not change the value');
    const plain = new Counter({ name: 'plain_total', help: 'h', registers });
    throwsMatching(() => plain.inc(-0.5), RangeError, /got -0.5/);
  });

  test('histogram and summary observations must be finite', () => {
    const h = new Histogram({ name: 'h', help: 'h', registers });
    const s = new Summary({ name: 's', help: 'h', registers });
    for (const bad of [NaN, Infinity, -Infinity]) {
      throwsMatching(() => h.observe(bad), RangeError, /histogram 'h': observed value must be a finite number/, new RegExp(`got ${bad}`));
      throwsMatching(() => s.observe(bad), RangeError, /summary 's': observed value must be a finite number/);
    }
    throwsMatching(() => h.observe('1' as never), TypeError, /metric 'h': labels must be an object, got string/);
    throwsMatching(() => h.labels().observe('1' as never), RangeError, /got string/);
  });

  test('gauge values must be numbers (NaN and infinities are allowed)', () => {
    const g = new Gauge({ name: 'g', help: 'h', registers });
    throwsMatching(() => g.labels().set('3' as never), TypeError, /gauge 'g': set\(\) takes a number, got string/);
    throwsMatching(() => g.labels().inc('3' as never), TypeError, /inc\(\) takes a number/);
    throwsMatching(() => g.labels().dec(null as never), TypeError, /dec\(\) takes a number, got object/);
    g.set(NaN);
    g.set(Infinity);
  });

  test('summary configuration', () => {
    throwsMatching(() => new Summary({ name: 's', help: 'h', percentiles: [0.5, 1.5], registers }), RangeError, /percentile 1.5 is not in \[0, 1\]/);
    throwsMatching(() => new Summary({ name: 's', help: 'h', maxAgeSeconds: 0, registers }), RangeError, /maxAgeSeconds must be positive, got 0/);
    throwsMatching(
      () => new Summary({ name: 's', help: 'h', maxAgeSeconds: 60, ageBuckets: 0, registers }),
      RangeError,
      /ageBuckets must be a positive integer, got 0/,
    );
  });

  test('exemplar label sets longer than 128 characters', () => {
    const c = new Counter({ name: 'ex_total', help: 'h', enableExemplars: true, registers });
    throwsMatching(
      () => c.inc({ value: 1, exemplarLabels: { trace_id: 'x'.repeat(121) } }),
      TypeError,
      /exemplar labels are 129 characters long; OpenMetrics allows at most 128/,
    );
    c.inc({ value: 1, exemplarLabels: { trace_id: 'x'.repeat(120) } });
  });

  test('exemplar label names must be valid', () => {
    const c = new Counter({ name: 'ex2_total', help: 'h', enableExemplars: true, registers });
    throwsMatching(() => c.inc({ value: 1, exemplarLabels: { 'trace-id': 'x' } }), TypeError, /invalid label name 'trace-id'/);
  });

  test('exemplar label values must be well-formed strings', () => {
    const c = new Counter({ name: 'ex3_total', help: 'h', enableExemplars: true, registers });
    throwsMatching(() => c.inc({ value: 1, exemplarLabels: { trace_id: '\uD800' } }), TypeError, /lone surrogate/);
  });
});

describe('buckets', () => {
  test('bad histogram buckets', () => {
    throwsMatching(
      () => new Histogram({ name: 'h', help: 'h', buckets: [], registers }),
      TypeError,
      /metric 'h': a histogram needs at least one finite bucket/,
    );
    throwsMatching(() => new Histogram({ name: 'h', help: 'h', buckets: [Infinity], registers }), TypeError, /at least one finite bucket/);
    throwsMatching(() => new Histogram({ name: 'h', help: 'h', buckets: [1, NaN], registers }), TypeError, /bucket bound NaN is not a finite number/);
    throwsMatching(
      () => new Histogram({ name: 'h', help: 'h', buckets: [-Infinity, 1], registers }),
      TypeError,
      /bucket bound -Infinity is not a finite number/,
    );
    throwsMatching(() => new Histogram({ name: 'h', help: 'h', buckets: [1, '2' as never], registers }), TypeError, /bucket bound 2 is not a finite number/);
    throwsMatching(() => new Histogram({ name: 'h', help: 'h', buckets: [1, 3, 2], registers }), TypeError, /strictly increasing \(3 then 2\)/);
    throwsMatching(() => new Histogram({ name: 'h', help: 'h', buckets: [1, 1], registers }), TypeError, /strictly increasing \(1 then 1\)/);
    // A trailing +Inf is accepted and implied.
    assert.deepEqual(new Histogram({ name: 'h', help: 'h', buckets: [1, 2, Infinity], registers }).upperBounds, [1, 2]);
  });

  test('linearBuckets and exponentialBuckets arguments', () => {
    throwsMatching(() => linearBuckets(0, 1, 0), TypeError, /linearBuckets: count must be a positive integer, got 0/);
    throwsMatching(() => linearBuckets(0, 1, 2.5), TypeError, /count must be a positive integer, got 2.5/);
    throwsMatching(() => linearBuckets(0, 0, 3), TypeError, /width must be positive, got 0/);
    throwsMatching(() => exponentialBuckets(0, 2, 3), TypeError, /exponentialBuckets: start must be positive, got 0/);
    throwsMatching(() => exponentialBuckets(1, 1, 3), TypeError, /factor must be greater than 1, got 1/);
    throwsMatching(() => exponentialBuckets(1, 2, -1), TypeError, /count must be a positive integer, got -1/);
  });
});

describe('registration', () => {
  test('same name, different type or labels', () => {
    const r = new Registry();
    new Counter({ name: 'dup', help: 'h', labelNames: ['a'], registers: [r] });
    throwsMatching(
      () => new Gauge({ name: 'dup', help: 'h', labelNames: ['a'], registers: [r] }),
      Error,
      /A metric with the name dup has already been registered/,
      /it is a counter with labels \[a\], the new one a gauge with labels \[a\]/,
    );
    throwsMatching(
      () => new Counter({ name: 'dup', help: 'h', labelNames: ['b'], registers: [r] }),
      Error,
      /counter with labels \[a\], the new one a counter with labels \[b\]/,
    );
  });

  test('same name and shape: says to reuse the registered metric', () => {
    const r = new Registry();
    const first = new Counter({ name: 'dup', help: 'h', registers: [r] });
    throwsMatching(
      () => new Counter({ name: 'dup', help: 'h', registers: [r] }),
      Error,
      /already been registered: reuse the registered one \(registry.getSingleMetric\(name\)\)/,
    );
    r.registerMetric(first); // registering the same object again is a no-op
    assert.equal(r.getMetricsAsArray().length, 1);
  });

  test('unsupported content types', () => {
    throwsMatching(() => new Registry('application/json' as never), TypeError, /unsupported content type 'application\/json'/, /text\/plain; version=0.0.4/);
    throwsMatching(() => new Registry().setContentType('text/html' as never), TypeError, /unsupported content type 'text\/html'/);
  });

  test('merge: duplicate names and mixed content types', () => {
    const a = new Registry();
    const b = new Registry();
    new Counter({ name: 'x', help: 'h', registers: [a] });
    new Counter({ name: 'x', help: 'h', registers: [b] });
    throwsMatching(() => Registry.merge([a, b]), Error, /A metric with the name x has already been registered/);
    const om = new Registry(Registry.OPENMETRICS_CONTENT_TYPE);
    throwsMatching(() => Registry.merge([new Registry(), om]), Error, /must all have the same content type/);
  });

  test('getSingleMetricAsString of an unknown name', async () => {
    await assert.rejects(new Registry().getSingleMetricAsString('nope'), /no metric named 'nope' is registered/);
  });
});
