import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePrometheusText, type ParsedSample } from '../../src/exposition/index.js';
import { Registry, sharedRegistry } from '../../src/index.js';
import { sharedSetup } from './shared-setup.js';
import { startWorker } from './start-worker.js';
import { declareTestMetrics } from './test-metrics.js';

const WORKER = './hammer-worker.ts';

const setup = (maxThreads?: number) => sharedSetup(declareTestMetrics, maxThreads);

async function samples(registry: Registry, name: string): Promise<ParsedSample[]> {
  const parsed = parsePrometheusText(await registry.metrics());
  return parsed.families.flatMap((f) => f.samples).filter((s) => s.name === name);
}

function sampleValue(list: ParsedSample[], labels: Record<string, string>): number | undefined {
  return list.find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

describe('shared metrics across worker threads', () => {
  it('loses no update when workers hammer the same series while the main thread scrapes', async () => {
    const { registry, shared, m, handle } = setup();
    const N = 200_000;
    const WORKERS = 3;
    m.requests.inc({ method: 'GET', code: '200' }, 7);
    const workers = Array.from({ length: WORKERS }, () => startWorker(WORKER, { handle, mode: 'hammer', n: N, tag: '' }));
    for (const w of workers) shared.watch(w.worker);
    let finished = false;
    const all = Promise.all(workers.map((w) => w.report)).finally(() => (finished = true));
    // Scrapes while the workers write: each must parse and never go backwards.
    let last = 0;
    let scrapes = 0;
    while (!finished) {
      const value = sampleValue(await samples(registry, 'test_requests_total'), { method: 'GET', code: '200' }) ?? 0;
      assert.ok(value >= last, `counter went back from ${last} to ${value}`);
      assert.ok(value <= 7 + WORKERS * N);
      last = value;
      scrapes++;
      await new Promise((r) => setTimeout(r, 5));
    }
    await all;
    assert.ok(scrapes > 0);
    const requests = await samples(registry, 'test_requests_total');
    assert.equal(sampleValue(requests, { method: 'GET', code: '200' }), 7 + WORKERS * N);
    assert.equal(sampleValue(requests, { method: 'POST', code: '500' }), WORKERS * 2 * (N / 1000));
    assert.equal(sampleValue(await samples(registry, 'test_latency_seconds_count'), { route: '/a' }), WORKERS * N);
    assert.equal(sampleValue(await samples(registry, 'test_latency_seconds_bucket'), { route: '/a', le: '0.25' }), WORKERS * N * 0.3);
    assert.equal(sampleValue(await samples(registry, 'test_latency_seconds_sum'), { route: '/a' }), WORKERS * (N / 10) * 4.5);
    await Promise.all(workers.map((w) => w.exited));
  });

  it('exposes series born in workers in the next scrape, with label text crossing once', async () => {
    const { registry, shared, m, handle } = setup();
    const a = startWorker(WORKER, { handle, mode: 'births', n: 3000, tag: 'wa' });
    const b = startWorker(WORKER, { handle, mode: 'births', n: 3000, tag: 'wb' });
    shared.watch(a.worker);
    shared.watch(b.worker);
    // Scrapes during the growth of the shared store (it doubles many times on the way to 6000 series).
    let finished = false;
    const both = Promise.all([a.report, b.report]).finally(() => (finished = true));
    let seen = 0;
    while (!finished) {
      const list = await samples(registry, 'test_requests_total');
      assert.ok(list.length >= seen, `series count went back from ${seen} to ${list.length}`);
      for (const s of list) assert.ok(s.value === 0 || s.value === 1, `series ${JSON.stringify(s.labels)} read ${s.value}`);
      seen = list.length;
      await new Promise((r) => setTimeout(r, 2));
    }
    await both;
    const list = await samples(registry, 'test_requests_total');
    assert.equal(list.length, 6000);
    for (const tag of ['wa', 'wb']) {
      const codes = list
        .filter((s) => s.labels.method === tag)
        .map((s) => Number(s.labels.code))
        .sort((x, y) => x - y);
      assert.deepEqual(
        codes,
        Array.from({ length: 3000 }, (_, i) => i),
      );
    }
    assert.ok(list.every((s) => s.value === 1));
    assert.equal(m.requests.seriesCount, 6000);
    // The main thread writing a worker-born series adds to it rather than making another.
    m.requests.inc({ method: 'wa', code: '5' });
    assert.equal(sampleValue(await samples(registry, 'test_requests_total'), { method: 'wa', code: '5' }), 2);
    assert.equal(m.requests.seriesCount, 6000);
  });

  it('keeps counters of a crashed worker and lets a new worker continue from them', async () => {
    const { registry, shared, handle } = setup(2);
    const crash = startWorker(WORKER, { handle, mode: 'crash', n: 40, tag: '' });
    shared.watch(crash.worker);
    assert.notEqual(await crash.exited, 0);
    assert.equal(sampleValue(await samples(registry, 'test_requests_total'), { method: 'CRASH' }), 40);
    // The crashed thread's gauge level describes nothing any more.
    assert.equal((await samples(registry, 'test_inflight'))[0]?.value, 0);
    assert.equal(shared.threadCount, 1);
    // maxThreads 2: the restarted worker can only run in the crashed one's column.
    const again = startWorker(WORKER, { handle, mode: 'crash', n: 2, tag: '' });
    await again.exited;
    assert.equal(sampleValue(await samples(registry, 'test_requests_total'), { method: 'CRASH' }), 42);
  });

  it('frees the column of a terminated worker through watch() and clears its gauges for the next owner', async () => {
    const { registry, shared, handle } = setup(2);
    const first = startWorker(WORKER, { handle, mode: 'gauge', n: 5, tag: '', stay: true });
    shared.watch(first.worker);
    const { column } = await first.report;
    assert.equal(column, 1);
    assert.equal((await samples(registry, 'test_inflight'))[0]?.value, 5);
    assert.deepEqual(
      (await samples(registry, 'test_level')).map((s) => [s.labels.thread, s.value]),
      [
        ['0', 0],
        ['1', 5],
      ],
    );
    await first.worker.terminate();
    assert.equal(shared.threadCount, 1);
    assert.deepEqual(
      (await samples(registry, 'test_level')).map((s) => s.labels.thread),
      ['0'],
    );
    const second = startWorker(WORKER, { handle, mode: 'births', n: 1, tag: 'x', stay: true });
    assert.equal((await second.report).column, 1);
    try {
      // The new owner declared the gauge but never set it: the old level 5 must not come back with the column.
      assert.deepEqual(
        (await samples(registry, 'test_level')).map((s) => [s.labels.thread, s.value]),
        [
          ['0', 0],
          ['1', 0],
        ],
      );
      assert.equal((await samples(registry, 'test_inflight'))[0]?.value, 0);
    } finally {
      second.worker.postMessage('stop');
    }
    assert.equal(await second.exited, 0);
  });

  it("combines live threads' gauge values by the aggregator", async () => {
    const registry = new Registry();
    const shared = sharedRegistry({ registers: [registry] });
    const gauges = (['sum', 'min', 'max', 'average', 'first'] as const).map((aggregator) => shared.gauge({ name: `g_${aggregator}`, help: 'h', aggregator }));
    const omitted = shared.gauge({ name: 'g_omit', help: 'h', aggregator: 'omit' });
    const handle = shared.handle();
    for (const g of gauges) g.set(10);
    omitted.set(1);
    const workers = [2, 6].map((n) => startWorker('./gauge-worker.ts', { handle, n }));
    for (const w of workers) shared.watch(w.worker);
    try {
      await Promise.all(workers.map((w) => w.report));
      const text = await registry.metrics();
      const values = Object.fromEntries(parsePrometheusText(text).families.map((f) => [f.name, f.samples[0]?.value]));
      assert.deepEqual(values, { g_sum: 18, g_min: 2, g_max: 10, g_average: 6, g_first: 10 });
    } finally {
      for (const w of workers) w.worker.postMessage('stop');
    }
    await Promise.all(workers.map((w) => w.exited));
  });

  it('rejects what cannot work, naming it', async () => {
    const { shared, handle } = setup(1);
    const { attachWorker } = await import('../../src/index.js');
    assert.throws(() => attachWorker({} as never), /attachWorker: expected the object returned by sharedRegistry\(\)\.handle\(\)/);
    assert.throws(() => attachWorker(handle), /all 1 thread columns are taken; raise maxThreads/);
    assert.throws(
      () => shared.counter({ name: 'test_requests_total', help: 'x', labelNames: ['method'] }),
      /already declared and its labels are \[method, code\], not \[method\]/,
    );
    assert.throws(() => shared.counter({ name: 'c_total', help: 'x', aggregator: 'max' } as never), /aggregator must be 'sum'/);
    assert.throws(() => shared.histogram({ name: 'h', help: 'x', labelNames: ['le'] }), /label name 'le' is reserved/);
    assert.throws(() => sharedRegistry({ maxThreads: 0 }), /maxThreads must be an integer from 1 to 1024, got 0/);
    const late = startWorker('./late-worker.ts', { handle: setup().handle });
    await assert.rejects(late.report, /shared metric 'not_declared' is not in this handle/);
    const bad = startWorker('./late-worker.ts', { handle: setup().handle, mismatch: true });
    await assert.rejects(
      bad.report,
      /shared metric 'test_requests_total' differs from the registry's declaration: its labels are \[method, code\], not \[method\]/,
    );
    const m = declareTestMetrics(shared);
    assert.throws(() => m.requests.inc({ bogus: 'x' } as never), /unknown label 'bogus'/);
    assert.throws(() => m.requests.labels('GET', '200').inc(-1), /increment must be a finite number >= 0, got -1/);
  });

  it('remove() and reset() take series out of every thread until some thread writes them again', async () => {
    const { registry, shared, m, handle } = setup();
    const w = startWorker(WORKER, { handle, mode: 'rewrite', n: 5, tag: '', stay: true });
    shared.watch(w.worker);
    await w.report;
    const again = (): Promise<unknown> =>
      new Promise((resolve) => {
        w.worker.once('message', resolve);
        w.worker.postMessage('again');
      });
    const get200 = { method: 'GET', code: '200' };
    const post500 = { method: 'POST', code: '500' };
    m.requests.inc(get200, 2);
    let requests = await samples(registry, 'test_requests_total');
    assert.equal(sampleValue(requests, get200), 7);
    assert.equal(sampleValue(requests, post500), 1);

    // Gone from the scrape, in every thread's column; the worker's kept child brings it back with new counts only.
    m.requests.remove('GET', '200');
    requests = await samples(registry, 'test_requests_total');
    assert.equal(sampleValue(requests, get200), undefined);
    assert.equal(sampleValue(requests, post500), 1);
    await again();
    requests = await samples(registry, 'test_requests_total');
    assert.equal(sampleValue(requests, get200), 5);
    assert.equal(sampleValue(requests, post500), 2);

    // The record form; this thread's next labels() shows the series again at 0, as prom-client's does.
    m.requests.remove(post500);
    assert.equal(sampleValue(await samples(registry, 'test_requests_total'), post500), undefined);
    m.requests.labels('POST', '500');
    assert.equal(sampleValue(await samples(registry, 'test_requests_total'), post500), 0);
    m.requests.remove('PUT', '404'); // never created: nothing to do

    m.requests.reset();
    m.latency.reset();
    m.inflight.reset();
    assert.deepEqual(await samples(registry, 'test_requests_total'), []);
    assert.deepEqual(await samples(registry, 'test_latency_seconds_count'), []);
    assert.equal(sampleValue(await samples(registry, 'test_inflight'), {}), 0, 'an unlabelled metric shows 0 after reset()');
    await again();
    requests = await samples(registry, 'test_requests_total');
    assert.equal(sampleValue(requests, get200), 5);
    assert.equal(sampleValue(requests, post500), 1);
    assert.equal(sampleValue(await samples(registry, 'test_latency_seconds_count'), { route: '/a' }), 1);
    assert.equal(sampleValue(await samples(registry, 'test_latency_seconds_bucket'), { route: '/a', le: '0.5' }), 1);
    assert.equal(sampleValue(await samples(registry, 'test_inflight'), {}), 1);
    assert.throws(() => m.requests.remove('GET'), /has 2 label\(s\) \(method, code\) but got 1 value\(s\)/);
    w.worker.postMessage('stop');
    await w.exited;
  });

  it('reports the same totals through get() as prom-client shapes them', async () => {
    const { m } = setup();
    m.requests.inc({ method: 'GET', code: '200' }, 3);
    m.latency.observe({ route: '/b' }, 0.3);
    const json = await m.requests.get();
    assert.deepEqual(json.values, [{ value: 3, labels: { method: 'GET', code: '200' } }]);
    const latency = await m.latency.get();
    assert.deepEqual(
      latency.values.map((v) => [v.metricName, v.labels.le, v.value]),
      [
        ['test_latency_seconds_bucket', 0.25, 0],
        ['test_latency_seconds_bucket', 0.5, 1],
        ['test_latency_seconds_bucket', 1, 1],
        ['test_latency_seconds_bucket', '+Inf', 1],
        ['test_latency_seconds_sum', undefined, 0.3],
        ['test_latency_seconds_count', undefined, 1],
      ],
    );
  });
});
