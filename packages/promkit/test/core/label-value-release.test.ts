/**
 * Issue 15, item 5: removed series must not keep their label values alive. The series
 * index interns label values (one copy per distinct value and label position); before
 * the fix an interned value stayed until `reset()`, so 300 removed series with 1 MB
 * values kept 300 MB. The checks are structural: what the intern tables hold.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Counter, Gauge, Registry } from '../../src/index.js';
import { SeriesIndex } from '../../src/core/series-index.js';

function indexOf(metric: object): SeriesIndex<unknown> {
  return (metric as { index: SeriesIndex<unknown> }).index;
}

/** What the intern tables hold, read structurally (the same on the code before the fix). */
function interned(index: SeriesIndex<unknown>): number {
  const tables = (index as unknown as { interned: Array<Map<string, unknown>> }).interned;
  const count = tables.reduce((n, table) => n + table.size, 0);
  assert.equal(index.internedCount, count);
  return count;
}

function noUnknownLabel(): void {
  throw new Error('unexpected');
}

describe('interned label values follow the series that use them', () => {
  test('removing many series with large values empties the intern tables', () => {
    const registry = new Registry();
    const counter = new Counter({ name: 'big_total', help: 'Large label values.', labelNames: ['id', 'payload'], registers: [registry] });
    const big = (i: number): string => `${i}:`.padEnd(64 * 1024, 'x');
    for (let i = 0; i < 300; i++) counter.inc({ id: String(i), payload: big(i) });
    const index = indexOf(counter);
    assert.equal(interned(index), 600);
    for (let i = 0; i < 300; i++) counter.remove({ id: String(i), payload: big(i) });
    assert.equal(interned(index), 0);
    assert.equal(index.isEmpty, true);
  });

  test("a value still used by another series stays interned; the removed series' own values go", () => {
    const index: SeriesIndex<unknown> = new SeriesIndex<string>('m', ['region', 'pod'], noUnknownLabel);
    index.set(['eu', 'pod-a'], 'A');
    index.set(['eu', 'pod-b'], 'B');
    index.set(['us', 'pod-a'], 'C');
    assert.equal(interned(index), 4); // eu, us; pod-a, pod-b
    assert.equal(index.delete(['eu', 'pod-b']), 'B');
    assert.equal(interned(index), 3); // pod-b released; eu still has pod-a under it
    assert.equal(index.delete(['eu', 'pod-a']), 'A');
    assert.equal(interned(index), 2); // eu released; pod-a still used under us
    assert.equal(index.delete(['us', 'pod-a']), 'C');
    assert.equal(interned(index), 0);
  });

  test('churn past the intern limit: once removed series free their slots, new values are interned again', () => {
    const registry = new Registry();
    const gauge = new Gauge({ name: 'churn', help: 'Churning label.', labelNames: ['request'], registers: [registry] });
    const index = indexOf(gauge);
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 2000; i++) gauge.set({ request: `r${round}-${i}` }, i);
      // The table is bounded: the first 1024 distinct values of the round.
      assert.equal(interned(index), 1024);
      for (let i = 0; i < 2000; i++) gauge.remove({ request: `r${round}-${i}` });
      assert.equal(interned(index), 0, `round ${round}`);
    }
  });

  test('removeUnder() releases what it removes', () => {
    const registry = new Registry();
    const gauge = new Gauge({ name: 'tree', help: 'Nested labels.', labelNames: ['ns', 'name'], registers: [registry] });
    for (let i = 0; i < 50; i++) {
      gauge.set({ ns: 'a', name: `n${i}` }, 1);
      gauge.set({ ns: 'b', name: `n${i}` }, 1);
    }
    const index = indexOf(gauge);
    assert.equal(interned(index), 52);
    gauge.removeUnder(['a']);
    assert.equal(interned(index), 51); // 'a' goes; every name is still used under 'b'
    gauge.removeUnder(['b']);
    assert.equal(interned(index), 0);
  });
});
