/**
 * `enableExemplars` against the registry's content type: refused on text 0.0.4 as in
 * prom-client (the compat scenarios compare that with prom-client itself), and promkit's
 * `exemplarsOnTextRegistry` for a text registry whose OpenMetrics scrapes should carry them.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Counter, Histogram, Registry } from '../../src/index.js';
import { defineCatalog, instantiateCatalog } from '../../src/catalog/index.js';

describe('enableExemplars and the registry content type', () => {
  test('a text registry refuses them with an error that names the metric and the way out', () => {
    const registry = new Registry();
    assert.throws(
      () => new Histogram({ name: 'lat_seconds', help: 'h', enableExemplars: true, registers: [registry] }),
      (error: Error) =>
        error instanceof TypeError &&
        /metric 'lat_seconds': enableExemplars needs an OpenMetrics registry/.test(error.message) &&
        /exemplarsOnTextRegistry: true/.test(error.message),
    );
    assert.equal(registry.getSingleMetric('lat_seconds'), undefined);
  });

  test('a refused metric is left in none of its registries, the OpenMetrics one listed first included', () => {
    const om = new Registry(Registry.OPENMETRICS_CONTENT_TYPE);
    const text = new Registry();
    assert.throws(() => new Counter({ name: 'c_total', help: 'h', enableExemplars: true, registers: [om, text] }), TypeError);
    assert.equal(om.getSingleMetric('c_total'), undefined);
  });

  test('exemplarsOnTextRegistry: accepted, and the OpenMetrics scrape of the text registry carries them', async () => {
    const registry = new Registry();
    const c = new Counter({ name: 'jobs_total', help: 'h', enableExemplars: true, exemplarsOnTextRegistry: true, registers: [registry] });
    c.inc({ value: 2, exemplarLabels: { trace_id: 'abc' } });
    assert.match(await registry.metrics({ format: 'openmetrics' }), /^jobs_total 2 # \{trace_id="abc"\} 2 /m);
    assert.match(await registry.metrics(), /^jobs_total 2$/m);
  });

  test('instantiateCatalog({ enableExemplars }) works on a text registry (the operator kit relies on it)', async () => {
    const catalog = defineCatalog({
      id: 'ex',
      title: 'Ex',
      description: 'd',
      scrape: { job: 'ex', port: 9400, path: '/metrics' },
      metrics: { done: { name: 'ex_done_total', type: 'counter', help: 'Done.', labelNames: [] } },
    });
    const registry = new Registry();
    const { done } = instantiateCatalog(catalog, registry, { enableExemplars: true });
    done.inc({ value: 1, exemplarLabels: { trace_id: 'def' } });
    assert.match(await registry.metrics({ format: 'openmetrics' }), /^ex_done_total 1 # \{trace_id="def"\} 1 /m);
  });
});
