/** TokenReview and SubjectAccessReview round trips through client-node's typed APIs. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AuthenticationV1Api, AuthorizationV1Api } from '@kubernetes/client-node';
import type { SubjectAccessReviewSpec, TokenReviewSpec } from '../src/index.js';
import { apiError, startServer, statusOf } from './helpers.js';

describe('LocalApiServer: TokenReview', () => {
  it('answers with what the test handler decides', async (t) => {
    const api = await startServer(t);
    const seen: TokenReviewSpec[] = [];
    api.onTokenReview((spec) => {
      seen.push(spec);
      return spec.token === 'good-token'
        ? {
            authenticated: true,
            user: { username: 'system:serviceaccount:monitoring:prometheus', uid: 'u-1', groups: ['system:serviceaccounts'] },
            audiences: spec.audiences ?? [],
          }
        : { authenticated: false, error: 'invalid bearer token' };
    });
    const authn = api.kubeConfig().makeApiClient(AuthenticationV1Api);

    const ok = await authn.createTokenReview({
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: 'good-token', audiences: ['metrics'] } },
    });
    assert.equal(ok.status?.authenticated, true);
    assert.equal(ok.status?.user?.username, 'system:serviceaccount:monitoring:prometheus');
    assert.deepEqual(ok.status?.user?.groups, ['system:serviceaccounts']);
    assert.deepEqual(ok.status?.audiences, ['metrics']);
    assert.equal(ok.spec.token, 'good-token');

    const bad = await authn.createTokenReview({ body: { spec: { token: 'forged' } } });
    assert.equal(bad.status?.authenticated, false);
    assert.equal(bad.status?.error, 'invalid bearer token');

    assert.deepEqual(
      seen.map((s) => s.token),
      ['good-token', 'forged'],
    );
    assert.equal(api.requests.count({ verb: 'create', plural: 'tokenreviews' }), 2);
  });

  it('denies by default and reports handler failures as 500', async (t) => {
    const api = await startServer(t);
    const authn = api.kubeConfig().makeApiClient(AuthenticationV1Api);
    const review = await authn.createTokenReview({ body: { spec: { token: 'x' } } });
    assert.equal(review.status?.authenticated, false);

    api.onTokenReview(() => {
      throw new Error('handler exploded');
    });
    const err = await apiError(authn.createTokenReview({ body: { spec: { token: 'x' } } }));
    assert.equal(err.code, 500);
    assert.match(statusOf(err).message!, /handler exploded/);
  });

  it('can be made to fail like an unavailable authenticator', async (t) => {
    const api = await startServer(t);
    api.onTokenReview(() => ({ authenticated: true }));
    api.injectFailure({ verb: 'create', plural: 'tokenreviews', code: 503 });
    const authn = api.kubeConfig().makeApiClient(AuthenticationV1Api);
    assert.equal((await apiError(authn.createTokenReview({ body: { spec: { token: 'x' } } }))).code, 503);
    assert.equal((await authn.createTokenReview({ body: { spec: { token: 'x' } } })).status?.authenticated, true);
  });
});

describe('LocalApiServer: SubjectAccessReview', () => {
  it('answers with what the test handler decides, for resource and non-resource requests', async (t) => {
    const api = await startServer(t);
    const seen: SubjectAccessReviewSpec[] = [];
    api.onSubjectAccessReview(async (spec) => {
      seen.push(spec);
      const allowed = spec.user === 'prometheus' && spec.nonResourceAttributes?.path === '/metrics' && spec.nonResourceAttributes.verb === 'get';
      return allowed ? { allowed: true, reason: 'metrics-reader binding' } : { allowed: false, denied: true, reason: 'no binding' };
    });
    const authz = api.kubeConfig().makeApiClient(AuthorizationV1Api);

    const allowed = await authz.createSubjectAccessReview({
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SubjectAccessReview',
        spec: { user: 'prometheus', groups: ['system:authenticated'], nonResourceAttributes: { path: '/metrics', verb: 'get' } },
      },
    });
    assert.equal(allowed.status?.allowed, true);
    assert.equal(allowed.status?.reason, 'metrics-reader binding');

    const denied = await authz.createSubjectAccessReview({
      body: { spec: { user: 'intruder', resourceAttributes: { verb: 'list', resource: 'pods', namespace: 'default' } } },
    });
    assert.equal(denied.status?.allowed, false);
    assert.equal(denied.status?.denied, true);
    assert.deepEqual(seen[1]?.resourceAttributes, { verb: 'list', resource: 'pods', namespace: 'default' });
  });

  it('denies by default and scopes LocalSubjectAccessReview to its namespace', async (t) => {
    const api = await startServer(t);
    const authz = api.kubeConfig().makeApiClient(AuthorizationV1Api);
    const review = await authz.createSubjectAccessReview({ body: { spec: { user: 'u', nonResourceAttributes: { path: '/metrics', verb: 'get' } } } });
    assert.equal(review.status?.allowed, false);

    let namespace: string | undefined;
    api.onSubjectAccessReview((spec) => {
      namespace = spec.resourceAttributes?.namespace;
      return { allowed: true };
    });
    const local = await authz.createNamespacedLocalSubjectAccessReview({
      namespace: 'team-a',
      body: { metadata: { namespace: 'team-a' }, spec: { user: 'u', resourceAttributes: { verb: 'get', resource: 'pods' } } },
    });
    assert.equal(local.status?.allowed, true);
    assert.equal(namespace, 'team-a');
  });
});
