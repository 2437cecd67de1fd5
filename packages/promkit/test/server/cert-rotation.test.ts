/**
 * Certificate rotation (controller-runtime's certwatcher): when the certificate and key
 * files change, new connections get the new certificate, connections already open keep
 * working, and a half-written pair is not taken.
 */
import assert from 'node:assert/strict';
import { copyFileSync, renameSync } from 'node:fs';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import { after, describe, test } from 'node:test';
import { Counter, Registry } from '../../src/core/index.js';
import { startMetricsServer, type RunningMetricsServer } from '../../src/server/index.js';
import { waitUntil } from '@promkit/testing';
import { makeTestCert, type TestCert } from './test-cert.js';

/** GET over `agent`; resolves with the status, the server certificate's fingerprint and whether the socket was reused. */
function get(url: string, agent: https.Agent): Promise<{ status: number; fingerprint: string; reused: boolean }> {
  return new Promise((resolve, reject) => {
    const req = https.get(url, { agent, rejectUnauthorized: false }, (res) => {
      const fingerprint = (res.socket as TLSSocket).getPeerCertificate().fingerprint256;
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, fingerprint, reused: req.reusedSocket }));
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error('timed out')));
  });
}

/** Replaces a file the way a writer that cares does: write aside, then rename over it. */
function replace(path: string, from: string): void {
  copyFileSync(from, `${path}.tmp`);
  renameSync(`${path}.tmp`, path);
}

describe('TLS certificate rotation of the status server', () => {
  const certs: TestCert[] = [];
  let server: RunningMetricsServer;
  after(async () => {
    await server?.close();
    for (const c of certs) c.remove();
  });

  test('new connections get the new certificate; an open keep-alive connection keeps working', { timeout: 60_000 }, async () => {
    const [live, second] = [makeTestCert(), makeTestCert()];
    certs.push(live, second);
    const registry = new Registry();
    new Counter({ name: 'rotated_total', help: 'r', registers: [registry] }).inc();
    const lines: string[] = [];
    server = await startMetricsServer({
      registry,
      host: '127.0.0.1',
      tls: { certFile: live.certFile, keyFile: live.keyFile, watchIntervalMs: 200 },
      keepAliveTimeoutMs: 60_000,
      logger: { info: (m) => void lines.push(m), error: (m) => void lines.push(m) },
    });
    const url = `${server.url}/metrics`;
    const kept = new https.Agent({ keepAlive: true, maxSockets: 1 });
    const before = await get(url, kept);
    assert.equal(before.status, 200);

    replace(live.keyFile, second.keyFile);
    replace(live.certFile, second.certFile);
    const after = await waitUntil(
      async () => {
        const fresh = await get(url, new https.Agent({ keepAlive: false }));
        return fresh.fingerprint !== before.fingerprint ? fresh : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 100, description: 'a new connection presenting the rotated certificate' },
    );
    assert.equal(after.status, 200);
    const again = await get(url, kept);
    assert.equal(again.status, 200);
    assert.equal(again.reused, true, 'the keep-alive connection opened before the rotation was not dropped');
    assert.equal(again.fingerprint, before.fingerprint);
    assert.ok(
      lines.some((l) => /reloaded/.test(l)),
      lines.join('\n'),
    );
    kept.destroy();
  });

  test('a key that does not match the certificate is not taken; the old pair stays in use', { timeout: 60_000 }, async () => {
    const [live, other] = [makeTestCert(), makeTestCert()];
    certs.push(live, other);
    const lines: string[] = [];
    const s = await startMetricsServer({
      registry: new Registry(),
      host: '127.0.0.1',
      tls: { certFile: live.certFile, keyFile: live.keyFile, watchIntervalMs: 100 },
      logger: { info: (m) => void lines.push(m), error: (m) => void lines.push(m) },
    });
    try {
      const url = `${s.url}/metrics`;
      const before = await get(url, new https.Agent());
      replace(live.certFile, other.certFile);
      await waitUntil(() => lines.some((l) => /not a valid PEM certificate and matching private key/.test(l)), {
        timeoutMs: 20_000,
        intervalMs: 100,
        description: 'the mismatch logged',
      });
      const during = await get(url, new https.Agent());
      assert.equal(during.status, 200);
      assert.equal(during.fingerprint, before.fingerprint);
      replace(live.keyFile, other.keyFile);
      await waitUntil(async () => (await get(url, new https.Agent())).fingerprint !== before.fingerprint, {
        timeoutMs: 20_000,
        intervalMs: 100,
        description: 'the completed pair taken',
      });
    } finally {
      await s.close();
    }
  });
});
