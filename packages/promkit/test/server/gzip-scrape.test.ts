import assert from 'node:assert/strict';
import { createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { Counter, Registry } from '../../src/index.js';
import { metricsHandler, type MetricsHandlerOptions } from '../../src/server/index.js';

type Source = Parameters<typeof metricsHandler>[0];

async function fetchRaw(
  source: Source,
  options: MetricsHandlerOptions,
  acceptEncoding: string,
): Promise<{ status: number; encoding: string | undefined; body: Buffer }> {
  const handler = metricsHandler(source, { onError: () => {}, ...options });
  const server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const port = (server.address() as AddressInfo).port;
    return await new Promise((resolve, reject) => {
      get({ host: '127.0.0.1', port, path: '/metrics', headers: { 'accept-encoding': acceptEncoding } }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.once('end', () => resolve({ status: res.statusCode ?? 0, encoding: res.headers['content-encoding'], body: Buffer.concat(parts) }));
      }).once('error', reject);
    });
  } finally {
    server.close();
  }
}

function bigRegistry(): Registry {
  const registry = new Registry();
  const c = new Counter({ name: 'gz_requests_total', help: 'h', labelNames: ['service', 'operation'], registers: [registry] });
  // Enough series for the encoder to hand over many chunks, each compressed as it comes.
  for (let i = 0; i < 30_000; i++) c.labels(`service-${i % 300}`, `operation-${i}`).inc(i);
  return registry;
}

describe('gzip scrape compressed while encoding', () => {
  it('sends exactly the identity body, compressed, at the level asked for', async () => {
    const registry = bigRegistry();
    const plain = await fetchRaw(registry, {}, 'identity');
    assert.equal(plain.encoding, undefined);
    const fast = await fetchRaw(registry, {}, 'gzip');
    const small = await fetchRaw(registry, { gzipLevel: 9 }, 'gzip');
    assert.equal(fast.encoding, 'gzip');
    assert.equal(gunzipSync(fast.body).toString(), plain.body.toString());
    assert.equal(gunzipSync(small.body).toString(), plain.body.toString());
    assert.ok(small.body.length < fast.body.length, `level 9 (${small.body.length} B) should be smaller than the default level 1 (${fast.body.length} B)`);
    assert.match(plain.body.toString(), /gz_requests_total\{service="service-299",operation="operation-29999"\} 29999\n/);
  });

  it('answers 500 when the exposition fails mid-stream, with no stray rejection', async () => {
    const failing: Source = {
      metrics: async () => '',
      writeMetrics: async (sink) => {
        sink('# HELP x x\n');
        await new Promise((r) => setImmediate(r));
        throw new Error('collector broke');
      },
    };
    const res = await fetchRaw(failing, {}, 'gzip');
    assert.equal(res.status, 500);
    assert.match(res.body.toString(), /metrics gather failed: collector broke/);
  });

  it('rejects a gzip level zlib does not have, naming it', () => {
    assert.throws(() => metricsHandler(new Registry(), { gzipLevel: 0 }), /gzipLevel must be an integer from 1 to 9, got 0/);
    assert.throws(() => metricsHandler(new Registry(), { gzipLevel: 2.5 }), /gzipLevel must be an integer from 1 to 9, got 2.5/);
  });
});
