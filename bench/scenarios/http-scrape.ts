/**
 * Scenario 8: the scrape as Prometheus makes it, over HTTP with `Accept-Encoding: gzip`,
 * of scenario 6's registry (100k counter + 10k histogram series). promkit serves through
 * `metricsHandler` (variants: gzip level, compressing while encoding or after); the peers
 * behind node:http with `registry.metrics()` then async zlib gzip at its default level,
 * as their users write it. Measures time to last byte, the longest stall, bytes on the wire.
 */
import { createServer, get, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { cpuMs, startStallMonitor } from '../harness.js';
import type { Library } from '../libraries.js';
import { populate } from './scrape.js';

const gzip = promisify(gzipCallback);

export interface HttpScrapeResult {
  variant: string;
  lastByteMs: number[];
  cpuMs: number[];
  longestStallMs: number[];
  wireBytes: number;
}

function fetchCompressed(port: number, coding: 'gzip' | 'zstd'): Promise<number> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/metrics', headers: { 'accept-encoding': coding } }, (res) => {
      if (res.headers['content-encoding'] !== coding) reject(new Error(`expected a ${coding} response, got ${res.headers['content-encoding']}`));
      let bytes = 0;
      res
        .on('data', (d: Buffer) => (bytes += d.length))
        .once('end', () => resolve(bytes))
        .once('error', reject);
    }).once('error', reject);
  });
}

async function timeHandler(variant: string, handler: RequestListener, scrapes: number, coding: 'gzip' | 'zstd' = 'gzip'): Promise<HttpScrapeResult> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  try {
    let wireBytes = await fetchCompressed(port, coding);
    const lastByteMs: number[] = [];
    const cpu: number[] = [];
    const longestStallMs: number[] = [];
    for (let i = 0; i < scrapes; i++) {
      await new Promise((r) => setImmediate(r));
      const monitor = startStallMonitor();
      const c0 = cpuMs();
      const t0 = performance.now();
      wireBytes = await fetchCompressed(port, coding);
      lastByteMs.push(performance.now() - t0);
      cpu.push(cpuMs() - c0);
      longestStallMs.push(monitor.stop().longestGapMs);
    }
    return { variant, lastByteMs, cpuMs: cpu, longestStallMs, wireBytes };
  } finally {
    server.close();
  }
}

export async function measureHttpScrape(lib: Library, scrapes = 5): Promise<HttpScrapeResult[]> {
  const registry = lib.createRegistry();
  populate(lib, registry);
  if (lib.id !== 'promkit') {
    const handler: RequestListener = (_req, res) => {
      void registry.metrics().then(async (text) => {
        const body = await gzip(text);
        res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4', 'Content-Encoding': 'gzip', 'Content-Length': body.length });
        res.end(body);
      });
    };
    return [await timeHandler(`${lib.id}: metrics() + zlib.gzip (level 6)`, handler, scrapes)];
  }
  const { metricsHandler } = await import('../../packages/promkit/src/server/index.js');
  const source = registry as unknown as Parameters<typeof metricsHandler>[0];
  // shareWindowMs 0: each timed scrape renders afresh, as spaced-out Prometheus scrapes do.
  const variants: Array<[string, Parameters<typeof metricsHandler>[1]]> = [
    ['promkit: gzip level 1, compressed while encoding (default)', { shareWindowMs: 0 }],
    // Level 4 is the fastest level whose body is within 10% of the peers' (0.852 MB vs 0.844).
    ['promkit: gzip level 4, compressed while encoding', { shareWindowMs: 0, gzipLevel: 4 }],
    ['promkit: gzip level 5, compressed while encoding', { shareWindowMs: 0, gzipLevel: 5 }],
    ['promkit: gzip level 6, compressed while encoding', { shareWindowMs: 0, gzipLevel: 6 }],
  ];
  const out: HttpScrapeResult[] = [];
  for (const [variant, options] of variants) {
    const handler = metricsHandler(source, options);
    out.push(await timeHandler(variant, (req, res) => void handler(req, res), scrapes));
  }
  // zstd (Prometheus 3's zstd-scrape), where the Node running the bench has it (22.15+).
  const { ZSTD_AVAILABLE } = await import('../../packages/promkit/src/server/streaming-compressor.js');
  if (ZSTD_AVAILABLE) {
    const handler = metricsHandler(source, { shareWindowMs: 0 });
    out.push(await timeHandler('promkit: zstd level 1 (a client asking for zstd)', (req, res) => void handler(req, res), scrapes, 'zstd'));
  }
  // The previous behaviour, for comparison: render the whole body, then gzip it (level 6).
  const { SharedScrape } = await import('../../packages/promkit/src/server/shared-scrape.js');
  const after = new SharedScrape(source, 0, { gzip: 6 });
  out.push(
    await timeHandler(
      'promkit: gzip level 6 after the whole body (before this change)',
      (_req, res) => {
        void after.acquire('prometheus').then(async (e) => {
          const body = await e.compressedBody('gzip');
          e.release();
          res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4', 'Content-Encoding': 'gzip', 'Content-Length': body.length });
          res.end(body);
        });
      },
      scrapes,
    ),
  );
  return out;
}
