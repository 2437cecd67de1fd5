/**
 * gzip made in pieces on several threads (ParallelGzip): every way a body can grow and be
 * cut into pieces decodes to exactly that body, by Node's gunzip and by a real Prometheus
 * (Go's compress/gzip, which checks the CRC-32 and length in the trailer).
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { startPrometheus, waitUntil } from '@promkit/testing';
import { Counter, Registry } from '../../src/index.js';
import { metricsHandler } from '../../src/server/index.js';
import { ParallelGzip } from '../../src/server/parallel-gzip.js';

/** Exposition-like text: repetitive, with enough variety that pieces differ. */
function text(bytes: number): Buffer {
  const lines: string[] = [];
  let length = 0;
  for (let i = 0; length < bytes; i++) {
    const line = `pg_requests_total{service="service-${i % 97}",operation="op-${(i * 7919) % 100_003}"} ${(i * 31) % 1009}\n`;
    lines.push(line);
    length += line.length;
  }
  return Buffer.from(lines.join('')).subarray(0, bytes);
}

/** Feeds `body` as an encoder would: growing views in steps of `step`, the buffer replaced (grown) at `growAt`. */
async function compressGrowing(body: Buffer, level: number, step: number, growAt = Number.POSITIVE_INFINITY): Promise<Buffer> {
  const gz = new ParallelGzip(level);
  let buffer = Buffer.alloc(Math.min(body.length, growAt));
  for (let length = step; length < body.length; length += step) {
    if (length > buffer.length) {
      const grown = Buffer.alloc(body.length);
      buffer.copy(grown);
      buffer = grown;
    }
    body.copy(buffer, length - step, length - step, length);
    gz.offer(buffer.subarray(0, length));
    // Lets finished jobs return, as the encoder's yields do.
    if (length % (4 * step) === 0) await new Promise((r) => setImmediate(r));
  }
  gz.end(body);
  return gz.done;
}

describe('ParallelGzip', () => {
  test('any body, however it grows and is cut, decodes to exactly that body', async () => {
    const cases: Array<[string, Buffer, number, number?]> = [
      ['empty', Buffer.alloc(0), 1],
      ['one byte', Buffer.from('x'), 1],
      ['below the smallest piece', text(10_000), 1_000],
      ['exactly 1 MiB, offered in 64 KiB steps', text(1024 * 1024), 64 * 1024],
      ['3.5 MB in 35 KB chunks (the encoder)', text(3_500_000), 35_000],
      ['3.5 MB, the buffer grown at 1 MB', text(3_500_000), 35_000, 1_000_000],
      ['3 MB given only at the end', text(3_000_000), 3_000_000],
    ];
    for (const [name, body, step, growAt] of cases) {
      for (const level of [1, 4, 9]) {
        const member = await compressGrowing(body, level, step, growAt);
        assert.ok(gunzipSync(member).equals(body), `${name}, level ${level}`);
      }
    }
  });

  test('compresses as well as one stream: each piece is primed with the text before it', async () => {
    // 64 KiB pieces, each compressed before the next is offered: unprimed, every piece
    // starts with an empty window and this member grew 2.1% over one stream; primed, under 1%.
    const body = text(4_000_000);
    const gz = new ParallelGzip(4);
    const piece = 64 * 1024;
    for (let length = piece; length < body.length; length += piece) {
      gz.offer(body.subarray(0, length));
      assert.equal(gz.jobsInFlight, 1);
      await waitUntil(() => gz.jobsInFlight === 0, { timeoutMs: 10_000, intervalMs: 1 });
    }
    gz.end(body);
    const member = await gz.done;
    assert.ok(gunzipSync(member).equals(body));
    const single = gzipSync(body, { level: 4 });
    assert.ok(member.length < single.length * 1.01, `pieces ${member.length} B vs one stream ${single.length} B`);
  });

  test('a failed render rejects the member, once', async () => {
    const gz = new ParallelGzip(1);
    gz.offer(text(200_000));
    gz.destroy(new Error('encoder failed'));
    gz.destroy(new Error('second'));
    await assert.rejects(gz.done, /encoder failed/);
  });
});

describe('a real Prometheus scrapes a gzip body made in pieces', () => {
  let server: Server | undefined;
  after(() => server?.close());

  test('60k series (~3.6 MB of text, many pieces) arrive whole', async () => {
    const registry = new Registry();
    const counter = new Counter({ name: 'pg_requests_total', help: 'h', labelNames: ['service', 'operation'], registers: [registry] });
    let expectedSum = 0;
    for (let i = 0; i < 60_000; i++) {
      counter.labels(`service-${i % 100}`, `operation-${i}`).inc((i % 7) + 1);
      expectedSum += (i % 7) + 1;
    }
    const codings: Array<string | undefined> = [];
    const handler = metricsHandler(registry);
    server = createServer((req, res) => {
      const writeHead = res.writeHead.bind(res);
      // The handler passes its headers to writeHead, where getHeader() does not see them.
      res.writeHead = ((status: number, headers?: Record<string, string>) => {
        codings.push(headers?.['Content-Encoding']);
        return writeHead(status, headers);
      }) as typeof res.writeHead;
      void handler(req, res);
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const prom = await startPrometheus({ targets: [{ job: 'pieces', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics` }] });
    try {
      await prom.waitForTargetsUp({ job: ['pieces'] });
      await prom.waitForScrapes(1, { job: ['pieces'] });
      assert.equal(await prom.queryValue('count(pg_requests_total{job="pieces"})'), 60_000);
      assert.equal(await prom.queryValue('sum(pg_requests_total{job="pieces"})'), expectedSum);
      assert.ok(codings.length > 0 && codings.every((c) => c === 'gzip'), `Prometheus got ${codings.join(', ')}`);
    } finally {
      await prom.close();
    }
  });
});
