/**
 * Text 0.0.4 output is byte-identical to prom-client's for the same registry (users
 * snapshot their /metrics), except the one spelling promkit keeps valid: NaN.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { libs, type Lib } from './differential.js';

async function textOf(build: (lib: Lib, registry: any) => void): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [name, lib] of Object.entries(libs)) {
    const registry = new lib.Registry();
    build(lib, registry);
    out[name] = await registry.metrics();
  }
  return out;
}

test('same bytes: blank lines between families, le and quantile placed as prom-client does, default labels, escapes', async () => {
  const out = await textOf((lib, r) => {
    r.setDefaultLabels({ service: 'api', region: 'eu' });
    const c = new lib.Counter({ name: 'req_total', help: 'Requests "x" \\ y\nz.', labelNames: ['method', 'code'], registers: [r] });
    c.labels('GET', 200).inc(3);
    c.labels('PO"ST\\', '5\n00').inc();
    new lib.Counter({ name: 'untouched_total', help: 'U.', labelNames: ['a'], registers: [r] });
    const h = new lib.Histogram({ name: 'h_seconds', help: 'H.', labelNames: ['route'], buckets: [0.005, 0.1, 1, 2.5], registers: [r] });
    h.labels('/a').observe(0.3);
    h.labels('/b').observe(3);
    new lib.Histogram({ name: 'hu', help: 'HU.', buckets: [1], registers: [r] }).observe(0.5);
    const own = new lib.Histogram({
      name: 'own_region',
      help: 'A label named like a default label wins.',
      labelNames: ['region'],
      buckets: [1],
      registers: [r],
    });
    own.labels('us').observe(2);
    const s = new lib.Summary({ name: 's', help: 'S.', labelNames: ['m'], percentiles: [0.5, 0.99], registers: [r] });
    s.labels('x').observe(1);
    s.labels('x').observe(2);
    new lib.Summary({ name: 'su', help: 'S.', percentiles: [0.5], registers: [r] }).observe(1e-7);
    new lib.Gauge({ name: 'g', help: 'G.', registers: [r] }).set(-Infinity);
    new lib.Gauge({ name: 'big', help: 'G.', labelNames: ['x'], registers: [r] }).set({ x: 1 }, 1e21);
  });
  assert.equal(out.promkit, out['prom-client']);
  assert.match(out.promkit, /\n\n# HELP untouched_total/, 'families are separated by a blank line');
});

test('same bytes and get(): labels in the key order of the record that made the series, a label it left out is absent', async () => {
  const out = await textOf((lib, r) => {
    r.setDefaultLabels({ svc: 'x' });
    const c = new lib.Counter({ name: 'c_total', help: 'h', labelNames: ['a', 'b', 'c'], registers: [r] });
    c.inc({ c: '3', a: '1', b: '2' });
    c.inc({ b: 'only b' });
    c.labels('p', 'q', 'r').inc();
    c.inc({ a: 'p', b: 'q', c: 'r' }, 2);
    const h = new lib.Histogram({ name: 'h', help: 'h', labelNames: ['route', 'code'], buckets: [1], registers: [r] });
    h.observe({ code: 200, route: '/x' }, 0.5);
    h.labels({ route: '/y' }).observe(2);
    const s = new lib.Summary({ name: 's', help: 'h', labelNames: ['a', 'b'], percentiles: [0.5], registers: [r] });
    s.observe({ b: 'B' }, 1);
    new lib.Gauge({ name: 'g', help: 'h', labelNames: ['a', 'b'], registers: [r] }).set({ b: 'x', a: 'y' }, 1);
  });
  assert.equal(out.promkit, out['prom-client']);
  assert.ok(out.promkit.includes('c_total{c="3",a="1",b="2",svc="x"} 1\n'), out.promkit);
  assert.ok(out.promkit.includes('c_total{b="only b",svc="x"} 1\n'), out.promkit);

  const json: Record<string, unknown> = {};
  for (const [name, lib] of Object.entries(libs)) {
    const r = new lib.Registry();
    const c = new lib.Counter({ name: 'c_total', help: 'h', labelNames: ['a', 'b'], registers: [r] });
    c.inc({ b: 2, a: '1' });
    c.inc({ a: 'alone' });
    json[name] = JSON.stringify((await c.get()).values);
  }
  assert.equal(json.promkit, json['prom-client']);
});

test('NaN is spelled NaN (prom-client writes Nan, which Prometheus does not read as NaN)', async () => {
  const out = await textOf((lib, r) => new lib.Gauge({ name: 'g', help: 'G.', registers: [r] }).set(NaN));
  assert.equal(out['prom-client'], '# HELP g G.\n# TYPE g gauge\ng Nan\n');
  assert.equal(out.promkit, '# HELP g G.\n# TYPE g gauge\ng NaN\n');
});
