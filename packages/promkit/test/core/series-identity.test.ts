/**
 * Two distinct label sets never share a series, whatever characters the values hold;
 * and the same label set always resolves to the same series, however it is passed.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { Counter, Gauge, Histogram, Registry, Summary } from '../../src/index.js';
import { scrape, sampleValue } from '../exposition/helpers.js';

/** How many series a metric exposes (for histograms and summaries: how many _count samples). */
async function seriesCount(metric: { get(): Promise<{ name: string; values: Array<{ metricName?: string }> }> }): Promise<number> {
  const { name, values } = await metric.get();
  const counts = values.filter((v) => v.metricName === `${name}_count`);
  return counts.length > 0 ? counts.length : values.length;
}

describe('exact series identity', () => {
  test('{a:"x|",b:""} and {a:"x",b:"|"} are two series', async () => {
    const registry = new Registry();
    const c = new Counter({ name: 'c_total', help: 'h', labelNames: ['a', 'b'], registers: [registry] });
    c.inc({ a: 'x|', b: '' }, 1);
    c.inc({ a: 'x', b: '|' }, 10);
    assert.equal(c.labels('x|', '').get(), 1);
    assert.equal(c.labels('x', '|').get(), 10);
    const parsed = await scrape(registry);
    assert.equal(sampleValue(parsed, 'c_total', { a: 'x|', b: '' }), 1);
    assert.equal(sampleValue(parsed, 'c_total', { a: 'x', b: '|' }), 10);
  });

  test('values that would collide under any separator-based key are distinct', async () => {
    const c = new Counter({ name: 'c_total', help: 'h', labelNames: ['a', 'b'], registers: [] });
    const pairs: Array<[string, string]> = [
      ['a,b', ''],
      ['a', ',b'],
      ['a\u0000', 'b'],
      ['a', '\u0000b'],
      ['a=', 'b'],
      ['a', '=b'],
      ['"', ''],
      ['', '"'],
      ['\\', '\\'],
      ['\\\\', ''],
      ['', '\\\\'],
    ];
    pairs.forEach(([a, b], i) => {
      c.inc({ a, b }, i + 1);
    });
    pairs.forEach(([a, b], i) => {
      assert.equal(c.labels(a, b).get(), i + 1, JSON.stringify([a, b]));
    });
    assert.equal(await seriesCount(c), pairs.length);
  });

  test('property: any two different label sets are two series', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' })), { minLength: 1, maxLength: 30 }), async (sets) => {
        const c = new Counter({ name: 'c_total', help: 'h', labelNames: ['a', 'b'], registers: [] });
        const expected = new Map<string, number>();
        for (const [a, b] of sets) {
          c.inc({ a, b });
          const key = JSON.stringify([a, b]);
          expected.set(key, (expected.get(key) ?? 0) + 1);
        }
        assert.equal(await seriesCount(c), expected.size);
        for (const [key, count] of expected) {
          const [a, b] = JSON.parse(key) as [string, string];
          assert.equal(c.labels(a, b).get(), count);
        }
      }),
    );
  });

  test('numbers and strings are the same series: 1 and "1"', async () => {
    const registry = new Registry();
    const c = new Counter({ name: 'c_total', help: 'h', labelNames: ['code'], registers: [registry] });
    c.inc({ code: 1 });
    c.inc({ code: '1' });
    c.labels(1).inc();
    c.labels('1').inc();
    c.labels({ code: 1 }).inc();
    assert.equal(c.labels('1'), c.labels(1), 'the same child object');
    assert.equal(c.labels(1).get(), 5);
    assert.equal(await seriesCount(c), 1);
    const parsed = await scrape(registry);
    assert.equal(sampleValue(parsed, 'c_total', { code: '1' }), 5);
    c.remove(1);
    assert.equal(await seriesCount(c), 0);
  });

  test('numbers are rendered with String(): 1.5, -0, 1e21, NaN', () => {
    const g = new Gauge({ name: 'g', help: 'h', labelNames: ['v'], registers: [] });
    for (const [n, s] of [
      [1.5, '1.5'],
      [-0, '0'],
      [1e21, '1e+21'],
      [NaN, 'NaN'],
    ] as const) {
      g.set({ v: n }, 1);
      assert.equal(g.labels(s), g.labels({ v: n }), `${n} ~ '${s}'`);
    }
  });

  test('positional, record and child lookups hit the same series', async () => {
    const h = new Histogram({ name: 'h', help: 'h', labelNames: ['a', 'b'], buckets: [1], registers: [] });
    h.observe({ b: 'y', a: 'x' }, 0.5);
    h.labels('x', 'y').observe(0.5);
    h.labels({ a: 'x', b: 'y' }).observe(0.5);
    assert.equal(h.labels('x', 'y').count, 3);
    assert.equal(await seriesCount(h), 1);
  });

  test('a missing label reads as the empty string', () => {
    const s = new Summary({ name: 's', help: 'h', labelNames: ['a', 'b'], registers: [] });
    s.observe({ a: 'x' }, 1);
    s.observe({ a: 'x', b: '' }, 1);
    s.observe({ a: 'x', b: undefined }, 1);
    assert.equal(s.labels('x', '').count, 3);
  });

  test('labels(...) returns the cached child', () => {
    const c = new Counter({ name: 'c_total', help: 'h', labelNames: ['a'], registers: [] });
    const child = c.labels('x');
    assert.equal(c.labels('x'), child);
    assert.equal(c.labels({ a: 'x' }), child);
    child.inc();
    c.inc({ a: 'x' });
    assert.equal(child.get(), 2);
  });

  test('remove then re-create gives a fresh series', async () => {
    const c = new Counter({ name: 'c_total', help: 'h', labelNames: ['a', 'b'], registers: [] });
    c.inc({ a: 'x', b: 'y' }, 5);
    c.inc({ a: 'x', b: 'z' }, 1);
    c.remove('x', 'y');
    assert.equal(c.labels('x', 'z').get(), 1, 'the sibling survives');
    assert.equal(c.labels('x', 'y').get(), 0);
    c.remove({ a: 'x', b: 'z' });
    c.remove('never', 'there');
    assert.equal(await seriesCount(c), 1);
  });
});
