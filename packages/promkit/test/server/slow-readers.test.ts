/**
 * Issue 15, item 2: clients that request /metrics and never read must not hold the
 * in-flight slots: a fresh scrape still gets the whole exposition, and the stalled
 * connections are cut long before the 60 s response deadline set here.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { Counter, Registry } from '../../src/core/index.js';
import { startMetricsServer, type RunningMetricsServer } from '../../src/server/index.js';
import { waitUntil } from '@promkit/testing';
import { quietLogger, request } from './http-client.js';

const STALLED_CLIENTS = 4;
const SERIES = 80_000;

/** ~12 MB of exposition: far more than the kernel buffers a silent client can absorb. */
function bigRegistry(): Registry {
  const registry = new Registry();
  const counter = new Counter({ name: 'padded_total', help: 'p', labelNames: ['id'], registers: [registry] });
  const pad = 'x'.repeat(100);
  for (let i = 0; i < SERIES; i++) counter.inc({ id: `${pad}${i}` });
  return registry;
}

/** Sends a scrape, reads the first bytes of the answer, then stops reading for good. */
function stalledScrape(url: string): Promise<net.Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: hostname, port: Number(port) }, () => socket.write('GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n'));
    socket.once('error', reject);
    socket.once('data', (first: Buffer) => {
      socket.pause();
      socket.off('error', reject);
      socket.on('error', () => {});
      assert.match(first.toString('latin1'), /^HTTP\/1\.1 200/);
      resolve(socket);
    });
  });
}

function openConnections(server: RunningMetricsServer): Promise<number> {
  return new Promise((resolve, reject) => server.server.getConnections((error, count) => (error ? reject(error) : resolve(count))));
}

describe('clients that never read', () => {
  let server: RunningMetricsServer;
  const stalled: net.Socket[] = [];

  before(async () => {
    server = await startMetricsServer({
      registry: bigRegistry(),
      host: '127.0.0.1',
      maxInFlight: STALLED_CLIENTS,
      requestTimeoutMs: 60_000,
      keepAliveTimeoutMs: 60_000,
      logger: quietLogger(),
    });
    for (let i = 0; i < STALLED_CLIENTS; i++) stalled.push(await stalledScrape(server.url));
  });

  after(async () => {
    for (const s of stalled) s.destroy();
    await server.close();
  });

  test('a fresh scrape gets the whole exposition while every slot-holder is stalled', { timeout: 30_000 }, async () => {
    const res = await request(`${server.url}/metrics`);
    assert.equal(res.status, 200, res.text.slice(0, 200));
    assert.equal(res.text.split('\n').filter((l) => l.startsWith('padded_total{')).length, SERIES);
  });

  test('the stalled connections are cut well before the response deadline', { timeout: 30_000 }, async () => {
    await waitUntil(async () => (await openConnections(server)) === 0, {
      timeoutMs: 25_000,
      intervalMs: 200,
      description: 'stalled connections closed by the server',
    });
  });
});
