/** Native histograms from the runtime factories, and the runtime's protobuf exposition (direct and through the system status server). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DistributedRuntime } from '../../src/runtime/index.js';
import { decodeDelimited, type DecodedFamily } from '../exposition/protobuf-decode.js';
import { quietLogger, request } from '../server/http-client.js';

const PROTOBUF = 'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited';
const PROTOBUF_ACCEPT = 'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited';
const SYSTEM_ENV = { DYN_SYSTEM_ENABLED: 'true', DYN_SYSTEM_PORT: '0', DYN_SYSTEM_HOST: '127.0.0.1' };

const family = (families: DecodedFamily[], name: string): DecodedFamily => {
  const f = families.find((x) => x.name === name);
  assert.ok(f, `family ${name} in ${families.map((x) => x.name).join(', ')}`);
  return f;
};

/** Family names of a text 0.0.4 exposition that have samples, in order (protobuf leaves out families with none). */
const textFamiliesWithSamples = (text: string): string[] => [...text.matchAll(/^# TYPE (\S+) .*\n(?!#|$)/gm)].map((m) => m[1]);

describe('runtime factories: native histograms', () => {
  test('createHistogram with options: native only, auto labels kept, decoded from the protobuf exposition', async () => {
    const runtime = new DistributedRuntime();
    const endpoint = runtime.namespace('ns').component('comp').endpoint('gen');
    const latency = endpoint.createHistogram('latency_seconds', 'Latency', { model: 'llama' }, { nativeHistogramBucketFactor: 1.1 });
    latency.observe(1);
    latency.observe(2);
    latency.observe(0);

    const [h] = family(decodeDelimited(await runtime.metricsProtobuf()), 'dynamo_latency_seconds').metrics;
    assert.deepEqual(h.labels, { namespace: 'ns', component: 'comp', endpoint: 'gen', model: 'llama' });
    assert.equal(h.histogram?.count, 3);
    assert.equal(h.histogram?.sum, 3);
    const native = h.histogram?.native;
    assert.ok(native, 'a native histogram');
    assert.equal(native.schema, 3); // factor 1.1 → 2^(2^-3) ≈ 1.09
    assert.equal(native.zeroCount, 1);
    // Schema 3: bucket i is (2^((i-1)/8), 2^(i/8)]: 1 is in bucket 0, 2 in bucket 8.
    assert.deepEqual(
      [...native.positive],
      [
        [0, 1],
        [8, 1],
      ],
    );
    // No buckets asked for with a native factor: classic side is the +Inf bucket alone, as the core Histogram.
    const text = await runtime.metrics();
    assert.deepEqual(
      [...text.matchAll(/^dynamo_latency_seconds_bucket\{[^}]*\ble="([^"]+)"[^}]*\} (\d+)$/gm)].map((m) => [m[1], m[2]]),
      [['+Inf', '3']],
    );
  });

  test('the positional buckets still work; options may carry classic buckets next to the native settings', async () => {
    const runtime = new DistributedRuntime({ prefix: '' });
    const c = runtime.namespace('ns').component('c');
    c.createHistogram('classic_seconds', 'h', {}, [0.5, 1]).observe(0.7);
    c.createHistogram('both_seconds', 'h', undefined, { buckets: [0.5, 1], nativeHistogramBucketFactor: 1.1, nativeHistogramZeroThreshold: 0.001 }).observe(
      0.7,
    );
    const families = decodeDelimited(await runtime.metricsProtobuf());
    const classic = family(families, 'classic_seconds').metrics[0].histogram;
    assert.deepEqual(classic?.buckets, [
      { upperBound: 0.5, cumulative: 0 },
      { upperBound: 1, cumulative: 1 },
    ]);
    assert.equal(classic?.native, undefined);
    const both = family(families, 'both_seconds').metrics[0].histogram;
    assert.deepEqual(
      both?.buckets.map((b) => b.upperBound),
      [0.5, 1],
    );
    assert.equal(both?.native?.schema, 3);
    assert.equal(both?.native?.zeroThreshold, 0.001);
    assert.deepEqual([...(both?.native?.positive ?? [])], [[-4, 1]]); // 0.7 in (2^(-5/8), 2^(-4/8)] = (0.648, 0.707]
  });

  test('createHistogramVec takes the options as its 5th argument; each scope its own series', async () => {
    const runtime = new DistributedRuntime();
    const ns = runtime.namespace('ns');
    const a = ns.component('a').createHistogramVec('ttft_seconds', 'h', ['model'], undefined, { nativeHistogramBucketFactor: 2 });
    const b = ns.component('b').createHistogramVec('ttft_seconds', 'h', ['model'], undefined, { nativeHistogramBucketFactor: 2 });
    a.withLabelValues('llama').observe(3);
    b.withLabelValues('qwen').observe(3);
    const f = family(decodeDelimited(await runtime.metricsProtobuf()), 'dynamo_ttft_seconds');
    assert.deepEqual(
      f.metrics.map((m) => [m.labels, m.histogram?.native?.schema, [...(m.histogram?.native?.positive ?? [])]]),
      [
        [{ namespace: 'ns', component: 'a', model: 'llama' }, 0, [[2, 1]]],
        [{ namespace: 'ns', component: 'b', model: 'qwen' }, 0, [[2, 1]]],
      ],
    );
    // A scope's own protobuf exposition holds its series only.
    const scoped = decodeDelimited(await ns.component('b').metricsProtobuf());
    assert.deepEqual(
      scoped.map((x) => [x.name, x.metrics.map((m) => m.labels.component)]),
      [['dynamo_ttft_seconds', ['b']]],
    );
  });

  test('bad options and a second call with other native settings are refused, naming the problem', () => {
    const runtime = new DistributedRuntime();
    const c = runtime.namespace('ns').component('c');
    assert.throws(
      () => c.createHistogram('x_seconds', 'h', {}, { nativeHistogramBucketFactr: 1.1 } as never),
      /histogram 'x_seconds': unknown option 'nativeHistogramBucketFactr'/,
    );
    assert.throws(() => c.createHistogram('x_seconds', 'h', {}, 5 as never), /must be a buckets array or an options object/);
    c.createHistogram('y_seconds', 'h', {}, { nativeHistogramBucketFactor: 1.1 });
    assert.throws(
      () => runtime.namespace('ns').component('d').createHistogram('y_seconds', 'h', {}, { nativeHistogramBucketFactor: 1.5 }),
      /native histogram settings \{nativeHistogramBucketFactor=1.1\} vs \{nativeHistogramBucketFactor=1.5\}/,
    );
    // The same settings join the family.
    runtime.namespace('ns').component('e').createHistogram('y_seconds', 'h', {}, { nativeHistogramBucketFactor: 1.1 });
  });
});

describe('DistributedRuntime: protobuf through the system status server', () => {
  test('a scraper asking for protobuf gets the runtime families, auto labels included; text still served', async (t) => {
    const runtime = new DistributedRuntime();
    const endpoint = runtime.namespace('ns').component('comp').endpoint('gen');
    endpoint.createCounter('requests_total', 'Requests').inc(5);
    endpoint.createHistogram('latency_seconds', 'Latency', {}, { nativeHistogramBucketFactor: 1.1 }).observe(1);
    const server = (await runtime.startSystemServer({ env: SYSTEM_ENV, logger: quietLogger() }))!;
    t.after(() => server.close());
    // Before any request, so the status server's request metrics have no series yet in either.
    const expected = textFamiliesWithSamples(await runtime.metrics());
    assert.ok(expected.includes('dynamo_latency_seconds'));

    const res = await request(`${server.url}/metrics`, { headers: { Accept: PROTOBUF_ACCEPT } });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], PROTOBUF);
    const families = decodeDelimited(res.body);
    const text = await request(`${server.url}/metrics`, { headers: { Accept: 'text/plain' } });
    assert.match(String(text.headers['content-type']), /^text\/plain/);
    assert.match(text.text, /^dynamo_requests_total\{namespace="ns",component="comp",endpoint="gen"\} 5$/m);
    // The same families as the text exposition, in the same order.
    assert.deepEqual(
      families.map((f) => f.name),
      expected,
    );
    const counter = family(families, 'dynamo_requests_total').metrics;
    assert.deepEqual(
      counter.map((m) => [m.labels, m.counter]),
      [[{ namespace: 'ns', component: 'comp', endpoint: 'gen' }, 5]],
    );
    const [h] = family(families, 'dynamo_latency_seconds').metrics;
    assert.deepEqual(h.labels, { namespace: 'ns', component: 'comp', endpoint: 'gen' });
    assert.equal(h.histogram?.native?.positive.get(0), 1);
    // The uptime metric the system server installs, labelled with the runtime's namespace.
    assert.equal(family(families, 'dynamo_system_uptime_seconds').metrics[0].labels.namespace, 'dynamo');
  });
});
