import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { waitUntil } from '@promkit/testing';
import { parsePrometheusText, type ParsedSample } from '../../src/exposition/index.js';
import { openMetricsContentType, Registry, Summary } from '../../src/index.js';
import { decodeDelimited, flattenToSamples } from '../exposition/protobuf-decode.js';
import { sharedSetup } from './shared-setup.js';
import { startWorker } from './start-worker.js';
import { declareSummaries, floodValue, MAX_AGE_SECONDS, PERCENTILES, WINDOW } from './summary-metrics.js';

const WORKER = './summary-worker.ts';

const setup = (maxThreads?: number) => sharedSetup(declareSummaries, maxThreads);

/** One series of a summary family from the text exposition: quantile → value, sum, count. */
interface ScrapedSeries {
  quantiles: Map<number, number>;
  sum: number | undefined;
  count: number | undefined;
}

async function scrapeSamples(registry: Registry): Promise<ParsedSample[]> {
  return parsePrometheusText(await registry.metrics()).families.flatMap((f) => f.samples);
}

async function scrapeSeries(registry: Registry, family: string, labels: Record<string, string> = {}): Promise<ScrapedSeries> {
  return seriesOf(await scrapeSamples(registry), family, labels);
}

function seriesOf(samples: readonly ParsedSample[], family: string, labels: Record<string, string>): ScrapedSeries {
  const mine = samples.filter((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  const quantiles = new Map<number, number>();
  for (const s of mine) if (s.name === family) quantiles.set(Number(s.labels.quantile), s.value);
  return {
    quantiles,
    sum: mine.find((s) => s.name === `${family}_sum`)?.value,
    count: mine.find((s) => s.name === `${family}_count`)?.value,
  };
}

/**
 * Independent reference for distinct values: the value at 0-based rank q·n − ½ of the sorted
 * sample, interpolated linearly and clamped to its ends (Hyndman and Fan's definition 5).
 */
function referenceQuantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = q * sorted.length - 0.5;
  if (rank <= 0) return sorted[0];
  if (rank >= sorted.length - 1) return sorted[sorted.length - 1];
  const lo = Math.floor(rank);
  return sorted[lo] + (rank - lo) * (sorted[lo + 1] - sorted[lo]);
}

function assertQuantiles(actual: Map<number, number>, values: readonly number[], percentiles: readonly number[] = PERCENTILES): void {
  assert.deepEqual([...actual.keys()], [...percentiles]);
  for (const q of percentiles) {
    const expected = referenceQuantile(values, q);
    const got = actual.get(q)!;
    assert.ok(Math.abs(got - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), `quantile ${q}: got ${got}, expected ${expected}`);
  }
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

describe('shared summaries across worker threads', () => {
  it('sums counts and sums exactly and takes exact quantiles of the merged windows while the main thread scrapes', async () => {
    const { registry, shared, handle } = setup();
    const N = 100_000;
    const WORKERS = [1, 2, 3];
    const workers = WORKERS.map((worker) => startWorker(WORKER, { handle, mode: 'flood', worker, n: N }));
    for (const w of workers) shared.watch(w.worker);
    let finished = false;
    const all = Promise.all(workers.map((w) => w.report)).finally(() => (finished = true));
    try {
      // A worker's own series only moves forward: the count, the sum and the smallest and
      // largest kept observations never go back, which a half-written or stale ring entry
      // taken by a scrape would break.
      const last = new Map<string, { count: number; sum: number; min: number; max: number }>();
      let scrapes = 0;
      while (!finished) {
        const samples = await scrapeSamples(registry);
        for (const route of ['common', ...WORKERS.map((w) => `born-${w}`)]) {
          const s = seriesOf(samples, 'sum_latency_seconds', { route });
          if (s.count === undefined || s.count === 0) continue;
          const before = last.get(route) ?? { count: 0, sum: 0, min: 0, max: 0 };
          const now = { count: s.count, sum: s.sum!, min: s.quantiles.get(0)!, max: s.quantiles.get(1)! };
          assert.ok(now.count >= before.count && now.count <= WORKERS.length * N, `${route}: count ${before.count} -> ${now.count}`);
          assert.ok(now.sum >= before.sum, `${route}: sum went back from ${before.sum} to ${now.sum}`);
          for (const v of [now.min, now.max]) assert.ok(Number.isInteger(v) && v % 1_000_000 < N && v >= 1_000_000 && v < 4_000_000, `${v} was never observed`);
          const values = [...s.quantiles.values()];
          assert.deepEqual(
            values,
            [...values].sort((a, b) => a - b),
            'quantiles ascend',
          );
          if (route !== 'common') {
            assert.ok(now.min >= before.min && now.max >= before.max, `${route}: window went back: [${before.min}, ${before.max}] -> [${now.min}, ${now.max}]`);
          }
          last.set(route, now);
          scrapes++;
        }
        await new Promise((r) => setTimeout(r, 2));
      }
      await all;
      assert.ok(scrapes > 0);

      const sumOf = (worker: number): number => range(0, N).reduce((acc, j) => acc + floodValue(worker, j), 0);
      const windowOf = (worker: number): number[] => range(N - WINDOW, N).map((j) => floodValue(worker, j));
      const common = await scrapeSeries(registry, 'sum_latency_seconds', { route: 'common' });
      assert.equal(common.count, WORKERS.length * N);
      assert.equal(
        common.sum,
        WORKERS.reduce((acc, w) => acc + sumOf(w), 0),
      );
      assertQuantiles(common.quantiles, WORKERS.flatMap(windowOf));
      // Series born in a worker show up, with that worker's numbers only.
      for (const w of WORKERS) {
        const born = await scrapeSeries(registry, 'sum_latency_seconds', { route: `born-${w}` });
        assert.equal(born.count, N);
        assert.equal(born.sum, sumOf(w));
        assertQuantiles(born.quantiles, windowOf(w));
      }
    } finally {
      for (const w of workers) w.worker.postMessage('stop');
      await Promise.all(workers.map((w) => w.exited));
    }
  });

  it("keeps an exited worker's count and sum, drops its window, and does not hand the window to the column's next owner", async () => {
    const { registry, shared, m, handle } = setup(2);
    const route = { route: 'exit' };
    for (const v of [1, 2, 3]) m.latency.observe(route, v);
    const gone = startWorker(WORKER, { handle, mode: 'values', values: [100, 200], route: 'exit', leave: true });
    shared.watch(gone.worker);
    await gone.report;
    assert.equal(await gone.exited, 0);
    let s = await scrapeSeries(registry, 'sum_latency_seconds', route);
    assert.equal(s.count, 5);
    assert.equal(s.sum, 306);
    assertQuantiles(s.quantiles, [1, 2, 3]);

    // maxThreads 2: the next worker can only take the exited one's column.
    const next = startWorker(WORKER, { handle, mode: 'values', values: [50], route: 'exit' });
    shared.watch(next.worker);
    try {
      assert.equal((await next.report).column, (await gone.report).column);
      s = await scrapeSeries(registry, 'sum_latency_seconds', route);
      assert.equal(s.count, 6);
      assert.equal(s.sum, 356);
      assertQuantiles(s.quantiles, [1, 2, 3, 50]);
    } finally {
      next.worker.postMessage('stop');
    }
    await next.exited;
  });

  it('drops observations older than maxAgeSeconds from the quantiles, keeping them in count and sum', async () => {
    const { registry, shared, m, handle } = setup();
    const started = Date.now();
    const w = startWorker(WORKER, { handle, mode: 'aged', values: [7, 8, 9] });
    shared.watch(w.worker);
    try {
      await w.report;
      let s = await scrapeSeries(registry, 'sum_aged_seconds');
      assert.equal(s.count, 3);
      // Only when this scrape came within the window (a stalled machine may take longer).
      if (Date.now() - started < MAX_AGE_SECONDS * 1000) assertQuantiles(s.quantiles, [7, 8, 9], [0, 0.5, 1]);
      // Nothing left in the window reads 0 (prom-client's), while the worker is still attached.
      s = await waitUntil(
        async () => {
          const now = await scrapeSeries(registry, 'sum_aged_seconds');
          return [...now.quantiles.values()].every((v) => v === 0) && now;
        },
        { intervalMs: 50, description: 'the aged observations leave the quantiles' },
      );
      assert.equal(s.count, 3);
      assert.equal(s.sum, 24);
      const fresh = Date.now();
      m.aged.observe(4);
      s = await scrapeSeries(registry, 'sum_aged_seconds');
      assert.equal(s.count, 4);
      assert.equal(s.sum, 28);
      if (Date.now() - fresh < MAX_AGE_SECONDS * 1000) assert.deepEqual([...s.quantiles.values()], [4, 4, 4]);
    } finally {
      w.worker.postMessage('stop');
    }
    await w.exited;
  });

  it("reports promkit's Summary quantiles on the same data, ties included", async () => {
    const { registry, m } = setup();
    const registry2 = new Registry();
    const reference = new Summary({ name: 'ref', help: 'h', percentiles: PERCENTILES, registers: [registry2] });
    // Fewer than 50 values: the Summary's digest keeps every distinct value, so it is exact too.
    const values = [5, 1, 1, 2, 9, 9, 9, 3, 0.5, 7, 7, 4, 1, 6];
    for (const v of values) {
      m.latency.observe({ route: 'ties' }, v);
      reference.observe(v);
    }
    const shared = await scrapeSeries(registry, 'sum_latency_seconds', { route: 'ties' });
    const expected = await scrapeSeries(registry2, 'ref');
    assert.deepEqual(shared, expected);
    // An empty window reports 0 for every quantile, as the Summary does.
    m.latency.labels('empty');
    assert.deepEqual(
      [...(await scrapeSeries(registry, 'sum_latency_seconds', { route: 'empty' })).quantiles.values()],
      PERCENTILES.map(() => 0),
    );
  });

  it('remove() and reset() empty the window and the totals until the series is observed again', async () => {
    const { registry, m } = setup();
    const kept = m.latency.labels('/r');
    for (const v of [10, 20, 30]) kept.observe(v);
    m.latency.observe({ route: '/other' }, 1);
    m.latency.remove('/r');
    assert.equal((await scrapeSeries(registry, 'sum_latency_seconds', { route: '/r' })).count, undefined);
    kept.observe(5);
    let s = await scrapeSeries(registry, 'sum_latency_seconds', { route: '/r' });
    assert.deepEqual([s.count, s.sum, [...s.quantiles.values()]], [1, 5, PERCENTILES.map(() => 5)]);
    m.latency.reset();
    assert.equal((await scrapeSeries(registry, 'sum_latency_seconds', { route: '/other' })).count, undefined);
    kept.observe(7);
    s = await scrapeSeries(registry, 'sum_latency_seconds', { route: '/r' });
    assert.deepEqual([s.count, s.sum, [...s.quantiles.values()]], [1, 7, PERCENTILES.map(() => 7)]);
  });

  it('exposes as a summary family in text, OpenMetrics, protobuf and getMetricsAsJSON', async () => {
    const { registry, m } = setup();
    for (const v of [0.1, 0.2, 0.4]) m.latency.observe({ route: '/a' }, v);
    m.latency.startTimer({ route: '/t' })();
    m.latency.labels('/t').startTimer()();
    m.latency.startTimer()({ route: '/t' }); // labels given at the end, as prom-client allows
    const text = parsePrometheusText(await registry.metrics());
    const family = text.families.find((f) => f.name === 'sum_latency_seconds')!;
    assert.equal(family.type, 'summary');
    const textSamples = new Map(family.samples.map((s) => [`${s.name}${JSON.stringify(Object.entries(s.labels).sort())}`, s.value]));
    assert.equal(textSamples.get(`sum_latency_seconds_count${JSON.stringify([['route', '/t']])}`), 3);

    const pb = decodeDelimited(await registry.metricsProtobuf()).find((f) => f.name === 'sum_latency_seconds')!;
    assert.equal(pb.type, 2, 'protobuf SUMMARY');
    const pbSamples = new Map(flattenToSamples([pb]).map((s) => [`${s.name}${JSON.stringify(Object.entries(s.labels).sort())}`, s.value]));
    assert.deepEqual(pbSamples, textSamples);

    registry.setContentType(openMetricsContentType);
    const om = await registry.metrics();
    assert.match(om, /# TYPE sum_latency_seconds summary\n/);
    assert.match(om, /sum_latency_seconds\{quantile="0\.5",route="\/a"\} 0\.2\n/);
    assert.match(om, /sum_latency_seconds_count\{route="\/a"\} 3\n/);

    const json = (await registry.getMetricsAsJSON()).find((j) => j.name === 'sum_latency_seconds')!;
    assert.equal(json.type, 'summary');
    const a = json.values.filter((v) => v.labels.route === '/a');
    assert.deepEqual(
      a.map((v) => [v.metricName, v.labels.quantile, v.value]),
      [
        ...PERCENTILES.map((q) => [undefined, q, referenceQuantile([0.1, 0.2, 0.4], q)]),
        ['sum_latency_seconds_sum', undefined, 0.1 + 0.2 + 0.4],
        ['sum_latency_seconds_count', undefined, 3],
      ],
    );
    assert.deepEqual(await m.latency.get(), json);
  });

  it('rejects bad values and configurations, naming them', async () => {
    const { shared, m, handle } = setup();
    const child = m.latency.labels('/x');
    assert.throws(() => child.observe(Number.NaN), /^RangeError: summary 'sum_latency_seconds': observed value must be a finite number, got NaN$/);
    assert.throws(() => m.latency.observe({ route: '/x' }, Number.POSITIVE_INFINITY), /observed value must be a finite number, got Infinity/);
    assert.throws(() => child.observe('1' as never), /observed value must be a finite number, got string/);
    assert.throws(() => m.aged.observe(undefined as never), /summary 'sum_aged_seconds': observed value must be a finite number, got undefined/);
    const summary = (extra: Record<string, unknown>) => () => shared.summary({ name: 'bad', help: 'h', ...extra });
    assert.throws(summary({ percentiles: [0.5, 1.5] }), /^RangeError: shared summary 'bad': percentile 1.5 is not in \[0, 1\]$/);
    assert.throws(summary({ percentiles: 0.5 }), /shared summary 'bad': percentiles must be an array of numbers in \[0, 1\]/);
    assert.throws(summary({ windowSize: 0 }), /shared summary 'bad': windowSize must be an integer from 1 to 65536, got 0/);
    assert.throws(summary({ windowSize: 2.5 }), /windowSize must be an integer from 1 to 65536, got 2.5/);
    assert.throws(summary({ maxAgeSeconds: -1 }), /shared summary 'bad': maxAgeSeconds must be a positive number, got -1/);
    assert.throws(summary({ ageBuckets: 0 }), /shared summary 'bad': ageBuckets must be a positive integer, got 0/);
    assert.throws(summary({ pruneAgedBuckets: true }), /shared summary 'bad': pruneAgedBuckets is not supported/);
    assert.throws(summary({ aggregator: 'max' }), /shared summary 'bad': aggregator must be 'sum'/);
    assert.throws(summary({ labelNames: ['quantile'] }), /label name 'quantile' is reserved/);
    assert.throws(
      () => shared.summary({ name: 'sum_aged_seconds', help: 'Aged', percentiles: [0.5] }),
      /already declared and its percentiles are \[0, 0\.5, 1\], not \[0\.5\]/,
    );
    const bad = startWorker(WORKER, { handle, mode: 'mismatch' });
    await assert.rejects(
      bad.report,
      /'sum_latency_seconds' differs from the registry's declaration: its maxAgeSeconds and windowSize are undefined and 64, not undefined and 32/,
    );
    await bad.exited;
  });
});
