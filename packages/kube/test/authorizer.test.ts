/**
 * The metrics endpoint authorizer against LocalApiServer's TokenReview and
 * SubjectAccessReview: 401 for bad tokens, 403 for denied users, and cached answers
 * (a cache hit sends no second review).
 */
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { describe, it, type TestContext } from 'node:test';
import { Registry } from 'promkit';
import { createOperatorMetrics, kubernetesAuthorizer, type KubernetesAuthorizerOptions } from '../src/index.js';
import { startMetricsServer } from 'promkit/server';
import type { SubjectAccessReviewSpec } from '@promkit/testing';
import { startApi } from './helpers.js';

function scrape(token?: string, path = '/metrics', method = 'GET'): IncomingMessage {
  return { method, url: path, headers: token === undefined ? {} : { authorization: `Bearer ${token}` } } as unknown as IncomingMessage;
}

async function setup(t: TestContext, options: Partial<KubernetesAuthorizerOptions> = {}) {
  const api = await startApi(t);
  const sars: SubjectAccessReviewSpec[] = [];
  api.onTokenReview((spec) =>
    spec.token === 'prometheus-token'
      ? { authenticated: true, user: { username: 'system:serviceaccount:monitoring:prometheus', groups: ['system:serviceaccounts'] } }
      : spec.token === 'intruder-token'
        ? { authenticated: true, user: { username: 'intruder' } }
        : { authenticated: false, error: 'token expired' },
  );
  api.onSubjectAccessReview((spec) => {
    sars.push(spec);
    const allowed =
      spec.user === 'system:serviceaccount:monitoring:prometheus' &&
      spec.nonResourceAttributes?.path === '/metrics' &&
      spec.nonResourceAttributes.verb === 'get';
    return allowed ? { allowed: true } : { allowed: false, reason: 'no RBAC policy matched' };
  });
  const authorize = kubernetesAuthorizer({ kubeConfig: api.kubeConfig(), ...options });
  const reviews = () => ({
    token: api.requests.count({ plural: 'tokenreviews', verb: 'create' }),
    sar: api.requests.count({ plural: 'subjectaccessreviews', verb: 'create' }),
  });
  return { api, authorize, sars, reviews };
}

describe('kubernetesAuthorizer', () => {
  it('allows an authenticated scraper allowed to get /metrics, then answers from its cache', async (t) => {
    const { authorize, sars, reviews } = await setup(t);
    assert.deepEqual(await authorize(scrape('prometheus-token')), { allowed: true });
    assert.deepEqual(reviews(), { token: 1, sar: 1 });
    assert.deepEqual(sars[0], {
      user: 'system:serviceaccount:monitoring:prometheus',
      groups: ['system:serviceaccounts'],
      nonResourceAttributes: { path: '/metrics', verb: 'get' },
    });
    assert.deepEqual(await authorize(scrape('prometheus-token')), { allowed: true });
    assert.deepEqual(await Promise.all([authorize(scrape('prometheus-token')), authorize(scrape('prometheus-token'))]), [{ allowed: true }, { allowed: true }]);
    assert.deepEqual(reviews(), { token: 1, sar: 1 }, 'cache hits send no review');
  });

  it('answers 401 for a missing or invalid token and 403 for a user without access', async (t) => {
    const { authorize, reviews } = await setup(t);
    const missing = await authorize(scrape());
    assert.equal(missing.allowed, false);
    assert.equal(!missing.allowed && missing.status, 401);
    assert.deepEqual(reviews(), { token: 0, sar: 0 }, 'no token, no review');

    const bad = await authorize(scrape('stolen-token'));
    assert.ok(!bad.allowed);
    assert.equal(bad.status, 401);
    assert.match(bad.reason, /token expired/);

    const denied = await authorize(scrape('intruder-token'));
    assert.ok(!denied.allowed);
    assert.equal(denied.status, 403);
    assert.match(denied.reason, /intruder may not get \/metrics: no RBAC policy matched/);

    await authorize(scrape('stolen-token'));
    await authorize(scrape('intruder-token'));
    assert.deepEqual(reviews(), { token: 2, sar: 1 }, 'negative answers are cached too');

    const otherPath = await authorize(scrape('prometheus-token', '/debug/pprof'));
    assert.ok(!otherPath.allowed);
    assert.equal(otherPath.status, 403);
  });

  it('expires cached answers after their TTL', async (t) => {
    let now = 1_000_000;
    const { authorize, reviews } = await setup(t, { now: () => now, tokenCacheTtlMs: 1000, allowCacheTtlMs: 5000 });
    await authorize(scrape('prometheus-token'));
    now += 1500;
    await authorize(scrape('prometheus-token'));
    assert.deepEqual(reviews(), { token: 2, sar: 1 }, 'token re-reviewed, access still cached');
    now += 5000;
    await authorize(scrape('prometheus-token'));
    assert.deepEqual(reviews(), { token: 3, sar: 2 });
  });

  it('does not cache failed review calls', async (t) => {
    const { api, authorize, reviews } = await setup(t);
    api.injectFailure({ plural: 'tokenreviews', code: 503 });
    const failed = await authorize(scrape('prometheus-token'));
    assert.ok(!failed.allowed);
    assert.equal(failed.status, 401);
    assert.match(failed.reason, /token review failed: HTTP 503/);
    api.injectFailure({ plural: 'subjectaccessreviews', code: 500 });
    const sarFailed = await authorize(scrape('prometheus-token'));
    assert.ok(!sarFailed.allowed);
    assert.equal(sarFailed.status, 403);
    assert.deepEqual(await authorize(scrape('prometheus-token')), { allowed: true });
    assert.deepEqual(reviews(), { token: 2, sar: 2 });
  });

  it('guards startMetricsServer: Prometheus with its token scrapes, others get 401/403', async (t) => {
    const { authorize, reviews } = await setup(t);
    const registry = new Registry();
    createOperatorMetrics({ registry }).recordReconcile({ resourceType: 'DynamoModel', namespace: 'n', outcome: 'success', seconds: 0.1 });
    const server = await startMetricsServer({ registry, auth: authorize, host: '127.0.0.1', requestMetrics: false });
    t.after(() => server.close());
    const get = (token?: string) => fetch(`${server.url}/metrics`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    const ok = await get('prometheus-token');
    assert.equal(ok.status, 200);
    assert.match(await ok.text(), /dynamo_operator_reconcile_total\{resource_type="DynamoModel",namespace="n",result="success"\} 1/);
    assert.equal((await get()).status, 401);
    assert.equal((await get('stolen-token')).status, 401);
    assert.equal((await get('intruder-token')).status, 403);
    assert.equal((await get('prometheus-token')).status, 200);
    assert.deepEqual(reviews(), { token: 3, sar: 2 });
  });
});
