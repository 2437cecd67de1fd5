import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { Piscina } from 'piscina';
import { parsePrometheusText } from '../../src/exposition/index.js';
import { Registry, sharedRegistry } from '../../src/index.js';
import { metricsHandler } from '../../src/server/index.js';
import { declareTestMetrics } from './test-metrics.js';

async function scrape(port: number): Promise<Map<string, number>> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { 'accept-encoding': 'gzip' } });
  assert.equal(res.status, 200);
  // fetch decodes gzip itself; the raw check below proves the handler compressed it.
  const text = await res.text();
  const out = new Map<string, number>();
  for (const f of parsePrometheusText(text).families) for (const s of f.samples) out.set(`${s.name}${JSON.stringify(s.labels)}`, s.value);
  return out;
}

describe('shared metrics in a piscina pool', () => {
  it('counts every task across pool threads that come and go, served over HTTP', async () => {
    const registry = new Registry();
    // Room for the main thread and two pool threads: replacements must reuse freed columns.
    const shared = sharedRegistry({ registers: [registry], maxThreads: 3 });
    declareTestMetrics(shared);
    const newPool = (): Piscina => {
      const pool = new Piscina({ filename: new URL('./piscina-entry.mjs', import.meta.url).href, workerData: { handle: shared.handle() }, maxThreads: 2 });
      shared.watchPool(pool);
      return pool;
    };
    let pool = newPool();
    const server = createServer((req, res) => void metricsHandler(registry)(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      let expected = 0;
      for (let wave = 0; wave < 3; wave++) {
        const done = await Promise.all(Array.from({ length: 6 }, () => pool.run({ n: 1000, route: 'pool' })));
        expected += done.reduce((a, b) => a + b, 0);
        const seen = await scrape(port);
        assert.equal(seen.get('test_requests_total{"method":"pool","code":"200"}'), expected);
        assert.equal(seen.get('test_latency_seconds_count{"route":"pool"}'), 6 * (wave + 1));
        // A restart: the pool's threads are terminated (no exit handler runs in them) and
        // the next pool's threads can only attach if watchPool() freed their columns.
        await pool.destroy();
        const deadline = Date.now() + 20_000;
        while (shared.threadCount > 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        assert.equal(shared.threadCount, 1, 'terminated pool threads should have freed their columns');
        pool = newPool();
      }
      assert.equal(expected, 18_000);
      const raw = await new Promise<Buffer>((resolve, reject) => {
        import('node:http').then(({ get }) =>
          get({ port, host: '127.0.0.1', path: '/metrics', headers: { 'accept-encoding': 'gzip' } }, (res) => {
            const parts: Buffer[] = [];
            res
              .on('data', (d: Buffer) => parts.push(d))
              .on('end', () => resolve(Buffer.concat(parts)))
              .on('error', reject);
          }).on('error', reject),
        );
      });
      assert.match(gunzipSync(raw).toString(), /test_requests_total\{method="pool",code="200"\} 18000/);
    } finally {
      await pool.destroy();
      server.close();
    }
  });
});
