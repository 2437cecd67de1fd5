import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CounterImpl, HistogramImpl, Registry } from '../../src/index.js';

// `Counter` is a value with overloaded construct signatures (for typed labels), which a
// class cannot extend; the *Impl classes are the ones to subclass.
class TenantCounter extends CounterImpl<'tenant'> {
  incTenant(tenant: string): void {
    this.labels(tenant).inc();
  }
}

class SecondsHistogram extends HistogramImpl<'op'> {
  timeSync<R>(op: string, fn: () => R): R {
    const end = this.startTimer({ op });
    try {
      return fn();
    } finally {
      end();
    }
  }
}

test('the metric classes can be subclassed and keep their behaviour', async () => {
  const registry = new Registry();
  const c = new TenantCounter({ name: 'tenant_total', help: 'h', labelNames: ['tenant'], registers: [registry] });
  c.incTenant('a');
  c.incTenant('a');
  const h = new SecondsHistogram({ name: 'op_seconds', help: 'h', labelNames: ['op'], buckets: [1], registers: [registry] });
  assert.equal(
    h.timeSync('parse', () => 42),
    42,
  );
  const text = await registry.metrics();
  assert.match(text, /^tenant_total\{tenant="a"\} 2$/m);
  assert.match(text, /^op_seconds_count\{op="parse"\} 1$/m);
  assert.ok(c instanceof CounterImpl);
});
