import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { describe, test } from 'node:test';
import { Counter, Histogram, Registry } from '../../src/index.js';
import { startMetricsServer } from '../../src/server/index.js';
import { quietLogger, request } from '../server/http-client.js';
import { decodeDelimited } from './protobuf-decode.js';

const PROTOBUF = 'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited';
const NATIVE_ACCEPT = 'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

function registry(): Registry {
  const r = new Registry();
  new Counter({ name: 'ep_total', help: 'h', registers: [r] }).inc(4);
  new Histogram({ name: 'ep_seconds', help: 'h', nativeHistogramBucketFactor: 1.1, registers: [r] }).observe(1);
  return r;
}

describe('status server /metrics and protobuf', () => {
  test('served to a client that asks for it first, gzipped when accepted, with Vary: Accept', async () => {
    const server = await startMetricsServer({ registry: registry(), host: '127.0.0.1', logger: quietLogger(), requestMetrics: false });
    try {
      const res = await request(`${server.url}/metrics`, { headers: { Accept: NATIVE_ACCEPT, 'Accept-Encoding': 'gzip' } });
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-type'], PROTOBUF);
      assert.equal(res.headers.vary, 'Accept, Accept-Encoding');
      assert.equal(res.headers['content-encoding'], 'gzip');
      const families = decodeDelimited(gunzipSync(res.body));
      assert.deepEqual(
        families.map((f) => f.name),
        ['ep_total', 'ep_seconds'],
      );
      assert.equal(families[1].metrics[0].histogram?.native?.positive.get(0), 1);
      const text = await request(`${server.url}/metrics`, { headers: { Accept: 'text/plain' } });
      assert.match(text.text, /^ep_total 4$/m);
    } finally {
      await server.close();
    }
  });

  test('protobuf: false keeps text for every client', async () => {
    const server = await startMetricsServer({ registry: registry(), host: '127.0.0.1', logger: quietLogger(), requestMetrics: false, protobuf: false });
    try {
      const res = await request(`${server.url}/metrics`, { headers: { Accept: NATIVE_ACCEPT } });
      assert.equal(res.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
      assert.equal(res.headers.vary, 'Accept-Encoding');
    } finally {
      await server.close();
    }
  });
});
