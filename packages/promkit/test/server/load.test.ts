/**
 * 200 concurrent scrapes of a 50k-series runtime (4.5 MB per body, 900 MB if each were held): every response completes (200, or a
 * clear 503 above the in-flight bound), the bodies are whole, and memory after GC does
 * not grow from one burst to the next.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { gunzipSync } from 'node:zlib';
import { DistributedRuntime } from '../../src/runtime/index.js';
import type { RunningMetricsServer } from '../../src/server/index.js';
import { quietLogger } from './http-client.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const SERIES = 50_000;
const CONCURRENCY = 200;

interface Outcome {
  status: number;
  bytes: number;
  gzip: boolean;
  retryAfter?: string;
  /** Kept for one gzip and one identity response only, to check the content. */
  sample?: Buffer;
}

/** Streams the body away (only counting it) so the client side holds no copies. */
function scrape(url: string, gzip: boolean, keep: boolean): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const headers = gzip ? { 'Accept-Encoding': 'gzip' } : {};
    const req = http.get(url, { agent: false, headers }, (res) => {
      let bytes = 0;
      const kept: Buffer[] = [];
      res.on('data', (c: Buffer) => {
        bytes += c.length;
        if (keep) kept.push(c);
      });
      res.on('error', reject);
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          bytes,
          gzip: res.headers['content-encoding'] === 'gzip',
          retryAfter: res.headers['retry-after'] as string | undefined,
          sample: keep ? Buffer.concat(kept) : undefined,
        }),
      );
    });
    req.setTimeout(60_000, () => req.destroy(new Error('scrape timed out')));
    req.on('error', reject);
  });
}

function heapAfterGc(): { heapMB: number; rssMB: number } {
  gc();
  gc();
  const m = process.memoryUsage();
  return { heapMB: m.heapUsed / 2 ** 20, rssMB: m.rss / 2 ** 20 };
}

describe(`${CONCURRENCY} concurrent scrapes of ${SERIES / 1000}k series`, () => {
  let runtime: DistributedRuntime;
  before(() => {
    runtime = new DistributedRuntime({ logger: quietLogger() });
    const vec = runtime.namespace('dynamo').component('backend').endpoint('generate').createCounterVec('load_requests', 'Requests', ['id']);
    for (let i = 0; i < SERIES; i++) vec.withLabelValues(String(i)).inc(i);
  });

  async function burst(server: RunningMetricsServer): Promise<Outcome[]> {
    return Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => scrape(`${server.url}/metrics`, i % 2 === 0, i < 2)));
  }

  function checkBodies(outcomes: Outcome[]): void {
    const ok = outcomes.filter((o) => o.status === 200);
    const identity = ok.find((o) => !o.gzip && o.sample)?.sample?.toString('utf8') ?? gunzipSync(ok.find((o) => o.gzip && o.sample)!.sample!).toString('utf8');
    assert.ok(identity.includes(`dynamo_load_requests{namespace="dynamo",component="backend",endpoint="generate",id="${SERIES - 1}"} ${SERIES - 1}\n`));
    const count = identity.split('\n').filter((l) => l.startsWith('dynamo_load_requests{')).length;
    assert.equal(count, SERIES);
  }

  describe('with an in-flight bound above the burst', () => {
    let server: RunningMetricsServer;
    before(async () => {
      server = (await runtime.startSystemServer({
        enabled: true,
        port: 0,
        host: '127.0.0.1',
        maxInFlight: 256,
        // Deadlines have their own tests; here a loaded machine must not cut a slow burst.
        requestTimeoutMs: 180_000,
        sendStallTimeoutMs: 60_000,
      }))!;
    });
    after(() => server.close());

    test('every scrape gets a whole 200 response; memory is back to baseline after each burst', async (t) => {
      await burst(server); // warm-up: JIT, first gzip, lazily created series
      const baseline = heapAfterGc();
      const after: Array<{ heapMB: number; rssMB: number }> = [];
      for (let round = 0; round < 3; round++) {
        const outcomes = await burst(server);
        assert.deepEqual(
          outcomes.map((o) => o.status).filter((s) => s !== 200),
          [],
        );
        // Bodies of different gathers differ only by a few counters (uptime, request counts).
        const sizes = outcomes.filter((o) => !o.gzip).map((o) => o.bytes);
        assert.ok(
          Math.max(...sizes) - Math.min(...sizes) < 4096 && Math.min(...sizes) > SERIES * 90,
          `identity body sizes ${Math.min(...sizes)}..${Math.max(...sizes)}`,
        );
        if (round === 0) checkBodies(outcomes);
        after.push(heapAfterGc());
      }
      t.diagnostic(
        `heap MB after GC: baseline ${baseline.heapMB.toFixed(1)}, bursts ${after.map((a) => a.heapMB.toFixed(1)).join(', ')}; rss MB ${after.map((a) => a.rssMB.toFixed(0)).join(', ')}`,
      );
      const growth = after[after.length - 1].heapMB - baseline.heapMB;
      assert.ok(
        growth < 40,
        `heap grew ${growth.toFixed(1)} MB over 3 bursts (baseline ${baseline.heapMB.toFixed(1)} MB, after ${after.map((a) => a.heapMB.toFixed(1)).join(', ')})`,
      );
      const rssGrowth = after[2].rssMB - after[0].rssMB;
      assert.ok(rssGrowth < 150, `rss grew ${rssGrowth.toFixed(1)} MB from burst 1 to 3 (${after.map((a) => a.rssMB.toFixed(0)).join(', ')})`);
    });
  });

  describe('with the default in-flight bound (64)', () => {
    let server: RunningMetricsServer;
    before(async () => {
      server = (await runtime.startSystemServer({ enabled: true, port: 0, host: '127.0.0.1' }))!;
    });
    after(() => server.close());

    test('scrapes over the bound get a clear 503, the rest a whole 200', async () => {
      const outcomes = await burst(server);
      const ok = outcomes.filter((o) => o.status === 200);
      const refused = outcomes.filter((o) => o.status === 503);
      assert.equal(ok.length + refused.length, CONCURRENCY, `statuses: ${[...new Set(outcomes.map((o) => o.status))]}`);
      assert.ok(ok.length >= 64, `${ok.length} answered`);
      assert.ok(refused.every((o) => o.retryAfter === '1'));
      if (ok.some((o) => o.sample)) checkBodies(outcomes);
    });
  });
});
