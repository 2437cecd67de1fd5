/** Exposition details of both text formats, asserted on the text and through the parser. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { Counter, Gauge, Histogram, Registry, Summary } from '../../src/index.js';
import { parseExposition } from '../../src/exposition/parser.js';
import { familyOf, sampleOf, scrape, sampleValue } from './helpers.js';

const formats = ['prometheus', 'openmetrics'] as const;

describe('escaping', () => {
  const help = 'Line one\nline "two" with \\ backslash';
  const tricky = 'a "quoted" \\ back\\slash\nnew line, ünïcödé 😀 {}=,';

  function registry(): Registry {
    const r = new Registry();
    new Gauge({ name: 'g', help, labelNames: ['v'], registers: [r] }).set({ v: tricky }, 1);
    return r;
  }

  test('text 0.0.4: HELP escapes backslash and line feed only; label values also escape the quote', async () => {
    const text = await registry().metrics({ format: 'prometheus' });
    assert.match(text, /^# HELP g Line one\\nline "two" with \\\\ backslash$/m);
    assert.ok(text.includes('g{v="a \\"quoted\\" \\\\ back\\\\slash\\nnew line, ünïcödé 😀 {}=,"} 1\n'), text);
  });

  test('OpenMetrics: HELP escapes the quote too', async () => {
    const text = await registry().metrics({ format: 'openmetrics' });
    assert.match(text, /^# HELP g Line one\\nline \\"two\\" with \\\\ backslash$/m);
    assert.ok(text.includes('g{v="a \\"quoted\\" \\\\ back\\\\slash\\nnew line, ünïcödé 😀 {}=,"} 1\n'), text);
  });

  for (const format of formats) {
    test(`${format}: HELP and label values parse back unchanged`, async () => {
      const parsed = await scrape(registry(), format);
      assert.equal(familyOf(parsed, 'g').help, help);
      assert.equal(sampleValue(parsed, 'g', { v: tricky }), 1);
    });

    test(`${format}: property: any label value and help text round-trips`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.string({ unit: 'grapheme', maxLength: 40 }), { minLength: 1, maxLength: 20 }),
          // Text 0.0.4 readers skip blanks before the help text, so it starts with something else there.
          fc.string({ unit: 'grapheme', maxLength: 40 }).map((h) => (format === 'prometheus' ? h.replace(/^[ \t]+/, '') : h)),
          async (values, helpText) => {
            const r = new Registry();
            const c = new Counter({ name: 'rt_total', help: helpText, labelNames: ['v'], registers: [r] });
            values.forEach((v) => {
              c.inc({ v });
            });
            const parsed = await scrape(r, format);
            const family = familyOf(parsed, format === 'openmetrics' ? 'rt' : 'rt_total');
            assert.equal(family.help, helpText);
            const expected = new Map<string, number>();
            for (const v of values) expected.set(v, (expected.get(v) ?? 0) + 1);
            assert.equal(family.samples.length, expected.size);
            for (const [v, n] of expected) assert.equal(sampleValue(parsed, 'rt_total', { v }), n);
          },
        ),
        { numRuns: 100 },
      );
    });
  }
});

describe('numbers', () => {
  for (const format of formats) {
    test(`${format}: +Inf, -Inf and NaN`, async () => {
      const r = new Registry();
      const g = new Gauge({ name: 'g', help: 'h', labelNames: ['v'], registers: [r] });
      g.set({ v: 'p' }, Infinity);
      g.set({ v: 'n' }, -Infinity);
      g.set({ v: 'nan' }, NaN);
      g.set({ v: 'tiny' }, 5e-324);
      g.set({ v: 'big' }, 1.7976931348623157e308);
      g.set({ v: 'neg' }, -0.1);
      const text = await r.metrics({ format });
      assert.match(text, /^g\{v="p"\} \+Inf$/m);
      assert.match(text, /^g\{v="n"\} -Inf$/m);
      assert.match(text, /^g\{v="nan"\} NaN$/m);
      const parsed = parseExposition(text, format);
      assert.equal(sampleValue(parsed, 'g', { v: 'tiny' }), 5e-324);
      assert.equal(sampleValue(parsed, 'g', { v: 'big' }), 1.7976931348623157e308);
      assert.equal(sampleValue(parsed, 'g', { v: 'neg' }), -0.1);
    });
  }

  test('property: every finite double survives the round trip exactly', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.double({ noNaN: true }), { minLength: 1, maxLength: 50 }), async (values) => {
        const r = new Registry();
        const g = new Gauge({ name: 'g', help: 'h', labelNames: ['i'], registers: [r] });
        values.forEach((v, i) => {
          g.set({ i }, v);
        });
        for (const format of formats) {
          const parsed = await scrape(r, format);
          values.forEach((v, i) => {
            const got = sampleValue(parsed, 'g', { i: String(i) });
            assert.ok(got === v, `${format}: ${v} came back as ${got}`); // === also equates -0 and 0
          });
        }
      }),
      { numRuns: 50 },
    );
  });

  test('histogram le: text 0.0.4 as JavaScript prints it, OpenMetrics canonical (1.0)', async () => {
    const r = new Registry();
    new Histogram({ name: 'h', help: 'h', buckets: [0.005, 0.1, 1, 2.5, 10, 1e21], registers: [r] }).observe(1);
    const text = parseExposition(await r.metrics({ format: 'prometheus' }), 'prometheus');
    const om = parseExposition(await r.metrics({ format: 'openmetrics' }), 'openmetrics');
    const les = (parsed: typeof text) =>
      familyOf(parsed, 'h')
        .samples.filter((s) => s.name === 'h_bucket')
        .map((s) => s.labels.le);
    assert.deepEqual(les(text), ['0.005', '0.1', '1', '2.5', '10', '1e+21', '+Inf']);
    assert.deepEqual(les(om), ['0.005', '0.1', '1.0', '2.5', '10.0', '1e+21', '+Inf']);
  });
});

describe('negative observations', () => {
  /** Sample names of family `name` in a parsed exposition (the parser checks the format's rules). */
  const names = (parsed: ReturnType<typeof parseExposition>, name: string) => familyOf(parsed, name).samples.map((s) => s.name);

  async function both(r: Registry) {
    return {
      text: parseExposition(await r.metrics({ format: 'prometheus' }), 'prometheus'),
      om: parseExposition(await r.metrics({ format: 'openmetrics' }), 'openmetrics'),
    };
  }

  test('a histogram with a negative bucket threshold has no _sum/_count in OpenMetrics (the spec forbids the sum), both in text 0.0.4', async () => {
    const r = new Registry();
    const h = new Histogram({ name: 'drift', help: 'h', labelNames: ['host'], buckets: [-1, 0, 1], registers: [r] });
    h.observe({ host: 'a' }, -2);
    h.observe({ host: 'a' }, 0.5);
    h.observe({ host: 'b' }, 3);
    const { text, om } = await both(r);
    assert.deepEqual(new Set(names(om, 'drift')), new Set(['drift_bucket']));
    assert.equal(sampleValue(om, 'drift_bucket', { host: 'a', le: '+Inf' }), 2, 'the +Inf bucket still counts');
    assert.deepEqual(new Set(names(text, 'drift')), new Set(['drift_bucket', 'drift_sum', 'drift_count']));
    assert.equal(sampleValue(text, 'drift_sum', { host: 'a' }), -1.5);
  });

  test('a negative sum on non-negative buckets, or in a summary: that series has no _sum/_count (nor negative quantiles) in OpenMetrics, the others keep theirs', async () => {
    const r = new Registry();
    const h = new Histogram({ name: 'h', help: 'h', labelNames: ['k'], buckets: [1, 2], registers: [r] });
    h.observe({ k: 'neg' }, -5);
    h.observe({ k: 'pos' }, 1.5);
    const s = new Summary({ name: 's', help: 's', labelNames: ['k'], percentiles: [0.5], registers: [r] });
    s.observe({ k: 'neg' }, -5);
    s.observe({ k: 'pos' }, 1.5);
    const { text, om } = await both(r);
    for (const name of ['h', 's']) {
      const omSamples = familyOf(om, name).samples;
      assert.deepEqual(
        omSamples.filter((x) => x.labels.k === 'neg' && (/_(sum|count)$/.test(x.name) || x.labels.quantile !== undefined)),
        [],
        `${name}{k="neg"}`,
      );
      assert.equal(sampleValue(om, `${name}_sum`, { k: 'pos' }), 1.5);
      assert.equal(sampleValue(om, `${name}_count`, { k: 'pos' }), 1);
      assert.equal(sampleValue(text, `${name}_sum`, { k: 'neg' }), -5, 'text 0.0.4 has no such rule: as prom-client writes it');
    }
    assert.equal(sampleValue(om, 's', { k: 'pos', quantile: '0.5' }), 1.5);
    assert.equal(sampleValue(text, 's', { k: 'neg', quantile: '0.5' }), -5);
  });
});

describe('counters and families', () => {
  test('OpenMetrics counters: family without _total, sample with _total, whether or not the name has it', async () => {
    const r = new Registry();
    new Counter({ name: 'requests_total', help: 'h', registers: [r] }).inc();
    new Counter({ name: 'errors', help: 'h', registers: [r] }).inc(2);
    const om = await scrape(r, 'openmetrics');
    assert.deepEqual(
      om.families.map((f) => [f.name, f.type, f.samples.map((s) => s.name)]),
      [
        ['requests', 'counter', ['requests_total']],
        ['errors', 'counter', ['errors_total']],
      ],
    );
    const text = await scrape(r, 'prometheus');
    assert.deepEqual(
      text.families.map((f) => [f.name, f.type, f.samples.map((s) => s.name)]),
      [
        ['requests_total', 'counter', ['requests_total']],
        ['errors', 'counter', ['errors']],
      ],
    );
  });

  test('# EOF ends OpenMetrics exactly once, and never appears in text 0.0.4', async () => {
    const r = new Registry();
    new Gauge({ name: 'g', help: 'h', registers: [r] });
    const om = await r.metrics({ format: 'openmetrics' });
    assert.ok(om.endsWith('\n# EOF\n'));
    assert.equal(om.match(/# EOF/g)?.length, 1);
    assert.equal(await new Registry().metrics({ format: 'openmetrics' }), '# EOF\n');
    assert.doesNotMatch(await r.metrics({ format: 'prometheus' }), /EOF/);
    assert.equal(await new Registry().metrics({ format: 'prometheus' }), '');
  });

  test('UNIT only in OpenMetrics', async () => {
    const r = new Registry();
    new Gauge({ name: 'size_bytes', help: 'h', unit: 'bytes', registers: [r] });
    new Counter({ name: 'sent_bytes_total', help: 'h', unit: 'bytes', registers: [r] });
    const om = await scrape(r, 'openmetrics');
    assert.equal(familyOf(om, 'size_bytes').unit, 'bytes');
    assert.equal(familyOf(om, 'sent_bytes').unit, 'bytes');
    assert.doesNotMatch(await r.metrics({ format: 'prometheus' }), /UNIT/);
  });

  test('empty help is allowed in both formats', async () => {
    const r = new Registry();
    new Gauge({ name: 'g', help: '', registers: [r] }).set(1);
    for (const format of formats) assert.equal(familyOf(await scrape(r, format), 'g').help, '');
  });
});

describe('_created', () => {
  function registry(): Registry {
    const r = new Registry();
    new Counter({ name: 'c_total', help: 'h', labelNames: ['a'], registers: [r] }).inc({ a: 'x' });
    new Histogram({ name: 'h', help: 'h', buckets: [1], registers: [r] }).observe(1);
    new Summary({ name: 's', help: 'h', percentiles: [0.5], registers: [r] }).observe(1);
    new Gauge({ name: 'g', help: 'h', registers: [r] }).set(1);
    return r;
  }

  test('off by default', async () => {
    for (const format of formats) assert.doesNotMatch(await registry().metrics({ format }), /_created/);
  });

  test('with { created: true }: counters, histograms and summaries in OpenMetrics, never gauges', async (t) => {
    t.mock.timers.enable({ apis: ['Date'], now: 1_700_000_123_000 });
    const parsed = await scrape(registry(), 'openmetrics', { created: true });
    assert.equal(sampleValue(parsed, 'c_created', { a: 'x' }), 1_700_000_123);
    assert.equal(sampleValue(parsed, 'h_created'), 1_700_000_123);
    assert.equal(sampleValue(parsed, 's_created'), 1_700_000_123);
    assert.equal(parsed.families.flatMap((f) => f.samples).filter((s) => s.name.startsWith('g')).length, 1);
  });

  test('never in text 0.0.4, even when asked', async () => {
    assert.doesNotMatch(await registry().metrics({ format: 'prometheus', created: true }), /_created/);
  });
});

describe('exemplars', () => {
  function registry(): Registry {
    const r = new Registry();
    const c = new Counter({ name: 'c_total', help: 'h', labelNames: ['a'], enableExemplars: true, exemplarsOnTextRegistry: true, registers: [r] });
    c.inc({ labels: { a: 'x' }, value: 2, exemplarLabels: { trace_id: 'abc"\\' } });
    const h = new Histogram({ name: 'h', help: 'h', buckets: [1, 5], enableExemplars: true, exemplarsOnTextRegistry: true, registers: [r] });
    h.observe({ value: 3, exemplarLabels: { trace_id: 'def' } });
    h.observe({ value: 0.5 });
    return r;
  }

  test('OpenMetrics: on counter samples and on the bucket the value fell in', async (t) => {
    t.mock.timers.enable({ apis: ['Date'], now: 1_700_000_000_250 });
    const parsed = await scrape(registry(), 'openmetrics');
    assert.deepEqual(sampleOf(parsed, 'c_total', { a: 'x' }).exemplar, { labels: { trace_id: 'abc"\\' }, value: 2, timestamp: 1_700_000_000.25 });
    assert.deepEqual(sampleOf(parsed, 'h_bucket', { le: '5.0' }).exemplar, { labels: { trace_id: 'def' }, value: 3, timestamp: 1_700_000_000.25 });
    for (const le of ['1.0', '+Inf']) assert.equal(sampleOf(parsed, 'h_bucket', { le }).exemplar, undefined);
  });

  test('never in text 0.0.4', async () => {
    const text = await registry().metrics({ format: 'prometheus' });
    assert.doesNotMatch(text, /trace_id/);
    assert.doesNotMatch(text, / # /);
  });

  test('OpenMetrics with { exemplars: false } leaves them out', async () => {
    assert.doesNotMatch(await registry().metrics({ format: 'openmetrics', exemplars: false }), /trace_id/);
  });

  test('the latest exemplar of a series wins', async () => {
    const r = new Registry();
    const c = new Counter({ name: 'c_total', help: 'h', enableExemplars: true, exemplarsOnTextRegistry: true, registers: [r] });
    c.inc({ value: 1, exemplarLabels: { id: 'first' } });
    c.inc({ value: 1, exemplarLabels: { id: 'second' } });
    c.inc({ value: 1 });
    const parsed = await scrape(r, 'openmetrics');
    assert.deepEqual(sampleOf(parsed, 'c_total').exemplar?.labels, { id: 'second' });
    assert.equal(sampleOf(parsed, 'c_total').value, 3);
  });
});
