import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { waitUntil } from '@promkit/testing';
import { Counter, Histogram, Registry, startRemoteWrite } from '../../src/index.js';
import { snappyUncompress } from '../../src/remote-write/snappy.js';
import { all, dbl, fields, labelPairs, one, sint, uint, type Field } from '../exposition/protobuf-decode.js';
import { makeTestCert } from '../server/test-cert.js';

interface Received {
  headers: IncomingMessage['headers'];
  series: Array<{ labels: Record<string, string>; samples: Array<{ value: number; t: number }>; histograms: Field[][] }>;
}

function decodeWriteRequest(body: Buffer): Received['series'] {
  return all(fields(snappyUncompress(body)), 1).map((ts) => {
    const f = fields(ts.bytes!);
    return {
      labels: labelPairs(f, 1),
      samples: all(f, 2).map((s) => {
        const sf = fields(s.bytes!);
        return { value: dbl(one(sf, 1)), t: uint(one(sf, 2)) };
      }),
      histograms: all(f, 4).map((h) => fields(h.bytes!)),
    };
  });
}

type Handler = (req: IncomingMessage, res: ServerResponse, received: Received[]) => void;

async function receiver(handler: Handler, tls?: { key: Buffer | string; cert: Buffer | string }) {
  const received: Received[] = [];
  const listener = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    received.push({ headers: req.headers, series: decodeWriteRequest(Buffer.concat(chunks)) });
    handler(req, res, received);
  };
  const server = tls ? createHttpsServer(tls, listener) : createServer(listener);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  return { received, port, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const ok: Handler = (_req, res) => res.writeHead(204).end();
const quiet = (): void => {};

describe('remote write sender', () => {
  test('sends the protocol headers, bearer auth, sorted labels with external labels, over TLS', async () => {
    const cert = makeTestCert();
    const r = await receiver(ok, { key: readFileSync(cert.keyFile), cert: cert.cert });
    try {
      const registry = new Registry();
      new Counter({ name: 'tls_total', help: 'h', labelNames: ['z', 'a'], registers: [registry] }).inc({ z: '1', a: '2' }, 5);
      const rw = startRemoteWrite({
        url: `https://127.0.0.1:${r.port}/write`,
        registry,
        bearerToken: 's3cret',
        tls: { ca: cert.cert },
        externalLabels: { env: 'test', a: 'ignored' },
        metricsRegistry: false,
        headers: { 'X-Scope-OrgID': 'tenant-1' },
      });
      const stats = await rw.stop();
      assert.equal(stats.sent, 1);
      const [req] = r.received;
      assert.equal(req.headers['content-encoding'], 'snappy');
      assert.equal(req.headers['content-type'], 'application/x-protobuf');
      assert.equal(req.headers['x-prometheus-remote-write-version'], '0.1.0');
      assert.equal(req.headers.authorization, 'Bearer s3cret');
      assert.equal(req.headers['x-scope-orgid'], 'tenant-1');
      const [series] = req.series;
      assert.deepEqual(Object.keys(series.labels), ['__name__', 'a', 'env', 'z']);
      assert.deepEqual(series.labels, { __name__: 'tls_total', a: '2', env: 'test', z: '1' });
      assert.equal(series.samples[0].value, 5);
      assert.ok(Math.abs(series.samples[0].t - Date.now()) < 60_000);
    } finally {
      await r.close();
      cert.remove();
    }
  });

  test('basic auth; an untrusted certificate is a failure, retried, then dropped at the flush deadline', async () => {
    const cert = makeTestCert();
    const r = await receiver(ok, { key: readFileSync(cert.keyFile), cert: cert.cert });
    try {
      const registry = new Registry();
      new Counter({ name: 'x_total', help: 'h', registers: [registry] }).inc();
      const errors: string[] = [];
      const rw = startRemoteWrite({
        url: `https://127.0.0.1:${r.port}/write`,
        registry,
        basicAuth: { username: 'u', password: 'p' },
        metricsRegistry: false,
        minBackoffMs: 5,
        maxBackoffMs: 10,
        onError: (e) => errors.push(e.message),
      });
      // A flush keeps retrying; wait for its first failure before stopping with a short
      // deadline (on a loaded machine a TLS handshake alone can outlast 200 ms).
      void rw.flush();
      await waitUntil(() => errors.length > 0, { timeoutMs: 20_000, intervalMs: 5, description: 'a failed attempt' });
      const stats = await rw.stop({ timeoutMs: 200 });
      assert.equal(stats.sent, 0);
      assert.equal(stats.snapshots, 2, "flush()'s snapshot and stop()'s");
      assert.equal(stats.dropped, 2, 'one sample per snapshot, none sent');
      assert.equal(r.received.length, 0, 'nothing reached a receiver whose certificate is not trusted');
      assert.match(errors[0], /certificate/);

      const trusted = startRemoteWrite({
        url: `https://127.0.0.1:${r.port}/write`,
        registry,
        basicAuth: { username: 'u', password: 'p' },
        tls: { ca: cert.cert },
        metricsRegistry: false,
      });
      assert.equal((await trusted.stop()).sent, 1);
      assert.equal(r.received[0].headers.authorization, `Basic ${Buffer.from('u:p').toString('base64')}`);
    } finally {
      await r.close();
      cert.remove();
    }
  });

  test('429 is retried honouring Retry-After; batches respect maxSamplesPerSend and stay in order', async () => {
    let calls = 0;
    const r = await receiver((_req, res) => {
      calls++;
      if (calls === 1) res.writeHead(429, { 'Retry-After': '0' }).end();
      else res.writeHead(200).end();
    });
    try {
      const registry = new Registry();
      const c = new Counter({ name: 'b_total', help: 'h', labelNames: ['i'], registers: [registry] });
      for (let i = 0; i < 25; i++) c.inc({ i: String(i) }, i);
      const rw = startRemoteWrite({ url: `http://127.0.0.1:${r.port}/`, registry, maxSamplesPerSend: 10, metricsRegistry: false, onError: quiet });
      const stats = await rw.stop();
      assert.equal(stats.sent, 25);
      assert.equal(stats.retried, 10);
      assert.deepEqual(
        r.received.map((x) => x.series.length),
        [10, 10, 10, 5],
      );
      const values = r.received.slice(1).flatMap((x) => x.series.map((s) => s.samples[0].value));
      assert.deepEqual(
        values,
        Array.from({ length: 25 }, (_, i) => i),
      );
    } finally {
      await r.close();
    }
  });

  test('snapshots taken within one millisecond still get strictly increasing timestamps', async () => {
    const r = await receiver(ok);
    try {
      const registry = new Registry();
      new Counter({ name: 'ts_total', help: 'h', registers: [registry] }).inc();
      const rw = startRemoteWrite({ url: `http://127.0.0.1:${r.port}/`, registry, metricsRegistry: false });
      // Twenty flushes at once: their snapshots run back to back, many in the same millisecond;
      // equal stamps would make the receiver drop (same value) or reject (new value) samples.
      await Promise.all(Array.from({ length: 20 }, () => rw.flush()));
      await rw.stop();
      const stamps = r.received.flatMap((x) => x.series.flatMap((s) => s.samples.map((p) => p.t)));
      assert.equal(stamps.length, 21);
      for (let i = 1; i < stamps.length; i++) assert.ok(stamps[i] > stamps[i - 1], `sample ${i}: ${stamps[i]} after ${stamps[i - 1]}`);
    } finally {
      await r.close();
    }
  });

  test('native histograms are sent as remote-write histograms; classic ones as series', async () => {
    const r = await receiver(ok);
    try {
      const registry = new Registry();
      const h = new Histogram({ name: 'n_seconds', help: 'h', nativeHistogramBucketFactor: 2, registers: [registry] });
      for (const v of [1, 2, 2, 8, -1, 0]) h.observe(v);
      new Histogram({ name: 'c_seconds', help: 'h', buckets: [1], registers: [registry] }).observe(0.5);
      await startRemoteWrite({ url: `http://127.0.0.1:${r.port}/`, registry, metricsRegistry: false }).stop();
      const series = r.received.flatMap((x) => x.series);
      const native = series.find((s) => s.labels.__name__ === 'n_seconds')!;
      assert.equal(native.samples.length, 0);
      const hist = native.histograms[0];
      assert.equal(uint(one(hist, 1)), 6); // count_int
      assert.equal(dbl(one(hist, 3)), 12); // sum
      assert.equal(sint(one(hist, 4)), 0); // schema for factor 2
      assert.equal(uint(one(hist, 6)), 1); // zero_count_int
      assert.deepEqual(
        series.filter((s) => s.labels.__name__.startsWith('n_seconds_')),
        [],
        'no classic series without classic buckets',
      );
      assert.deepEqual(
        series.filter((s) => s.labels.__name__.startsWith('c_seconds')).map((s) => [s.labels.__name__, s.labels.le, s.samples[0].value]),
        [
          ['c_seconds_bucket', '1', 1],
          ['c_seconds_bucket', '+Inf', 1],
          ['c_seconds_sum', undefined, 0.5],
          ['c_seconds_count', undefined, 1],
        ],
      );
    } finally {
      await r.close();
    }
  });

  test('bad options are rejected naming the option', () => {
    const registry = new Registry();
    assert.throws(() => startRemoteWrite({ url: 'ftp://x/', registry }), /url must be http or https/);
    assert.throws(() => startRemoteWrite({ url: 'not a url', registry }), /url must be an absolute http\(s\) URL/);
    assert.throws(() => startRemoteWrite({ url: 'http://x/', registry: {} as Registry }), /registry must be a promkit Registry/);
    assert.throws(() => startRemoteWrite({ url: 'http://x/', registry, intervalMs: 0 }), /intervalMs must be a positive integer, got 0/);
    assert.throws(
      () => startRemoteWrite({ url: 'http://x/', registry, minBackoffMs: 100, maxBackoffMs: 10 }),
      /maxBackoffMs \(10\) must be >= minBackoffMs \(100\)/,
    );
    assert.throws(
      () => startRemoteWrite({ url: 'http://x/', registry, bearerToken: 't', basicAuth: { username: 'u', password: 'p' } }),
      /basicAuth or bearerToken, not both/,
    );
    assert.throws(() => startRemoteWrite({ url: 'http://x/', registry, externalLabels: { 'bad-name': 'v' } }), /external label "bad-name"/);
  });
});
