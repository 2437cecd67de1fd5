/**
 * `seriesTtlSeconds`: a labelled series not written for that long is removed when the
 * metric is next collected (prometheus/client_js #741). Time is a mocked clock, so no
 * test waits or depends on the machine's speed.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import { Counter, Gauge, Histogram, Registry, Summary } from '../../src/index.js';
import { familyOf, scrape } from '../exposition/helpers.js';

const T0 = 1_700_000_000_000;

async function labelsOf(registry: Registry, name: string, label: string): Promise<string[]> {
  return familyOf(await scrape(registry), name)
    .samples.filter((s) => s.name === name || s.name === `${name}_count`)
    .map((s) => s.labels[label]);
}

describe('seriesTtlSeconds', () => {
  beforeEach(() => mock.timers.enable({ apis: ['Date'], now: T0 }));
  afterEach(() => mock.timers.reset());

  test('an idle series goes after the TTL; one written meanwhile stays', async () => {
    const registry = new Registry();
    const g = new Gauge({ name: 'g', help: 'G.', labelNames: ['k'], seriesTtlSeconds: 60, registers: [registry] });
    g.set({ k: 'idle' }, 1);
    g.set({ k: 'busy' }, 1);
    assert.deepEqual(await labelsOf(registry, 'g', 'k'), ['idle', 'busy']);
    for (let minute = 0; minute < 3; minute++) {
      mock.timers.tick(30_000);
      g.inc({ k: 'busy' });
      await scrape(registry);
      mock.timers.tick(30_000);
      g.set({ k: 'busy' }, 7); // the same value still counts as a write
    }
    assert.deepEqual(await labelsOf(registry, 'g', 'k'), ['busy']);
  });

  test('removal comes between one TTL and one TTL plus two scrape intervals after the last write', async () => {
    const registry = new Registry();
    const c = new Counter({ name: 'c_total', help: 'C.', labelNames: ['k'], seriesTtlSeconds: 10, registers: [registry] });
    c.inc({ k: 'a' });
    const seen: boolean[] = [];
    // Scrape every 4 s for 20 s after the last write.
    for (let t = 4; t <= 20; t += 4) {
      mock.timers.tick(4_000);
      seen.push((await labelsOf(registry, 'c_total', 'k')).includes('a'));
    }
    // The write's epoch ended at the 4 s scrape, so the series is certainly idle from
    // then; it goes at the first scrape at least 10 s later: 16 s (TTL + 2 intervals).
    assert.deepEqual(seen, [true, true, true, false, false]);
  });

  test('a child held across the removal comes back on its next write, from zero', async () => {
    const registry = new Registry();
    const h = new Histogram({ name: 'h', help: 'H.', labelNames: ['k'], buckets: [1], seriesTtlSeconds: 5, registers: [registry] });
    const child = h.labels('a');
    child.observe(0.5);
    await scrape(registry);
    mock.timers.tick(6_000);
    await scrape(registry);
    assert.deepEqual(await labelsOf(registry, 'h', 'k'), []);
    child.observe(2);
    const parsed = await scrape(registry);
    assert.equal(familyOf(parsed, 'h').samples.find((s) => s.name === 'h_count')!.value, 1);
  });

  test('get() sweeps too, and summaries expire like the others', async () => {
    const registry = new Registry();
    const s = new Summary({ name: 's', help: 'S.', labelNames: ['k'], percentiles: [0.5], seriesTtlSeconds: 1, registers: [registry] });
    s.observe({ k: 'old' }, 1);
    await s.get();
    mock.timers.tick(1_500);
    s.observe({ k: 'new' }, 1);
    const values = (await s.get()).values.filter((v) => v.metricName === 's_count');
    assert.deepEqual(
      values.map((v) => v.labels.k),
      ['new'],
    );
  });

  test('without the option nothing expires', async () => {
    const registry = new Registry();
    const g = new Gauge({ name: 'keep', help: 'K.', labelNames: ['k'], registers: [registry] });
    g.set({ k: 'a' }, 1);
    await scrape(registry);
    mock.timers.tick(365 * 24 * 3600 * 1000);
    await scrape(registry);
    assert.deepEqual(await labelsOf(registry, 'keep', 'k'), ['a']);
  });

  for (const bad of [0, -1, Infinity, NaN, '60']) {
    test(`rejects seriesTtlSeconds ${String(bad)}`, () => {
      assert.throws(
        () => new Gauge({ name: 'x', help: 'X.', labelNames: ['k'], seriesTtlSeconds: bad as number, registers: [] }),
        /metric 'x': seriesTtlSeconds must be a positive number of seconds/,
      );
    });
  }
});
