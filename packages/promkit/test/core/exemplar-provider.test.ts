import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { Counter, Histogram, Registry, setExemplarProvider } from '../../src/index.js';

describe('exemplar provider', () => {
  afterEach(() => setExemplarProvider(undefined));

  test('metrics with enableExemplars take the provider labels when a write brings none', async () => {
    const registry = new Registry();
    const c = new Counter({ name: 'jobs_total', help: 'h', labelNames: ['kind'], registers: [registry], enableExemplars: true, exemplarsOnTextRegistry: true });
    const h = new Histogram({ name: 'lat_seconds', help: 'h', buckets: [1], registers: [registry], enableExemplars: true, exemplarsOnTextRegistry: true });
    setExemplarProvider(() => ({ trace_id: 'abc123' }));
    c.labels('a').inc(2);
    h.observe({ value: 0.5 });
    const text = await registry.metrics({ format: 'openmetrics' });
    assert.match(text, /^jobs_total\{kind="a"\} 2 # \{trace_id="abc123"\} 2 \d+(\.\d+)?$/m);
    assert.match(text, /^lat_seconds_bucket\{le="1.0"\} 1 # \{trace_id="abc123"\} 0.5 \d+(\.\d+)?$/m);
  });

  test('explicit exemplar labels win over the provider; metrics without enableExemplars never ask', async () => {
    const registry = new Registry();
    const withEx = new Counter({ name: 'a_total', help: 'h', registers: [registry], enableExemplars: true, exemplarsOnTextRegistry: true });
    const without = new Counter({ name: 'b_total', help: 'h', registers: [registry] });
    let asked = 0;
    setExemplarProvider(() => {
      asked++;
      return { trace_id: 'fromprovider' };
    });
    withEx.inc({ value: 1, exemplarLabels: { trace_id: 'explicit' } });
    without.inc();
    const text = await registry.metrics({ format: 'openmetrics' });
    assert.match(text, /^a_total 1 # \{trace_id="explicit"\}/m);
    assert.match(text, /^b_total 1$/m);
    assert.equal(asked, 0);
  });

  test('a throwing provider gives no exemplar and the write still counts', async () => {
    const registry = new Registry();
    const c = new Counter({ name: 'c_total', help: 'h', registers: [registry], enableExemplars: true, exemplarsOnTextRegistry: true });
    setExemplarProvider(() => {
      throw new Error('broken provider');
    });
    c.inc({ value: 3 });
    assert.match(await registry.metrics({ format: 'openmetrics' }), /^c_total 3$/m);
  });
});
