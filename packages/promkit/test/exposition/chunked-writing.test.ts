/**
 * A large scrape is written in chunks and yields to the event loop, and concurrent
 * scrapes share one gather. Nothing here asserts wall-clock durations (machines are
 * noisy): the proofs are counts of event-loop turns, chunks and collect calls; the
 * measured gaps are reported as diagnostics only.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { Counter, Gauge, Histogram, Registry } from '../../src/index.js';
import { parseExposition } from '../../src/exposition/parser.js';

const SERIES = 200_000;

interface LoopProbe {
  /** setImmediate callbacks that ran while the probe was on. */
  ticks: number;
  /** Longest gap between two of them, in ms. */
  maxGapMs: number;
  stop(): void;
}

/** Counts event-loop turns (setImmediate callbacks) until stopped. */
function probeEventLoop(): LoopProbe {
  let running = true;
  let last = performance.now();
  const probe: LoopProbe = {
    ticks: 0,
    maxGapMs: 0,
    stop: () => {
      running = false;
    },
  };
  const tick = (): void => {
    if (!running) return;
    const now = performance.now();
    probe.maxGapMs = Math.max(probe.maxGapMs, now - last);
    last = now;
    probe.ticks++;
    setImmediate(tick);
  };
  setImmediate(tick);
  return probe;
}

let registry: Registry;
let collects = 0;

before(() => {
  registry = new Registry();
  const c = new Counter({ name: 'big_total', help: 'Many series.', labelNames: ['id', 'shard'], registers: [registry] });
  for (let i = 0; i < SERIES; i++) c.labels(String(i), String(i % 16)).inc(i);
  new Gauge({
    name: 'collect_calls',
    help: 'How often collect ran.',
    registers: [registry],
    collect() {
      collects++;
      this.set(collects);
    },
  });
  const h = new Histogram({ name: 'small_histogram', help: 'h', buckets: [1, 2], registers: [registry] });
  h.observe(1.5);
});

describe(`a ${SERIES.toLocaleString('en')}-series registry`, () => {
  test('metrics() yields to the event loop during the scrape; concurrent calls share one gather', async (t) => {
    const before = collects;
    const probe = probeEventLoop();
    let timerFiredDuringScrape = false;
    let scraping = true;
    setTimeout(() => {
      timerFiredDuringScrape = scraping;
    }, 0);
    const started = performance.now();
    const results = await Promise.all([registry.metrics(), registry.metrics(), registry.metrics()]);
    scraping = false;
    const totalMs = performance.now() - started;
    probe.stop();
    t.diagnostic(`scrape took ${totalMs.toFixed(1)} ms; ${probe.ticks} event-loop turns; longest gap ${probe.maxGapMs.toFixed(1)} ms`);

    assert.ok(probe.ticks > 1, `the scrape must yield more than once (event-loop turns during the scrape: ${probe.ticks})`);
    assert.ok(timerFiredDuringScrape, 'a timer due during the scrape runs before the scrape ends');
    assert.equal(collects - before, 1, 'three concurrent metrics() calls ran collect once');
    assert.equal(results[1], results[0]);
    assert.equal(results[2], results[0]);

    const parsed = parseExposition(results[0], 'prometheus');
    const big = parsed.families.find((f) => f.name === 'big_total');
    assert.equal(big?.samples.length, SERIES);
    assert.deepEqual(big?.samples[SERIES - 1].labels, { id: String(SERIES - 1), shard: String((SERIES - 1) % 16) });
    assert.equal(big?.samples[SERIES - 1].value, SERIES - 1);
  });

  test('writeMetrics(sink) delivers the same text in several chunks', async () => {
    const chunks: string[] = [];
    await registry.writeMetrics((chunk) => void chunks.push(chunk), { format: 'openmetrics' });
    assert.ok(chunks.length > 1, `expected several chunks, got ${chunks.length}`);
    for (const chunk of chunks) assert.ok(chunk.endsWith('\n'), 'chunks end at line boundaries');
    const joined = chunks.join('');
    assert.ok(joined.endsWith('# EOF\n'));
    const parsed = parseExposition(joined, 'openmetrics');
    assert.equal(parsed.families.find((f) => f.name === 'big')?.samples.length, SERIES);
  });

  test('an async sink is awaited: one chunk at a time, in order', async () => {
    let inSink = false;
    let overlaps = 0;
    const chunks: string[] = [];
    await registry.writeMetrics(async (chunk) => {
      if (inSink) overlaps++;
      inSink = true;
      await new Promise((r) => setImmediate(r));
      chunks.push(chunk);
      inSink = false;
    });
    assert.equal(overlaps, 0);
    assert.ok(chunks.length > 1);
    // collect_calls changes with every scrape; everything else must be identical.
    const withoutCalls = (text: string) => text.replace(/^collect_calls \d+$/m, '');
    assert.equal(withoutCalls(chunks.join('')), withoutCalls(await registry.metrics()));
  });

  test('a zero time budget yields at every clock check, so at least as often as the default', async (t) => {
    const probeDefault = probeEventLoop();
    await registry.writeMetrics(() => {});
    probeDefault.stop();
    const probeZero = probeEventLoop();
    await registry.writeMetrics(() => {}, { maxBlockMs: 0 });
    probeZero.stop();
    t.diagnostic(
      `event-loop turns: default budget ${probeDefault.ticks} (longest gap ${probeDefault.maxGapMs.toFixed(1)} ms), zero budget ${probeZero.ticks} (longest gap ${probeZero.maxGapMs.toFixed(1)} ms)`,
    );
    assert.ok(probeZero.ticks > 1);
    assert.ok(probeZero.ticks >= probeDefault.ticks, `${probeZero.ticks} < ${probeDefault.ticks}`);
  });
});
