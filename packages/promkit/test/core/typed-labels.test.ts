/**
 * Typed labels: with `labelNames` written inline, wrong arity and unknown label keys
 * are compile errors. `npm test` runs `tsc --noEmit` over test/, so every
 * `@ts-expect-error` below must really be an error (an unused one fails the build);
 * at run time the same calls throw.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Counter, Gauge, Histogram, Summary, type LabelValues } from '../../src/index.js';

const registers = [] as never[];

describe('typed labels', () => {
  test('Counter: arity of labels(...) and keys of inc({...})', () => {
    const c = new Counter({ name: 'req_total', help: 'h', labelNames: ['method', 'code'], registers });
    c.labels('GET', 200).inc();
    c.labels({ method: 'GET', code: '200' }).inc();
    c.inc({ method: 'GET' });
    c.inc({ method: 'GET', code: 200 }, 2);
    assert.equal(c.labels('GET', '200').get(), 4);
    assert.equal(c.labels('GET', '').get(), 1);

    // @ts-expect-error one value for two labels
    assert.throws(() => c.labels('GET'), /has 2 label\(s\)/);
    // @ts-expect-error three values for two labels
    assert.throws(() => c.labels('GET', 200, 'x'), /has 2 label\(s\)/);
    // @ts-expect-error unknown label key
    assert.throws(() => c.inc({ method: 'GET', status: 200 }), /unknown label 'status'/);
    // @ts-expect-error unknown label key in labels({...})
    assert.throws(() => c.labels({ path: '/' }), /unknown label 'path'/);
    // @ts-expect-error label values are strings or numbers
    assert.throws(() => c.labels(true, 'x'), /must be a string or a number/);
  });

  test('Gauge: set/inc/dec/startTimer take only declared keys', () => {
    const g = new Gauge({ name: 'temp', help: 'h', labelNames: ['room'], registers });
    g.set({ room: 'a' }, 1);
    g.labels('a').inc();
    const end = g.startTimer({ room: 'b' });
    end();
    // @ts-expect-error unknown label key
    assert.throws(() => g.set({ floor: 1 }, 1), /unknown label 'floor'/);
    // @ts-expect-error two values for one label
    assert.throws(() => g.labels('a', 'b'), /has 1 label\(s\)/);
    // @ts-expect-error unknown label key at the end of a timer
    assert.throws(() => g.startTimer()({ floor: 1 }), /unknown label 'floor'/);
    assert.equal(g.labels('a').get(), 2);
  });

  test('Histogram: observe, zero and labels', () => {
    const h = new Histogram({ name: 'lat', help: 'h', labelNames: ['route', 'method'], buckets: [1], registers });
    h.observe({ route: '/', method: 'GET' }, 0.5);
    h.zero({ route: '/x', method: 'GET' });
    h.labels('/', 'GET').observe(1);
    // @ts-expect-error unknown label key
    assert.throws(() => h.observe({ path: '/' }, 1), /unknown label 'path'/);
    // @ts-expect-error unknown label key
    assert.throws(() => h.zero({ path: '/' }), /unknown label 'path'/);
    // @ts-expect-error one value for two labels
    assert.throws(() => h.labels('/'), /has 2 label\(s\)/);
  });

  test('Summary: observe and labels', () => {
    const s = new Summary({ name: 'rpc', help: 'h', labelNames: ['svc'] as const, registers });
    s.observe({ svc: 'a' }, 1);
    s.labels('a').observe(2);
    // @ts-expect-error unknown label key
    assert.throws(() => s.observe({ service: 'a' }, 1), /unknown label 'service'/);
    // @ts-expect-error no values for one label
    assert.throws(() => s.labels(), /has 1 label\(s\)/);
  });

  test('a metric without labels takes no label values', () => {
    const c = new Counter({ name: 'plain_total', help: 'h', labelNames: [], registers });
    c.inc();
    c.labels().inc();
    // @ts-expect-error no labels declared
    assert.throws(() => c.labels('x', 'y'), /has 0 label\(s\)/);
    // Not compile errors (LabelValues<never> is `{}`, which accepts anything), but refused at run time.
    assert.throws(() => c.labels('x'), /has 0 label\(s\)/);
    assert.throws(() => c.inc({ a: 'x' }), /unknown label 'a'/);
  });

  test('labelNames held in a variable of type string[] opt out of checking, as in prom-client', () => {
    const names: string[] = ['a', 'b'];
    const c = new Counter({ name: 'loose_total', help: 'h', labelNames: names, registers });
    assert.throws(() => c.labels('only-one'), /has 2 label\(s\)/);
    c.inc({ a: 'x', b: 'y' });
  });

  test('LabelValues<T> is the record type of a label set', () => {
    const labels: LabelValues<'a' | 'b'> = { a: 'x', b: 1 };
    // @ts-expect-error not a declared key
    const bad: LabelValues<'a'> = { z: 'x' };
    assert.deepEqual(labels, { a: 'x', b: 1 });
    assert.deepEqual(bad, { z: 'x' });
  });
});
