import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { Histogram, Registry } from '../../src/index.js';
import { bucketKey, bucketUpperBound, schemaForFactor } from '../../src/core/native-histogram.js';
import { decodeDelimited, type DecodedNative } from '../exposition/protobuf-decode.js';

async function nativeOf(registry: Registry): Promise<{ count: number; sum: number; native: DecodedNative; classic: number }> {
  const [family] = decodeDelimited(await registry.metricsProtobuf());
  const h = family.metrics[0].histogram!;
  assert.ok(h.native, 'the histogram carries native buckets');
  return { count: h.count, sum: h.sum, native: h.native, classic: h.buckets.length };
}

/** Reference: bucket k of schema s holds (2^((k-1)·2^-s), 2^(k·2^-s)]. */
function upperBound(key: number, schema: number): number {
  return 2 ** (key * 2 ** -schema);
}

describe('native histogram buckets', () => {
  test('schema from bucket factor, as client_golang picks it', () => {
    assert.equal(schemaForFactor(1.1), 3);
    assert.equal(schemaForFactor(2), 0);
    assert.equal(schemaForFactor(4), -1);
    assert.equal(schemaForFactor(1.0001), 8);
    assert.equal(schemaForFactor(1e9), -4);
    assert.equal(schemaForFactor(1.00271), 8);
    assert.equal(schemaForFactor(1.01), 7);
  });

  test('powers of two are the inclusive upper bound of their bucket', () => {
    for (let s = -4; s <= 8; s++) {
      assert.equal(bucketKey(1, s), 0, `schema ${s}`);
      if (s >= 0) assert.equal(bucketKey(2, s), 2 ** s, `schema ${s}`);
      assert.equal(bucketKey(2 ** 16, s), s >= 0 ? 16 * 2 ** s : Math.ceil(16 / 2 ** -s) + 0, `schema ${s}`);
      assert.equal(bucketKey(2 ** -10, s), s >= 0 ? -10 * 2 ** s : Math.ceil(-10 / 2 ** -s) + 0, `schema ${s}`);
    }
    // Each bucket's upper bound falls in that bucket, the next value up in the next one.
    for (let s = -4; s <= 8; s++) {
      for (const k of [-300, -17, -1, 0, 1, 5, 255, 256, 1000]) {
        const upper = bucketUpperBound(k, s);
        if (upper === 0 || !Number.isFinite(upper)) continue;
        assert.equal(bucketKey(upper, s), k, `schema ${s} key ${k}`);
        if (s > 0) assert.equal(bucketKey(upper * (1 + 2 ** -50), s), k + 1, `schema ${s} key ${k} + ε`);
      }
    }
    // Subnormals land where their bounds say.
    assert.equal(bucketKey(2 ** -1070, 0), -1070);
  });

  test('every positive value falls in the bucket whose bounds enclose it', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-300, max: 1e300, noNaN: true }), fc.integer({ min: -4, max: 8 }), (v, schema) => {
        const k = bucketKey(v, schema);
        const lo = upperBound(k - 1, schema);
        const hi = upperBound(k, schema);
        // Math.pow may be off by an ulp at the bounds themselves; those are checked exactly above.
        const ulp = hi * 1e-14;
        assert.ok(v <= hi + ulp && v > lo - ulp, `v=${v} schema=${schema} key=${k} bounds (${lo}, ${hi}]`);
      }),
      { numRuns: 2000 },
    );
  });

  test('observations are exposed in the buckets, zero bucket and negative buckets they belong to', async () => {
    const registry = new Registry();
    const h = new Histogram({ name: 'lat_seconds', help: 'h', nativeHistogramBucketFactor: 1.1, nativeHistogramZeroThreshold: 0.001, registers: [registry] });
    const values = [0.0005, -0.0009, 0, 0.1, 0.1, 0.11, 1, 1.5, 3, 100, -2, -2.1];
    for (const v of values) h.observe(v);
    const { count, sum, native, classic } = await nativeOf(registry);
    assert.equal(classic, 0, 'no classic buckets unless asked for (client_golang)');
    assert.equal(count, values.length);
    assert.equal(
      sum,
      values.reduce((a, b) => a + b, 0),
    );
    assert.equal(native.schema, 3);
    assert.equal(native.zeroThreshold, 0.001);
    assert.equal(native.zeroCount, 3);
    const expect = (vs: number[]) => {
      const m = new Map<number, number>();
      for (const v of vs) m.set(bucketKey(v, 3), (m.get(bucketKey(v, 3)) ?? 0) + 1);
      return m;
    };
    assert.deepEqual(native.positive, expect([0.1, 0.1, 0.11, 1, 1.5, 3, 100]));
    assert.deepEqual(native.negative, expect([2, 2.1]));
  });

  test('classic buckets given alongside are both exposed; text shows the classic ones', async () => {
    const registry = new Registry();
    const h = new Histogram({ name: 'both_seconds', help: 'h', buckets: [0.1, 1], nativeHistogramBucketFactor: 2, registers: [registry] });
    h.observe(0.5);
    h.observe(4);
    const [family] = decodeDelimited(await registry.metricsProtobuf());
    const hist = family.metrics[0].histogram!;
    assert.deepEqual(hist.buckets, [
      { upperBound: 0.1, cumulative: 0 },
      { upperBound: 1, cumulative: 1 },
    ]);
    assert.deepEqual(
      hist.native?.positive,
      new Map([
        [-1, 1],
        [2, 1],
      ]),
    );
    assert.match(await registry.metrics(), /both_seconds_bucket\{le="\+Inf"\} 2\n/);
  });

  test('an empty native histogram still carries the span marker Prometheus tells native ones by', async () => {
    const registry = new Registry();
    new Histogram({ name: 'empty_seconds', help: 'h', nativeHistogramBucketFactor: 1.1, nativeHistogramZeroThreshold: 0, registers: [registry] });
    const { native } = await nativeOf(registry);
    assert.equal(native.spansSeen, 1);
    assert.equal(native.positive.size, 0);
  });

  test('beyond the maximum bucket number the resolution halves, keeping every count', async () => {
    const registry = new Registry();
    const h = new Histogram({ name: 'wide_seconds', help: 'h', nativeHistogramBucketFactor: 1.1, nativeHistogramMaxBucketNumber: 4, registers: [registry] });
    const values = [1, 1.1, 1.2, 1.3, 1.45, 1.6, 1.8, 2, 2.2, 2.5];
    for (const v of values) h.observe(v);
    const { count, native } = await nativeOf(registry);
    assert.ok(native.schema < 3, `schema went down from 3 to ${native.schema}`);
    assert.ok(native.positive.size <= 4 + 1, `${native.positive.size} buckets`);
    assert.equal(
      [...native.positive.values()].reduce((a, b) => a + b, 0),
      values.length,
    );
    assert.equal(count, values.length);
    for (const v of values) assert.ok(native.positive.has(bucketKey(v, native.schema)), `${v} is in a bucket of schema ${native.schema}`);
  });

  test('with a min reset duration that has passed, hitting the limit resets the series and keeps the latest observation', async () => {
    const registry = new Registry();
    const h = new Histogram({
      name: 'reset_seconds',
      help: 'h',
      nativeHistogramBucketFactor: 1.1,
      nativeHistogramMaxBucketNumber: 2,
      nativeHistogramMinResetDurationMs: 1,
      registers: [registry],
    });
    h.observe(1);
    h.observe(2);
    await sleep(5);
    h.observe(4);
    const { count, sum, native } = await nativeOf(registry);
    assert.equal(count, 1);
    assert.equal(sum, 4);
    assert.equal(native.schema, 3);
    assert.deepEqual(native.positive, new Map([[bucketKey(4, 3), 1]]));
  });

  test('with a max zero threshold, the zero bucket widens before the resolution halves', async () => {
    const registry = new Registry();
    const h = new Histogram({
      name: 'zw_seconds',
      help: 'h',
      nativeHistogramBucketFactor: 2,
      nativeHistogramMaxBucketNumber: 2,
      nativeHistogramMaxZeroThreshold: 1,
      registers: [registry],
    });
    // 0.5, 2, 4: a third bucket; the one closest to zero (0.5's, upper bound 0.5) joins the zero bucket.
    for (const v of [0.5, 2, 4]) h.observe(v);
    let { native } = await nativeOf(registry);
    assert.deepEqual([native.schema, native.zeroThreshold, native.zeroCount], [0, 0.5, 1]);
    assert.deepEqual(
      native.positive,
      new Map([
        [1, 1],
        [2, 1],
      ]),
    );
    // 0.9: bucket (0.5, 1] is the closest now; threshold 1 is still allowed. 1 then falls in the zero bucket.
    h.observe(0.9);
    h.observe(1);
    ({ native } = await nativeOf(registry));
    assert.deepEqual([native.schema, native.zeroThreshold, native.zeroCount], [0, 1, 3]);
    // 8: the threshold cannot grow past 1, so the resolution halves: (1,2],(2,4] -> (1,4]; (4,8] -> (4,16].
    h.observe(8);
    ({ native } = await nativeOf(registry));
    assert.deepEqual([native.schema, native.zeroThreshold, native.zeroCount], [-1, 1, 3]);
    assert.deepEqual(
      native.positive,
      new Map([
        [1, 2],
        [2, 1],
      ]),
    );
  });

  test('bad options are rejected naming the option', () => {
    assert.throws(
      () => new Histogram({ name: 'a', help: 'h', nativeHistogramBucketFactor: 1, registers: [] }),
      /nativeHistogramBucketFactor must be a finite number > 1, got 1/,
    );
    assert.throws(
      () => new Histogram({ name: 'a', help: 'h', nativeHistogramBucketFactor: 1.1, nativeHistogramZeroThreshold: -1, registers: [] }),
      /nativeHistogramZeroThreshold/,
    );
    assert.throws(
      () => new Histogram({ name: 'a', help: 'h', nativeHistogramBucketFactor: 1.1, nativeHistogramMaxBucketNumber: 1.5, registers: [] }),
      /nativeHistogramMaxBucketNumber/,
    );
    assert.throws(() => new Histogram({ name: 'a', help: 'h', nativeHistogramMaxBucketNumber: 10, registers: [] }), /needs nativeHistogramBucketFactor/);
    assert.throws(
      () => new Histogram({ name: 'a', help: 'h', nativeHistogramBucketFactor: 1.1, nativeHistogramMaxZeroThreshold: NaN, registers: [] }),
      /nativeHistogramMaxZeroThreshold must be a finite number >= 0, got NaN/,
    );
  });

  test('labelled children, zero() and reset() keep their native buckets apart', async () => {
    const registry = new Registry();
    const h = new Histogram({ name: 'lab_seconds', help: 'h', labelNames: ['r'], nativeHistogramBucketFactor: 2, registers: [registry] });
    h.labels('a').observe(1);
    h.labels('b').observe(8);
    h.zero({ r: 'a' });
    const families = decodeDelimited(await registry.metricsProtobuf());
    const byLabel = new Map(families[0].metrics.map((m) => [m.labels.r, m.histogram!.native!.positive]));
    assert.deepEqual(byLabel.get('a'), new Map());
    assert.deepEqual(byLabel.get('b'), new Map([[3, 1]]));
    h.reset();
    h.labels('b').observe(2);
    const again = decodeDelimited(await registry.metricsProtobuf());
    assert.deepEqual(
      again[0].metrics.map((m) => [m.labels.r, [...m.histogram!.native!.positive]]),
      [['b', [[1, 1]]]],
    );
  });
});
