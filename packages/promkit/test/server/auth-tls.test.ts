/** The auth hook, its exempt paths, and TLS, over real HTTP(S). */
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DistributedRuntime } from '../../src/runtime/index.js';
import { bearerTokenAuthorizer, startMetricsServer, type Authorizer, type RunningMetricsServer } from '../../src/server/index.js';
import { Registry } from '../../src/core/index.js';
import { json, quietLogger, request } from './http-client.js';
import { makeTestCert, type TestCert } from './test-cert.js';

const env = { DYN_SYSTEM_ENABLED: 'true', DYN_SYSTEM_PORT: '0', DYN_SYSTEM_HOST: '127.0.0.1' };

describe('bearerTokenAuthorizer', () => {
  const req = (authorization?: string): IncomingMessage => ({ headers: authorization === undefined ? {} : { authorization } }) as IncomingMessage;

  test('decides on the Authorization header', () => {
    const auth = bearerTokenAuthorizer(['first-token', 'second-token']);
    assert.deepEqual(auth(req('Bearer first-token')), { allowed: true });
    assert.deepEqual(auth(req('bearer second-token')), { allowed: true });
    assert.deepEqual(auth(req()), { allowed: false, status: 401, reason: 'missing bearer token: send "Authorization: Bearer <token>"' });
    assert.deepEqual(auth(req('Basic Zm9vOmJhcg==')), { allowed: false, status: 401, reason: 'missing bearer token: send "Authorization: Bearer <token>"' });
    assert.deepEqual(auth(req('Bearer first-toke')), { allowed: false, status: 401, reason: 'invalid bearer token' });
    assert.deepEqual(auth(req('Bearer first-token-and-more')), { allowed: false, status: 401, reason: 'invalid bearer token' });
  });

  test('refuses empty configuration', () => {
    assert.throws(() => bearerTokenAuthorizer([]), /give at least one token/);
    assert.throws(() => bearerTokenAuthorizer(''), /tokens must be non-empty strings without whitespace/);
    assert.throws(() => bearerTokenAuthorizer('a b'), /without whitespace/);
  });
});

describe('auth hook on the system status server', () => {
  let server: RunningMetricsServer;
  before(async () => {
    const runtime = new DistributedRuntime({ logger: quietLogger() });
    runtime.createCounter('secret_total', 's').inc();
    server = (await runtime.startSystemServer({ env, auth: bearerTokenAuthorizer('s3cret') }))!;
  });
  after(() => server.close());

  test('/metrics needs the token: 401 with WWW-Authenticate without it', async () => {
    const denied = await json(`${server.url}/metrics`);
    assert.equal(denied.status, 401);
    assert.deepEqual(denied.body, { error: 'unauthorized', reason: 'missing bearer token: send "Authorization: Bearer <token>"' });
    const raw = await request(`${server.url}/metrics`, { headers: { Authorization: 'Bearer wrong' } });
    assert.equal(raw.status, 401);
    assert.equal(raw.headers['www-authenticate'], 'Bearer');
    assert.ok(!raw.text.includes('secret_total'));
    const ok = await request(`${server.url}/metrics`, { headers: { Authorization: 'Bearer s3cret' } });
    assert.equal(ok.status, 200);
    assert.ok(ok.text.includes('dynamo_secret_total 1'));
  });

  test('health and live skip auth by default; unknown paths do not', async () => {
    assert.equal((await request(`${server.url}/health`)).status, 503);
    assert.equal((await request(`${server.url}/live`)).status, 200);
    assert.equal((await request(`${server.url}/elsewhere`)).status, 401);
  });

  test('denied requests are counted too', async () => {
    const text = (await request(`${server.url}/metrics`, { headers: { Authorization: 'Bearer s3cret' } })).text;
    assert.match(text, /^dynamo_system_http_requests_total\{path="\/metrics",code="401"\} [1-9]/m);
  });
});

describe('custom authorizers and exempt paths', () => {
  test('a function decides (403 with its reason); exempt paths are configurable', async () => {
    const seen: string[] = [];
    const auth: Authorizer = async (req) => {
      seen.push(req.url ?? '');
      return req.headers['x-user'] === 'prometheus' ? { allowed: true } : { allowed: false, status: 403, reason: 'user may not get /metrics' };
    };
    const runtime = new DistributedRuntime({ logger: quietLogger() });
    const server = (await runtime.startSystemServer({ env, auth, authExemptPaths: ['/live'] }))!;
    try {
      const denied = await json(`${server.url}/metrics`, { headers: { 'X-User': 'mallory' } });
      assert.equal(denied.status, 403);
      assert.deepEqual(denied.body, { error: 'forbidden', reason: 'user may not get /metrics' });
      assert.equal((await request(`${server.url}/metrics`, { headers: { 'X-User': 'prometheus' } })).status, 200);
      assert.equal((await request(`${server.url}/health`)).status, 403, '/health is no longer exempt');
      assert.equal((await request(`${server.url}/live`)).status, 200);
      assert.ok(!seen.includes('/live'));
    } finally {
      await server.close();
    }
  });

  test('an authorizer that throws denies with 500 and is logged, the server lives on', async () => {
    const logger = quietLogger();
    const server = await startMetricsServer({
      registry: new Registry(),
      host: '127.0.0.1',
      logger,
      auth: () => {
        throw new Error('TokenReview unreachable');
      },
    });
    try {
      const res = await json(`${server.url}/metrics`);
      assert.equal(res.status, 500);
      assert.equal(res.body.error, 'authorization failed');
      assert.ok(logger.lines.some((l) => l.includes('TokenReview unreachable')));
      assert.equal((await request(`${server.url}/metrics`)).status, 500);
    } finally {
      await server.close();
    }
  });
});

describe('TLS', () => {
  let cert: TestCert;
  before(() => {
    cert = makeTestCert();
  });
  after(() => cert.remove());

  test('serves HTTPS from cert and key files, with auth', async () => {
    const runtime = new DistributedRuntime({ logger: quietLogger() });
    runtime.createCounter('tls_total', 't').inc();
    const server = (await runtime.startSystemServer({ env, tls: { certFile: cert.certFile, keyFile: cert.keyFile }, auth: bearerTokenAuthorizer('t') }))!;
    try {
      assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
      const res = await request(`${server.url}/metrics`, { ca: cert.cert, headers: { Authorization: 'Bearer t' } });
      assert.equal(res.status, 200);
      assert.ok(res.text.includes('dynamo_tls_total 1'));
      await assert.rejects(request(`${server.url}/metrics`), /self-signed certificate/);
      await assert.rejects(request(`${server.url.replace('https:', 'http:')}/metrics`, { timeoutMs: 2000 }));
    } finally {
      await server.close();
    }
  });

  test('missing or mismatched files stop start-up with the file named', async () => {
    const registry = new Registry();
    await assert.rejects(
      startMetricsServer({ registry, tls: { certFile: join(cert.dir, 'nope.pem'), keyFile: cert.keyFile } }),
      new RegExp(`tls\\.certFile '${join(cert.dir, 'nope.pem')}' cannot be read \\(ENOENT\\)`),
    );
    const garbage = join(cert.dir, 'garbage.pem');
    writeFileSync(garbage, 'not a key');
    await assert.rejects(
      startMetricsServer({ registry, tls: { certFile: cert.certFile, keyFile: garbage } }),
      /are not a valid PEM certificate and matching private key/,
    );
  });
});
