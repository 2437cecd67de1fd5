import assert from 'node:assert/strict';
import { describe, mock, test } from 'node:test';
import { Counter, Gauge, Registry } from '../../src/index.js';
import { sampleOf, scrape, sampleValue } from '../exposition/helpers.js';

describe('Counter', () => {
  test('inc() forms: default 1, amount, labels, labels and amount, child', async () => {
    const registry = new Registry();
    const plain = new Counter({ name: 'plain_total', help: 'h', registers: [registry] });
    plain.inc();
    plain.inc(0.5);
    plain.inc(0);
    const c = new Counter({ name: 'c_total', help: 'h', labelNames: ['a'], registers: [registry] });
    c.inc({ a: 'x' });
    c.inc({ a: 'x' }, 2);
    const child = c.labels('x');
    child.inc();
    child.inc(4);
    assert.equal(plain.labels().get(), 1.5);
    assert.equal(child.get(), 8);
    const parsed = await scrape(registry);
    assert.equal(sampleValue(parsed, 'plain_total'), 1.5);
    assert.equal(sampleValue(parsed, 'c_total', { a: 'x' }), 8);
  });

  test('an unlabelled counter exposes 0 before the first inc; a labelled one exposes no series', async () => {
    const registry = new Registry();
    new Counter({ name: 'plain_total', help: 'h', registers: [registry] });
    new Counter({ name: 'labelled_total', help: 'h', labelNames: ['a'], registers: [registry] });
    const parsed = await scrape(registry);
    assert.equal(sampleValue(parsed, 'plain_total'), 0);
    assert.deepEqual(parsed.families.find((f) => f.name === 'labelled_total')?.samples, []);
  });

  test('get() returns prom-client’s shape, with exemplars when recorded', async () => {
    const c = new Counter({ name: 'ex_total', help: 'Help.', labelNames: ['a'], enableExemplars: true, registers: [] });
    c.inc({ labels: { a: 'x' }, value: 2, exemplarLabels: { trace_id: 'abc' } });
    c.inc({ labels: { a: 'y' } });
    const got = await c.get();
    assert.equal(got.name, 'ex_total');
    assert.equal(got.help, 'Help.');
    assert.equal(got.type, 'counter');
    assert.equal(got.aggregator, 'sum');
    assert.equal(got.values.length, 2);
    const [x, y] = got.values;
    assert.deepEqual(x.labels, { a: 'x' });
    assert.equal(x.value, 2);
    assert.deepEqual(x.exemplar?.labelSet, { trace_id: 'abc' });
    assert.equal(x.exemplar?.value, 2);
    assert.ok(Math.abs((x.exemplar?.timestamp ?? 0) - Date.now() / 1000) < 60);
    assert.deepEqual(y, { value: 1, labels: { a: 'y' } });
  });

  test('with enableExemplars, inc takes { labels, value, exemplarLabels }; value defaults to 1', () => {
    const c = new Counter({ name: 'ex_total', help: 'h', labelNames: ['a'], enableExemplars: true, registers: [] });
    c.inc({ labels: { a: 'x' } });
    c.inc({ labels: { a: 'x' }, value: 3, exemplarLabels: { id: 1 } });
    c.labels('x').inc(1, { id: 'child' });
    assert.equal(c.labels('x').get(), 5);
    assert.deepEqual(c.labels('x').exemplar?.labels, { id: 'child' });
  });

  test('collect runs before every scrape and get(), with the metric as this', async () => {
    const registry = new Registry();
    let calls = 0;
    const c = new Counter({
      name: 'collected_total',
      help: 'h',
      registers: [registry],
      collect() {
        calls++;
        this.inc();
      },
    });
    assert.equal(sampleValue(await scrape(registry), 'collected_total'), 1);
    assert.equal(sampleValue(await scrape(registry), 'collected_total'), 2);
    assert.equal((await c.get()).values[0].value, 3);
    assert.equal(calls, 3);
  });

  test('async collect is awaited', async () => {
    const registry = new Registry();
    new Counter({
      name: 'async_total',
      help: 'h',
      registers: [registry],
      async collect() {
        await new Promise((r) => setTimeout(r, 5));
        this.inc(7);
      },
    });
    assert.equal(sampleValue(await scrape(registry), 'async_total'), 7);
  });

  test('reset() drops labelled series and zeroes an unlabelled one', async () => {
    const c = new Counter({ name: 'c_total', help: 'h', labelNames: ['a'], registers: [] });
    c.inc({ a: 'x' });
    c.reset();
    assert.deepEqual((await c.get()).values, []);
    const plain = new Counter({ name: 'p_total', help: 'h', registers: [] });
    plain.inc(5);
    plain.reset();
    assert.equal(plain.labels().get(), 0);
  });
});

describe('Gauge', () => {
  test('set, inc, dec with and without labels; children', async () => {
    const registry = new Registry();
    const g = new Gauge({ name: 'g', help: 'h', labelNames: ['a'], registers: [registry] });
    g.set({ a: 'x' }, 10);
    g.inc({ a: 'x' });
    g.inc({ a: 'x' }, 2);
    g.dec({ a: 'x' });
    g.dec({ a: 'x' }, 0.5);
    const child = g.labels('y');
    child.set(-3);
    child.inc();
    child.dec(10);
    assert.equal(g.labels('x').get(), 11.5);
    assert.equal(child.get(), -12);
    const u = new Gauge({ name: 'u', help: 'h', registers: [registry] });
    u.set(1);
    u.inc();
    u.dec(5);
    const parsed = await scrape(registry);
    assert.equal(sampleValue(parsed, 'g', { a: 'x' }), 11.5);
    assert.equal(sampleValue(parsed, 'g', { a: 'y' }), -12);
    assert.equal(sampleValue(parsed, 'u'), -3);
  });

  test('setToCurrentTime sets seconds since the epoch', (t) => {
    t.mock.timers.enable({ apis: ['Date'], now: 1_700_000_000_500 });
    const g = new Gauge({ name: 'g', help: 'h', labelNames: ['a'], registers: [] });
    g.setToCurrentTime({ a: 'x' });
    g.labels('y').setToCurrentTime();
    assert.equal(g.labels('x').get(), 1_700_000_000.5);
    assert.equal(g.labels('y').get(), 1_700_000_000.5);
    const u = new Gauge({ name: 'u', help: 'h', registers: [] });
    u.setToCurrentTime();
    assert.equal(u.labels().get(), 1_700_000_000.5);
  });

  test('startTimer sets the elapsed seconds; labels may come at the start, the end or both', async () => {
    const g = new Gauge({ name: 'g', help: 'h', labelNames: ['a', 'b'], registers: [] });
    const early = g.startTimer({ a: 'x' });
    await new Promise((r) => setTimeout(r, 5));
    const seconds = early({ b: 'y' });
    assert.ok(seconds > 0);
    assert.equal(g.labels('x', 'y').get(), seconds);
    const late = g.startTimer();
    const s2 = late({ a: 'p', b: 'q' });
    assert.equal(g.labels('p', 'q').get(), s2);
    const child = g.labels('c', 'd');
    const s3 = child.startTimer()();
    assert.equal(child.get(), s3);
    const u = new Gauge({ name: 'u', help: 'h', registers: [] });
    const s4 = u.startTimer()();
    assert.equal(u.labels().get(), s4);
  });

  test('NaN and infinities are exposed with the spellings Prometheus expects', async () => {
    const registry = new Registry();
    const g = new Gauge({ name: 'g', help: 'h', labelNames: ['v'], registers: [registry] });
    g.set({ v: 'nan' }, NaN);
    g.set({ v: 'inf' }, Infinity);
    g.set({ v: 'ninf' }, -Infinity);
    const text = await registry.metrics();
    assert.match(text, /^g\{v="nan"\} NaN$/m);
    assert.match(text, /^g\{v="inf"\} \+Inf$/m);
    assert.match(text, /^g\{v="ninf"\} -Inf$/m);
    assert.ok(Number.isNaN(sampleOf(await scrape(registry, 'openmetrics'), 'g', { v: 'nan' }).value));
  });

  test('get() returns prom-client’s shape', async () => {
    const g = new Gauge({ name: 'g', help: 'Help.', labelNames: ['a'], registers: [] });
    g.set({ a: 'x' }, 4);
    assert.deepEqual(await g.get(), { name: 'g', help: 'Help.', type: 'gauge', aggregator: 'sum', values: [{ value: 4, labels: { a: 'x' } }] });
  });

  test('aggregator is configurable (for cluster-mode compatible configs)', async () => {
    const g = new Gauge({ name: 'g', help: 'h', aggregator: 'max', registers: [] });
    assert.equal((await g.get()).aggregator, 'max');
  });

  test('collect can set the value from elsewhere', async () => {
    const registry = new Registry();
    const source = mock.fn(() => 17);
    new Gauge({
      name: 'queue_depth',
      help: 'h',
      registers: [registry],
      collect() {
        this.set(source());
      },
    });
    assert.equal(sampleValue(await scrape(registry), 'queue_depth'), 17);
    assert.equal(source.mock.callCount(), 1);
  });
});
