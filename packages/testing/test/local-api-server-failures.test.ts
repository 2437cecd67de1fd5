/**
 * Injected failures and delays, observed through the real client-node: codes, reasons,
 * Retry-After, counts, cancellation, client-side timeouts and watch failures.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CustomObjectsApi, Watch } from '@kubernetes/client-node';
import { LocalApiServer } from '../src/index.js';
import { apiError, DGD, dgd, dgdParams, Recorder, startServer, statusOf, timeoutOptions, within } from './helpers.js';

const PATH = `/apis/${DGD.group}/${DGD.version}/namespaces/team-a/${DGD.plural}`;

describe('LocalApiServer: injected failures', () => {
  it('fails the next `times` matching requests, then serves normally', async (t) => {
    const api = await startServer(t);
    const custom = api.kubeConfig().makeApiClient(CustomObjectsApi);
    await custom.createNamespacedCustomObject({ ...dgdParams(), body: dgd('a') });
    await custom.createNamespacedCustomObject({ ...dgdParams(), body: dgd('b') });
    const handle = api.injectFailure({ verb: 'get', plural: DGD.plural, name: 'a', code: 500, times: 2 });

    assert.equal((await custom.getNamespacedCustomObject({ ...dgdParams(), name: 'b' })).metadata.name, 'b', 'other names are unaffected');
    for (let i = 0; i < 2; i++) {
      const err = await apiError(custom.getNamespacedCustomObject({ ...dgdParams(), name: 'a' }));
      assert.equal(err.code, 500);
      assert.equal(statusOf(err).reason, 'InternalError');
    }
    assert.equal(handle.hits, 2);
    assert.equal(handle.remaining, 0);
    assert.equal((await custom.getNamespacedCustomObject({ ...dgdParams(), name: 'a' })).metadata.name, 'a');
    assert.equal(api.requests.count({ verb: 'get', name: 'a', status: 500 }), 2);
    assert.equal(api.requests.filter({ verb: 'get', name: 'a' }).filter((r) => r.injected).length, 2);
  });

  it('answers 429 with Retry-After and details.retryAfterSeconds', async (t) => {
    const api = await startServer(t);
    const custom = api.kubeConfig().makeApiClient(CustomObjectsApi);
    api.injectFailure({ verb: 'list', code: 429, retryAfterSeconds: 7 });
    const err = await apiError(custom.listNamespacedCustomObject({ ...dgdParams() }));
    assert.equal(err.code, 429);
    assert.equal(err.headers['retry-after'], '7');
    const status = statusOf(err);
    assert.equal(status.reason, 'TooManyRequests');
    assert.equal(status.details?.retryAfterSeconds, 7);
  });

  it('uses the given reason and message, e.g. a Conflict on update or a Timeout', async (t) => {
    const api = await startServer(t);
    const custom = api.kubeConfig().makeApiClient(CustomObjectsApi);
    const created = await custom.createNamespacedCustomObject({ ...dgdParams(), body: dgd('a') });
    api.injectFailure({ verb: 'update', namespace: 'team-a', code: 409, reason: 'Conflict', message: 'someone else won' });
    const conflict = await apiError(custom.replaceNamespacedCustomObject({ ...dgdParams(), name: 'a', body: created }));
    assert.equal(conflict.code, 409);
    assert.deepEqual([statusOf(conflict).reason, statusOf(conflict).message], ['Conflict', 'someone else won']);

    api.injectFailure({ verb: 'get', code: 504 });
    const timeout = await apiError(custom.getNamespacedCustomObject({ ...dgdParams(), name: 'a' }));
    assert.equal(timeout.code, 504);
    assert.equal(statusOf(timeout).reason, 'Timeout');
  });

  it('targets status writes by subresource', async (t) => {
    const api = await startServer(t);
    const custom = api.kubeConfig().makeApiClient(CustomObjectsApi);
    const created = await custom.createNamespacedCustomObject({ ...dgdParams(), body: dgd('a') });
    api.injectFailure({ verb: 'update', subresource: 'status', code: 503 });
    const updated = await custom.replaceNamespacedCustomObject({ ...dgdParams(), name: 'a', body: { ...created, spec: { r: 1 } } });
    const err = await apiError(custom.replaceNamespacedCustomObjectStatus({ ...dgdParams(), name: 'a', body: { ...updated, status: { ok: true } } }));
    assert.equal(err.code, 503);
  });

  it('stops failing once cancelled, and validates its spec', async (t) => {
    const api = await startServer(t);
    const custom = api.kubeConfig().makeApiClient(CustomObjectsApi);
    const handle = api.injectFailure({ verb: 'list', code: 500, times: Infinity });
    assert.equal((await apiError(custom.listNamespacedCustomObject({ ...dgdParams() }))).code, 500);
    handle.cancel();
    assert.equal((await custom.listNamespacedCustomObject({ ...dgdParams() })).items.length, 0);
    assert.throws(() => api.injectFailure({ code: 500, times: 0 }), /times must be > 0/);
    assert.throws(() => api.injectFailure({ code: 200 }), /400-599/);
    assert.throws(() => api.injectFailure({ verb: 'get' }), /code, a delayMs, or both/);
  });

  it('delays a request and then serves it when only delayMs is given', async (t) => {
    const api = await startServer(t);
    const custom = api.kubeConfig().makeApiClient(CustomObjectsApi);
    api.injectFailure({ verb: 'create', delayMs: 300 });
    const started = performance.now();
    const created = await custom.createNamespacedCustomObject({ ...dgdParams(), body: dgd('slow') });
    assert.ok(performance.now() - started >= 290, 'the answer waited for the delay');
    assert.equal(created.metadata.name, 'slow');
  });

  it('lets a client time out on a hung request without harming the server', async (t) => {
    const api = await startServer(t);
    const custom = api.kubeConfig().makeApiClient(CustomObjectsApi);
    await custom.createNamespacedCustomObject({ ...dgdParams(), body: dgd('a') });
    api.injectFailure({ verb: 'get', name: 'a', delayMs: 10_000, code: 504, reason: 'Timeout' });
    const started = performance.now();
    await assert.rejects(custom.getNamespacedCustomObject({ ...dgdParams(), name: 'a' }, timeoutOptions(200)), (err: Error) => err.name === 'AbortError');
    assert.ok(performance.now() - started < 2000, 'the client gave up at its own timeout');
    assert.equal((await custom.getNamespacedCustomObject({ ...dgdParams(), name: 'a' })).metadata.name, 'a');
  });

  it('cancels pending delays on close()', async () => {
    const api = new LocalApiServer({ resources: [DGD] });
    await api.start();
    const custom = api.kubeConfig().makeApiClient(CustomObjectsApi);
    api.injectFailure({ verb: 'list', delayMs: 30_000 });
    const pending = custom.listNamespacedCustomObject({ ...dgdParams() }).then(
      () => 'resolved',
      () => 'rejected',
    );
    await api.requests.waitFor({ verb: 'list' });
    await within(api.close(), 2000, 'close() with a delayed request pending');
    assert.equal(await within(pending, 2000, 'the delayed request to end'), 'rejected');
  });

  it('fails watches with an HTTP status, or with an ERROR event in the stream', async (t) => {
    const api = await startServer(t);
    const kc = api.kubeConfig();
    api.injectFailure({ verb: 'watch', code: 500 });
    const httpErr = await new Promise<unknown>((resolve) => {
      void new Watch(kc).watch(PATH, {}, () => {}, resolve);
    });
    assert.equal((httpErr as { statusCode?: number }).statusCode, 500);

    api.injectFailure({ verb: 'watch', code: 410, asWatchEvent: true });
    const events = new Recorder<{ type: string; obj: { code?: number } }>();
    const ended = await new Promise<unknown>((resolve) => {
      void new Watch(kc).watch(PATH, {}, (type, obj) => events.push({ type, obj }), resolve);
    });
    assert.equal(ended, null);
    assert.deepEqual(
      events.items.map((e) => [e.type, e.obj.code]),
      [['ERROR', 410]],
    );
  });

  it('breaks open watches with failWatches()', async (t) => {
    const api = await startServer(t);
    const events = new Recorder<{ type: string; obj: { code?: number; reason?: string } }>();
    let ended!: (err: unknown) => void;
    const done = new Promise<unknown>((resolve) => (ended = resolve));
    await new Watch(api.kubeConfig()).watch(
      PATH,
      {},
      (type, obj) => events.push({ type, obj }),
      (err) => ended(err),
    );
    api.failWatches(500, 'InternalError', 'etcd went away');
    assert.equal(await within(done, 2000, 'the watch to end'), null);
    assert.deepEqual(
      events.items.map((e) => [e.type, e.obj.code, e.obj.reason]),
      [['ERROR', 500, 'InternalError']],
    );
  });
});
