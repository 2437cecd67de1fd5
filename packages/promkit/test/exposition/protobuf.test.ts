import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Counter, Registry } from '../../src/index.js';
import { negotiateScrape } from '../../src/exposition/negotiate.js';
import { parsePrometheusText } from '../../src/exposition/parser.js';
import { ProtoWriter } from '../../src/exposition/protobuf-writer.js';
import { decodeDelimited, fields, flattenToSamples, readVarint } from './protobuf-decode.js';
import { representativeRegistry } from './representative-registry.js';

const PROTOBUF = 'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited';
const PROMETHEUS_2_42_NATIVE =
  'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited,application/openmetrics-text;version=1.0.0;q=0.8,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
const PROMETHEUS_2_42 = 'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

const TYPES = ['counter', 'gauge', 'summary', 'untyped', 'histogram'];

function key(name: string, labels: Record<string, string>): string {
  const kept = Object.entries(labels).filter(([, v]) => v !== '');
  kept.sort(([a], [b]) => (a < b ? -1 : 1));
  return name + JSON.stringify(kept);
}

describe('protobuf exposition', () => {
  test('decodes to the same families, types, help and samples as the text exposition, for every metric type', async () => {
    const registry = representativeRegistry();
    const text = parsePrometheusText(await registry.metrics());
    const decoded = decodeDelimited(await registry.metricsProtobuf());

    // Families: same names, types and help (families without series are left out of protobuf).
    const textFamilies = text.families.filter((f) => f.samples.length > 0).map((f) => [f.name, f.type, f.help]);
    const pbFamilies = decoded.map((f) => [f.name, TYPES[f.type], f.help]);
    assert.deepEqual(pbFamilies, textFamilies);
    assert.ok(new Set(pbFamilies.map((f) => f[1])).size >= 4, 'the registry covers counter, gauge, histogram and summary');

    const textSamples = new Map<string, number>();
    for (const f of text.families) for (const s of f.samples) textSamples.set(key(s.name, s.labels), s.value);
    const pbSamples = new Map<string, number>();
    for (const s of flattenToSamples(decoded)) {
      const labels = { ...s.labels };
      if (labels.le !== undefined) labels.le = labels.le === 'Infinity' ? '+Inf' : labels.le;
      pbSamples.set(key(s.name, labels), s.value);
    }
    assert.equal(pbSamples.size, textSamples.size);
    for (const [k, v] of textSamples) {
      assert.ok(pbSamples.has(k), `protobuf lacks ${k}`);
      assert.ok(Object.is(pbSamples.get(k), v), `${k}: protobuf ${pbSamples.get(k)}, text ${v}`);
    }
  });

  test('counter exemplars travel with the counter', async () => {
    const registry = new Registry();
    const c = new Counter({ name: 'ex_total', help: 'h', labelNames: ['a'], enableExemplars: true, exemplarsOnTextRegistry: true, registers: [registry] });
    c.inc({ labels: { a: 'x' }, value: 2, exemplarLabels: { trace_id: 'abc' } });
    const [family] = decodeDelimited(await registry.metricsProtobuf());
    assert.deepEqual(family.metrics[0].exemplar?.labels, { trace_id: 'abc' });
    assert.equal(family.metrics[0].exemplar?.value, 2);
    assert.ok(Math.abs((family.metrics[0].exemplar?.timestamp ?? 0) - Date.now() / 1000) < 60);
  });

  test('a family of 20 000 series (multi-byte lengths everywhere) decodes completely', async () => {
    const registry = new Registry();
    const c = new Counter({ name: 'many_total', help: 'x'.repeat(300), labelNames: ['i', 'long'], registers: [registry] });
    for (let i = 0; i < 20_000; i++) c.inc({ i: String(i), long: 'ü'.repeat(i % 200) }, i);
    const [family] = decodeDelimited(await registry.metricsProtobuf());
    assert.equal(family.help, 'x'.repeat(300));
    assert.equal(family.metrics.length, 20_000);
    assert.deepEqual(family.metrics[12_345].labels, { i: '12345', long: 'ü'.repeat(12_345 % 200) });
    assert.equal(family.metrics[12_345].counter, 12_345);
  });
});

describe('ProtoWriter', () => {
  test('varints, zigzag and back-patched lengths round-trip through an independent decoder', () => {
    const w = new ProtoWriter(4);
    const values = [0, 1, 127, 128, 300, 2 ** 31 - 1, 2 ** 31, 2 ** 40 + 5, Number.MAX_SAFE_INTEGER];
    for (const v of values) w.uintField(1, v);
    w.intField(2, -5);
    w.sintField(3, -1);
    w.sintField(3, -(2 ** 40));
    w.beginMessage(4);
    w.stringField(1, 'a'.repeat(70_000));
    w.ldelim();
    const f = fields(w.finish());
    assert.deepEqual(
      f.filter((x) => x.n === 1).map((x) => Number(x.varint)),
      values,
    );
    assert.equal(BigInt.asIntN(64, f.find((x) => x.n === 2)!.varint!), -5n);
    const zig = f.filter((x) => x.n === 3).map((x) => Number((x.varint! >> 1n) ^ -(x.varint! & 1n)));
    assert.deepEqual(zig, [-1, -(2 ** 40)]);
    const nested = fields(f.find((x) => x.n === 4)!.bytes!);
    assert.equal(nested[0].bytes!.length, 70_000);
    assert.deepEqual(readVarint(new Uint8Array([0xac, 0x02]), 0), [300n, 2]);
  });
});

describe('negotiateScrape', () => {
  test('Prometheus 2.42 with native histograms gets protobuf', () => {
    assert.deepEqual(negotiateScrape(PROMETHEUS_2_42_NATIVE), { format: 'protobuf', contentType: PROTOBUF });
  });
  test('without protobuf in Accept, or with it turned off, it is negotiate() as before', () => {
    assert.equal(negotiateScrape(PROMETHEUS_2_42).format, 'openmetrics');
    assert.equal(negotiateScrape(PROMETHEUS_2_42, { openMetrics: false }).format, 'prometheus');
    assert.equal(negotiateScrape(PROMETHEUS_2_42_NATIVE, { protobuf: false }).format, 'openmetrics');
    assert.equal(negotiateScrape(PROMETHEUS_2_42_NATIVE, { protobuf: false, openMetrics: false }).format, 'prometheus');
    assert.equal(negotiateScrape(undefined).format, 'prometheus');
  });
  test('quality decides: a text format preferred over protobuf wins', () => {
    assert.equal(negotiateScrape(`text/plain;version=0.0.4,${PROTOBUF};q=0.5`).format, 'prometheus');
    assert.equal(negotiateScrape(`text/plain;version=0.0.4;q=0.4,${PROTOBUF};q=0.5`).format, 'protobuf');
  });
  test('protobuf without the MetricFamily proto or delimited encoding is not served', () => {
    assert.equal(negotiateScrape('application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=text').format, 'prometheus');
    assert.equal(negotiateScrape('application/vnd.google.protobuf;proto=other;encoding=delimited').format, 'prometheus');
  });
});
