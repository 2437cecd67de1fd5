/**
 * The admission webhook given `{ certFile, keyFile }` reloads them when they change, as
 * controller-runtime's webhook server does with its certwatcher: new connections get the
 * new certificate, an open keep-alive connection keeps working.
 */
import assert from 'node:assert/strict';
import { copyFileSync, renameSync } from 'node:fs';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import { describe, it } from 'node:test';
import { Registry } from 'promkit';
import { createAdmissionWebhook, createOperatorMetrics } from '../src/index.js';
import { waitUntil } from '@promkit/testing';
import { review, selfSignedCert } from './helpers.js';

function postReview(url: string, agent: https.Agent): Promise<{ status: number; fingerprint: string; reused: boolean }> {
  const body = JSON.stringify(review('DynamoGraphDeployment', 'CREATE', {}));
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      { method: 'POST', agent, rejectUnauthorized: false, headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } },
      (res) => {
        const fingerprint = (res.socket as TLSSocket).getPeerCertificate().fingerprint256;
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, fingerprint, reused: req.reusedSocket }));
      },
    );
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error('timed out')));
    req.end(body);
  });
}

function replace(path: string, from: string): void {
  copyFileSync(from, `${path}.tmp`);
  renameSync(`${path}.tmp`, path);
}

describe('webhook certificate rotation', () => {
  it('serves the rotated certificate to new connections without dropping open ones', { timeout: 60_000 }, async (t) => {
    const [live, next] = [await selfSignedCert(t), await selfSignedCert(t)];
    const webhook = createAdmissionWebhook({
      kit: createOperatorMetrics({ registry: new Registry() }),
      validators: {},
      host: '127.0.0.1',
      tls: { certFile: live.certFile, keyFile: live.keyFile, watchIntervalMs: 200 },
    });
    const { url } = await webhook.listen();
    t.after(() => webhook.close());
    const kept = new https.Agent({ keepAlive: true, maxSockets: 1 });
    t.after(() => kept.destroy());
    const before = await postReview(url, kept);
    assert.equal(before.status, 200);

    replace(live.keyFile, next.keyFile);
    replace(live.certFile, next.certFile);
    const after = await waitUntil(
      async () => {
        const fresh = await postReview(url, new https.Agent({ keepAlive: false }));
        return fresh.fingerprint !== before.fingerprint ? fresh : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 100, description: 'a new connection presenting the rotated certificate' },
    );
    assert.equal(after.status, 200);
    const again = await postReview(url, kept);
    assert.equal(again.status, 200);
    assert.equal(again.reused, true, 'the connection opened before the rotation was kept');
  });
});
