/** Slow and stalled clients, draining on close, and the bound on concurrent scrapes. */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { DistributedRuntime } from '../../src/runtime/index.js';
import type { RunningMetricsServer } from '../../src/server/index.js';
import { isPortFree, waitUntil } from '@promkit/testing';
import { quietLogger, request } from './http-client.js';

const env = { DYN_SYSTEM_ENABLED: 'true', DYN_SYSTEM_PORT: '0', DYN_SYSTEM_HOST: '127.0.0.1' };

/** Resolves with the milliseconds until the server closes this raw connection. */
function closedAfter(socket: net.Socket): Promise<number> {
  const start = Date.now();
  return new Promise((resolve) => socket.once('close', () => resolve(Date.now() - start)));
}

function connect(url: string): Promise<net.Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: hostname, port: Number(port) }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** A runtime whose exposition is far larger than the kernel's socket buffers (~15 MB). */
function bigRuntime(series: number): DistributedRuntime {
  const runtime = new DistributedRuntime({ logger: quietLogger() });
  const vec = runtime.namespace('n').component('c').endpoint('e').createCounterVec('padded', 'p', ['id']);
  const pad = 'x'.repeat(100);
  for (let i = 0; i < series; i++) vec.withLabelValues(`${pad}${i}`).inc();
  return runtime;
}

describe('slow clients', () => {
  let runtime: DistributedRuntime;
  let server: RunningMetricsServer;
  before(async () => {
    runtime = bigRuntime(100_000);
    server = (await runtime.startSystemServer({ env, requestTimeoutMs: 1_000, keepAliveTimeoutMs: 60_000 }))!;
  });
  after(() => server.close());

  test('a client that never finishes its headers is disconnected', async () => {
    const socket = await connect(server.url);
    socket.write('GET /metrics HTTP/1.1\r\nHost: x\r\n');
    socket.on('data', () => {});
    const ms = await closedAfter(socket);
    assert.ok(ms < 5_000, `closed after ${ms} ms`);
  });

  test('a client that stops reading the response is cut at the deadline', async () => {
    // The body's size without scraping it: a loaded machine may not send it all within the 1 s deadline.
    const full = Buffer.byteLength(await runtime.prometheusMetricsFmt());
    const socket = await connect(server.url);
    socket.pause();
    socket.on('error', () => {});
    socket.write('GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n');
    // A paused socket cannot notice the server closing it; wait past the deadline, then read.
    await new Promise((r) => setTimeout(r, 2_500));
    let received = 0;
    socket.on('data', (c: Buffer) => (received += c.length));
    const closed = closedAfter(socket);
    socket.resume();
    const ms = await Promise.race([closed, new Promise<number>((r) => setTimeout(() => r(Infinity), 10_000).unref())]);
    // keepAliveTimeoutMs is 60 s: only the response deadline explains the connection ending now, short of the body.
    assert.ok(ms < 10_000, `connection still open ${ms} ms after resuming`);
    assert.ok(received < full, `got ${received} of ${full} bytes`);
    assert.equal((await request(`${server.url}/live`)).status, 200, 'the server keeps serving');
  });
});

/**
 * An update callback that holds every gather until `open()`: `entered` resolves when the
 * first gather reaches it, so a test acts on a scrape known to be in flight, whatever the load.
 */
function gate(): { callback: () => Promise<void>; entered: Promise<void>; open: () => void } {
  let opened!: () => void;
  const openPromise = new Promise<void>((r) => (opened = r));
  let entered!: () => void;
  const enteredPromise = new Promise<void>((r) => (entered = r));
  return {
    callback: () => {
      entered();
      return openPromise;
    },
    entered: enteredPromise,
    open: opened,
  };
}

/** Fails with `what` instead of hanging the test until the runner's timeout. */
function withinHangGuard<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: still pending after 30 s`)), 30_000)));
  return Promise.race([promise, guard]).finally(() => clearTimeout(timer));
}

describe('close() drains', () => {
  test('in-flight scrapes finish, new connections are refused, the port is freed', async () => {
    const runtime = new DistributedRuntime({ logger: quietLogger() });
    runtime.createCounter('x', 'x').inc();
    const held = gate();
    runtime.addUpdateCallback(held.callback);
    const server = (await runtime.startSystemServer({ env }))!;
    const inflight = request(`${server.url}/metrics`);
    await held.entered;
    const closing = server.close();
    await assert.rejects(request(`${server.url}/live`), /ECONNREFUSED/);
    held.open();
    const res = await inflight;
    assert.equal(res.status, 200);
    assert.ok(res.text.includes('dynamo_x 1'));
    await closing;
    assert.ok(await isPortFree(server.port));
    assert.equal(server.close(), closing, 'idempotent');
  });

  test('a response still running after drainTimeoutMs is cut', async () => {
    const runtime = new DistributedRuntime({ logger: quietLogger(), updateCallbackTimeoutMs: 60_000 });
    const held = gate();
    runtime.addUpdateCallback(held.callback);
    const server = (await runtime.startSystemServer({ env, drainTimeoutMs: 200 }))!;
    const inflight = request(`${server.url}/metrics`).then(
      () => 'answered',
      () => 'cut',
    );
    await held.entered;
    // The gather stays held until after close(): only the drain deadline can end it.
    await withinHangGuard(server.close(), 'close() with a response held past drainTimeoutMs');
    assert.equal(await inflight, 'cut');
    assert.ok(await isPortFree(server.port));
    held.open();
  });
});

describe('bounded in-flight scrapes', () => {
  test('scrapes beyond maxInFlight get 503 with Retry-After; probes still answer', async () => {
    const runtime = new DistributedRuntime({ logger: quietLogger() });
    const held = gate();
    runtime.addUpdateCallback(held.callback);
    const server = (await runtime.startSystemServer({ env, maxInFlight: 2 }))!;
    try {
      const scrapes = Array.from({ length: 5 }, () => request(`${server.url}/metrics`));
      // Two scrapes hold the slots until the gate opens, so the other three are answered now.
      const answered: Array<Awaited<(typeof scrapes)[number]>> = [];
      for (const s of scrapes) void s.then((r) => answered.push(r));
      await held.entered;
      await waitUntil(() => answered.length >= 3, {
        timeoutMs: 30_000,
        intervalMs: 10,
        description: 'three scrapes over the bound answered while two hold the slots',
      });
      assert.deepEqual(
        answered.map((r) => r.status),
        [503, 503, 503],
      );
      assert.equal((await request(`${server.url}/live`)).status, 200);
      held.open();
      const results = await Promise.all(scrapes);
      assert.deepEqual(results.map((r) => r.status).sort(), [200, 200, 503, 503, 503]);
      const rejected = results.find((r) => r.status === 503)!;
      assert.equal(rejected.headers['retry-after'], '1');
      assert.match(rejected.text, /too many concurrent scrapes \(limit 2\); retry shortly/);
      assert.equal((await request(`${server.url}/metrics`)).status, 200, 'slots are given back');
    } finally {
      await server.close();
    }
  });
});
