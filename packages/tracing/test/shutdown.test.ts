/**
 * Issue 15, item 6: `tracing.shutdown()` with the collector down or hung resolves, says in
 * the log that spans were dropped, and the documented SIGTERM handler exits 0.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort } from '@promkit/testing';
import { initTracing, withSpan, type Tracing } from '../src/index.js';
import { captureLogging } from '../../logging/test/capture.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));

/** Accepts export requests and never answers them. */
async function hungCollector(): Promise<{ url: string; server: Server }> {
  const server = createServer(() => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`, server };
}

describe('shutdown with the collector unavailable', () => {
  let tracing: Tracing | undefined;
  afterEach(async () => {
    await tracing?.shutdown();
    tracing = undefined;
  });

  test('a hung collector: shutdown resolves after shutdownTimeoutMs and logs the drop', { timeout: 30_000 }, async () => {
    const collector = await hungCollector();
    try {
      const { logging, records } = captureLogging();
      tracing = initTracing({
        env: { OTEL_EXPORT_ENABLED: '1', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: collector.url },
        logger: logging.logger('promkit::tracing'),
        shutdownTimeoutMs: 300,
      });
      withSpan('never exported', {}, () => undefined);
      await tracing.shutdown();
      const line = records().find((r) => /shutdown/.test(String(r.message)));
      assert.ok(line, JSON.stringify(records()));
      assert.equal(line.level, 'WARN');
      assert.match(String(line.message), /dropped/);
    } finally {
      collector.server.closeAllConnections();
      collector.server.close();
    }
  });

  test('a refused connection: shutdown resolves and reports', { timeout: 30_000 }, async () => {
    const port = await freePort();
    const { logging, records } = captureLogging();
    tracing = initTracing({
      env: { OTEL_EXPORT_ENABLED: '1', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `http://127.0.0.1:${port}` },
      logger: logging.logger('promkit::tracing'),
      shutdownTimeoutMs: 1_000,
    });
    withSpan('never exported', {}, () => undefined);
    await tracing.shutdown();
    assert.ok(
      records().some((r) => r.level === 'WARN' && /shutdown/.test(String(r.message))),
      JSON.stringify(records()),
    );
  });

  test("the documented process.on('SIGTERM', () => void tracing.shutdown()) exits 0", { timeout: 60_000 }, async () => {
    const port = await freePort();
    const script = `
      import { initTracing, withSpan } from '@promkit/tracing';
      const tracing = initTracing({ env: { OTEL_EXPORT_ENABLED: '1', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:${port}' } });
      withSpan('last words', {}, () => undefined);
      const alive = setInterval(() => {}, 1000);
      process.on('SIGTERM', () => { clearInterval(alive); void tracing.shutdown(); });
      console.log('ready');
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DYN_LOG: 'warn' },
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    await new Promise<void>((resolve, reject) => {
      child.stdout.setEncoding('utf8').on('data', (d: string) => d.includes('ready') && resolve());
      child.once('exit', (code) => reject(new Error(`exited ${code} before ready: ${stderr}`)));
    });
    const started = Date.now();
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    console.log(`# exited ${code} ${Date.now() - started} ms after SIGTERM`);
    assert.equal(code, 0, stderr);
    assert.doesNotMatch(stderr, /Unhandled|ERR_UNHANDLED_REJECTION/);
  });
});
