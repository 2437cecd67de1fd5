/**
 * The twelve error_type values from real client-node errors: each case makes a real call
 * against LocalApiServer fail (a real conflict, a real missing object, or an injected
 * Status), passes it through an instrumented reconcile, and reads the counter.
 */
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { ApiException, CustomObjectsApi } from '@kubernetes/client-node';
import { Registry } from 'promkit';
import { classifyError, createOperatorMetrics, ERROR_TYPES, type ErrorType } from '../src/index.js';
import { buildKubeConfig, type LocalApiServer } from '@promkit/testing';
import { timeoutOptions } from '../../testing/test/helpers.js';
import { DGD, object, params, sample, startApi } from './helpers.js';

type Call = (custom: CustomObjectsApi, api: LocalApiServer) => Promise<unknown>;

interface Case {
  expected: ErrorType;
  what: string;
  setup?: (custom: CustomObjectsApi, api: LocalApiServer) => Promise<void> | void;
  call: Call;
  /** The client to use, when not the server's own kubeconfig. */
  client?: (api: LocalApiServer) => CustomObjectsApi;
  /** Expected HTTP code of the ApiException; undefined for network-level failures. */
  code?: number;
  serverOptions?: { token?: string };
}

const ns = 'team-a';
const get =
  (name: string): Call =>
  (custom) =>
    custom.getNamespacedCustomObject({ ...params(DGD, ns), name });
const create =
  (name: string): Call =>
  (custom) =>
    custom.createNamespacedCustomObject({ ...params(DGD, ns), body: object(DGD, ns, name) });

const CASES: Case[] = [
  { expected: 'not_found', what: 'get of a missing object (404 NotFound)', call: get('missing'), code: 404 },
  {
    expected: 'already_exists',
    what: 'second create of one name (409 AlreadyExists)',
    setup: async (custom) => void (await create('twice')(custom, undefined as never)),
    call: create('twice'),
    code: 409,
  },
  {
    expected: 'conflict',
    what: 'update with a stale resourceVersion (409 Conflict)',
    setup: async (custom) => {
      const first = (await create('stale')(custom, undefined as never)) as { metadata: Record<string, unknown> };
      await custom.replaceNamespacedCustomObject({ ...params(DGD, ns), name: 'stale', body: { ...first, spec: { v: 2 } } });
      staleBody = first;
    },
    call: (custom) => custom.replaceNamespacedCustomObject({ ...params(DGD, ns), name: 'stale', body: { ...staleBody, spec: { v: 3 } } }),
    code: 409,
  },
  {
    expected: 'validation',
    what: 'create without a name (422 Invalid)',
    call: (custom) => custom.createNamespacedCustomObject({ ...params(DGD, ns), body: { apiVersion: 'nvidia.com/v1alpha1', kind: DGD.kind, metadata: {} } }),
    code: 422,
  },
  {
    expected: 'bad_request',
    what: 'create with a mismatched kind (400 BadRequest)',
    call: (custom) => custom.createNamespacedCustomObject({ ...params(DGD, ns), body: { ...object(DGD, ns, 'x'), kind: 'Other' } }),
    code: 400,
  },
  {
    expected: 'unauthorized',
    what: 'a wrong bearer token (401, ApiException without a body)',
    serverOptions: { token: 'right-token' },
    client: (api) => buildKubeConfig({ server: api.url, token: 'wrong-token' }).makeApiClient(CustomObjectsApi),
    call: get('any'),
    code: 401,
  },
  { expected: 'forbidden', what: '403 Forbidden', setup: (_c, api) => void api.injectFailure({ verb: 'get', code: 403 }), call: get('x'), code: 403 },
  { expected: 'timeout', what: '504 Timeout', setup: (_c, api) => void api.injectFailure({ verb: 'get', code: 504 }), call: get('x'), code: 504 },
  {
    expected: 'server_timeout',
    what: '500 with reason ServerTimeout',
    setup: (_c, api) =>
      void api.injectFailure({
        verb: 'get',
        code: 500,
        reason: 'ServerTimeout',
        message: 'the server cannot complete the requested operation at this time, try again later',
      }),
    call: get('x'),
    code: 500,
  },
  {
    expected: 'unavailable',
    what: '503 ServiceUnavailable',
    setup: (_c, api) => void api.injectFailure({ verb: 'get', code: 503 }),
    call: get('x'),
    code: 503,
  },
  { expected: 'rate_limited', what: '429 TooManyRequests', setup: (_c, api) => void api.injectFailure({ verb: 'get', code: 429 }), call: get('x'), code: 429 },
  { expected: 'internal', what: '500 InternalError', setup: (_c, api) => void api.injectFailure({ verb: 'get', code: 500 }), call: get('x'), code: 500 },
  {
    expected: 'unavailable',
    what: 'connection refused (server closed)',
    setup: async (_c, api) => api.close(),
    call: get('x'),
  },
  {
    expected: 'timeout',
    what: 'an injected delay cut short by AbortSignal.timeout',
    setup: (_c, api) => void api.injectFailure({ verb: 'get', delayMs: 5000 }),
    call: (custom) => custom.getNamespacedCustomObject({ ...params(DGD, ns), name: 'x' }, timeoutOptions(100)),
  },
];

let staleBody: Record<string, unknown> = {};

async function runCase(t: TestContext, c: Case): Promise<void> {
  const api = await startApi(t, c.serverOptions ?? {});
  const custom = c.client ? c.client(api) : api.kubeConfig().makeApiClient(CustomObjectsApi);
  await c.setup?.(api.kubeConfig().makeApiClient(CustomObjectsApi), api);
  const registry = new Registry();
  const kit = createOperatorMetrics({ registry });
  let thrown: unknown;
  const reconcile = kit.instrumentReconcile('DynamoGraphDeployment', async (_obj: { metadata: { namespace: string } }) => c.call(custom, api));
  await assert.rejects(
    reconcile({ metadata: { namespace: ns } }).catch((err: unknown) => {
      thrown = err;
      throw err;
    }),
  );
  if (c.code !== undefined) {
    assert.ok(thrown instanceof ApiException, `expected an ApiException, got ${String(thrown)}`);
    assert.equal(thrown.code, c.code);
  } else {
    assert.ok(!(thrown instanceof ApiException), 'a network-level failure, not an HTTP answer');
  }
  const labels = { resource_type: 'DynamoGraphDeployment', namespace: ns };
  assert.equal(await sample(registry, 'dynamo_operator_reconcile_errors_total', { ...labels, error_type: c.expected }), 1, `${c.what} → ${c.expected}`);
  assert.equal(await sample(registry, 'dynamo_operator_reconcile_total', { ...labels, result: 'error' }), 1);
  for (const other of ERROR_TYPES.filter((e) => e !== c.expected)) {
    assert.equal(await sample(registry, 'dynamo_operator_reconcile_errors_total', { ...labels, error_type: other }), undefined, `not also ${other}`);
  }
}

describe('error taxonomy through LocalApiServer', () => {
  for (const c of CASES) it(`${c.what} → ${c.expected}`, (t) => runCase(t, c));

  it('covers all twelve error types', () => {
    assert.deepEqual(new Set(CASES.map((c) => c.expected)), new Set(ERROR_TYPES));
  });
});

describe('classifyError on other shapes', () => {
  const status = (code: number, reason?: string) =>
    JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, ...(reason ? { reason } : {}) });

  it('prefers the Status reason over the HTTP code', () => {
    assert.equal(classifyError(new ApiException(500, 'x', status(500, 'ServerTimeout'), {})), 'server_timeout');
    assert.equal(classifyError(new ApiException(409, 'x', status(409, 'AlreadyExists'), {})), 'already_exists');
    assert.equal(classifyError(new ApiException(409, 'x', status(409, 'Conflict'), {})), 'conflict');
  });

  it('falls back to the HTTP code when the body is empty, not JSON, or has no reason', () => {
    assert.equal(classifyError(new ApiException(404, 'x', '', {})), 'not_found');
    assert.equal(classifyError(new ApiException(503, 'x', '<html>bad gateway</html>', {})), 'unavailable');
    assert.equal(classifyError(new ApiException(422, 'x', undefined, {})), 'validation');
    assert.equal(classifyError(new ApiException(429, 'x', status(429), {})), 'rate_limited');
    assert.equal(classifyError(new ApiException(418, 'x', '{not json', {})), 'bad_request');
    assert.equal(classifyError(new ApiException(599, 'x', '', {})), 'internal');
  });

  it('reads parsed Status bodies (2.x, 0.x HttpError), bare Status objects and watch errors', () => {
    assert.equal(classifyError({ code: 403, body: { kind: 'Status', reason: 'Forbidden', code: 403 } }), 'forbidden');
    assert.equal(classifyError({ response: { statusCode: 404 }, body: { reason: 'NotFound' }, statusCode: 404 }), 'not_found');
    assert.equal(classifyError({ kind: 'Status', status: 'Failure', reason: 'Invalid', code: 422 }), 'validation');
    assert.equal(classifyError(Object.assign(new Error('Gateway Timeout'), { statusCode: 504 })), 'timeout');
    assert.equal(classifyError({ response: { status: 401 } }), 'unauthorized');
  });

  it('maps network errors and follows cause chains', () => {
    assert.equal(classifyError(Object.assign(new Error('connect'), { code: 'ECONNRESET' })), 'unavailable');
    assert.equal(classifyError(new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'UND_ERR_CONNECT_TIMEOUT' }) })), 'timeout');
    assert.equal(classifyError(new DOMException('signal timed out', 'TimeoutError')), 'timeout');
    assert.equal(classifyError(new Error('wrapped', { cause: new ApiException(403, 'x', status(403, 'Forbidden'), {}) })), 'forbidden');
    assert.equal(classifyError(new AggregateError([Object.assign(new Error('a'), { code: 'ECONNREFUSED' })])), 'unavailable');
  });

  it('answers internal for unknown errors and never throws', () => {
    const cyclic: { cause?: unknown } = {};
    cyclic.cause = cyclic;
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new Error('boom');
        },
      },
    );
    for (const err of [undefined, null, 42, 'text', new Error('plain'), new TypeError('bug'), cyclic, hostile, { code: 'EWHATEVER' }]) {
      assert.equal(classifyError(err), 'internal');
    }
  });
});
