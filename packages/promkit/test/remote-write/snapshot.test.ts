import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Counter, Histogram, Registry, Summary } from '../../src/index.js';
import { snapshotSamples } from '../../src/remote-write/snapshot.js';

const pairs = (labels: readonly string[]): Array<[string, string]> => Array.from({ length: labels.length / 2 }, (_, i) => [labels[2 * i], labels[2 * i + 1]]);

describe('remote-write snapshot', () => {
  test('labels are sorted by byte order with __name__, le and quantile in place; precedence own > default > external; empty values dropped', async () => {
    const registry = new Registry();
    registry.setDefaultLabels({ zone: 'z1', Region: 'EU', m: 'default' });
    new Counter({ name: 'c_total', help: 'h', labelNames: ['m', 'empty'], registers: [registry] }).inc({ m: 'own', empty: '' }, 2);
    new Histogram({ name: 'h_seconds', help: 'h', labelNames: ['A'], buckets: [1], registers: [registry] }).observe({ A: 'a' }, 0.5);
    new Summary({ name: 's_seconds', help: 'h', percentiles: [0.5], registers: [registry] }).observe(1);
    const samples = snapshotSamples(await registry.gather(), 1234, { zone: 'external', env: 'test' });
    for (const s of samples) {
      const keys = pairs(s.labels).map(([k]) => k);
      assert.deepEqual(keys, [...keys].sort(), keys.join(','));
      assert.equal(s.timestampMs, 1234);
    }
    const counter = samples.find((s) => s.labels.includes('c_total'))!;
    assert.deepEqual(pairs(counter.labels), [
      ['Region', 'EU'],
      ['__name__', 'c_total'],
      ['env', 'test'],
      ['m', 'own'],
      ['zone', 'z1'],
    ]);
    assert.equal(counter.value, 2);
    const names = samples
      .map((s) => Object.fromEntries(pairs(s.labels)))
      .map((l) => `${l.__name__}${l.le ? `/${l.le}` : ''}${l.quantile ? `/${l.quantile}` : ''}`);
    assert.deepEqual(
      names.filter((n) => !n.startsWith('c_')),
      ['h_seconds_bucket/1', 'h_seconds_bucket/+Inf', 'h_seconds_sum', 'h_seconds_count', 's_seconds/0.5', 's_seconds_sum', 's_seconds_count'],
    );
  });
});
