/**
 * LocalApiServer watches through client-node's Watch and makeInformer: event streams,
 * selectors, bookmarks, timeouts, and the 410 Expired → relist path.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CustomObjectsApi, makeInformer, PatchStrategy, setHeaderOptions, Watch, type KubernetesObject } from '@kubernetes/client-node';
import type { LocalApiServer } from '../src/index.js';
import { DGD, dgd, dgdParams, Recorder, startServer, within } from './helpers.js';

const PATH = `/apis/${DGD.group}/${DGD.version}/namespaces/team-a/${DGD.plural}`;
const mergePatch = () => setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

interface Seen {
  type: string;
  name?: string;
  rv?: string;
  obj: Record<string, unknown> & { metadata?: { name?: string; resourceVersion?: string }; code?: number; reason?: string };
}

/** Opens a Watch and records its events; `done` settles with the done-callback's argument. */
async function openWatch(api: LocalApiServer, path: string, query: Record<string, string | number | boolean>) {
  const events = new Recorder<Seen>();
  let finish!: (err: unknown) => void;
  const done = new Promise<unknown>((resolve) => (finish = resolve));
  const controller = await new Watch(api.kubeConfig()).watch(
    path,
    query,
    (type, obj) => events.push({ type, name: obj?.metadata?.name, rv: obj?.metadata?.resourceVersion, obj }),
    (err) => finish(err),
  );
  return { events, done, controller };
}

function names(items: readonly KubernetesObject[]): string[] {
  return items.map((o) => o.metadata!.name!).sort();
}

describe('LocalApiServer: watch', () => {
  it('streams ADDED for existing objects, then MODIFIED and DELETED as they change', async (t) => {
    const api = await startServer(t);
    const custom = api.kubeConfig().makeApiClient(CustomObjectsApi);
    await custom.createNamespacedCustomObject({ ...dgdParams(), body: dgd('before') });
    const { events, controller } = await openWatch(api, PATH, {});
    t.after(() => controller.abort());

    await events.waitFor((e) => e.type === 'ADDED' && e.name === 'before', 'ADDED before');
    const created = await custom.createNamespacedCustomObject({ ...dgdParams(), body: dgd('after') });
    const added = await events.waitFor((e) => e.type === 'ADDED' && e.name === 'after', 'ADDED after');
    assert.equal(added.rv, created.metadata.resourceVersion);
    assert.equal(added.obj.kind, DGD.kind, 'watch objects carry kind');

    await custom.patchNamespacedCustomObject({ ...dgdParams(), name: 'after', body: { spec: { replicas: 2 } } }, mergePatch());
    const modified = await events.waitFor((e) => e.type === 'MODIFIED' && e.name === 'after', 'MODIFIED after');
    assert.deepEqual(modified.obj.spec, { replicas: 2 });

    await custom.deleteNamespacedCustomObject({ ...dgdParams(), name: 'after' });
    const deleted = await events.waitFor((e) => e.type === 'DELETED' && e.name === 'after', 'DELETED after');
    assert.ok(Number(deleted.rv) > Number(modified.rv), 'the DELETED event carries the deletion resourceVersion');

    await custom.createNamespacedCustomObject({ ...dgdParams('team-b'), body: dgd('elsewhere') });
    await custom.createNamespacedCustomObject({ ...dgdParams(), body: dgd('last') });
    await events.waitFor((e) => e.name === 'last', 'ADDED last');
    assert.ok(!events.items.some((e) => e.name === 'elsewhere'), 'a namespaced watch sees only its namespace');
    assert.deepEqual(
      events.items.map((e) => `${e.type} ${e.name}`),
      ['ADDED before', 'ADDED after', 'MODIFIED after', 'DELETED after', 'ADDED last'],
    );
  });

  it('replays changes after a resourceVersion and applies label selectors as the real server does', async (t) => {
    const api = await startServer(t);
    const custom = api.kubeConfig().makeApiClient(CustomObjectsApi);
    await custom.createNamespacedCustomObject({ ...dgdParams(), body: dgd('a', {}, { role: 'web' }) });
    const list = await custom.listNamespacedCustomObject({ ...dgdParams() });
    await custom.createNamespacedCustomObject({ ...dgdParams(), body: dgd('b', {}, { role: 'web' }) });
    await custom.createNamespacedCustomObject({ ...dgdParams(), body: dgd('c', {}, { role: 'db' }) });

    const { events, controller } = await openWatch(api, PATH, { resourceVersion: list.metadata.resourceVersion, labelSelector: 'role=web' });
    t.after(() => controller.abort());
    await events.waitFor((e) => e.name === 'b', 'replayed ADDED b');
    assert.deepEqual(
      events.items.map((e) => `${e.type} ${e.name}`),
      ['ADDED b'],
      'only changes after the resourceVersion, only matching labels',
    );

    // Leaving the selector looks like a delete; entering it looks like a create.
    await custom.patchNamespacedCustomObject({ ...dgdParams(), name: 'b', body: { metadata: { labels: { role: 'db' } } } }, mergePatch());
    await events.waitFor((e) => e.type === 'DELETED' && e.name === 'b', 'b leaving the selector');
    await custom.patchNamespacedCustomObject({ ...dgdParams(), name: 'c', body: { metadata: { labels: { role: 'web' } } } }, mergePatch());
    await events.waitFor((e) => e.type === 'ADDED' && e.name === 'c', 'c entering the selector');
  });

  it('sends BOOKMARK events only to watches that allow them', async (t) => {
    const api = await startServer(t);
    const withBookmarks = await openWatch(api, PATH, { allowWatchBookmarks: true, resourceVersion: api.resourceVersion });
    const without = await openWatch(api, PATH, { resourceVersion: api.resourceVersion });
    t.after(() => {
      withBookmarks.controller.abort();
      without.controller.abort();
    });
    api.sendBookmarks();
    const bookmark = await withBookmarks.events.waitFor((e) => e.type === 'BOOKMARK', 'a BOOKMARK');
    assert.equal(bookmark.rv, api.resourceVersion);
    assert.equal(bookmark.obj.kind, DGD.kind);
    // A change after the bookmark reaches both; by then the other watch would have had the bookmark.
    const custom = api.kubeConfig().makeApiClient(CustomObjectsApi);
    await custom.createNamespacedCustomObject({ ...dgdParams(), body: dgd('x') });
    await without.events.waitFor((e) => e.name === 'x', 'ADDED x');
    assert.ok(!without.events.items.some((e) => e.type === 'BOOKMARK'));
  });

  it('sends periodic bookmarks at bookmarkIntervalMs', async (t) => {
    const api = await startServer(t, { bookmarkIntervalMs: 50 });
    const w = await openWatch(api, PATH, { allowWatchBookmarks: true });
    t.after(() => w.controller.abort());
    await w.events.waitFor((e) => e.type === 'BOOKMARK', 'a periodic BOOKMARK', 2000);
  });

  it('ends the stream after timeoutSeconds', async (t) => {
    const api = await startServer(t);
    const started = Date.now();
    const w = await openWatch(api, PATH, { timeoutSeconds: 1 });
    assert.equal(await within(w.done, 3000, 'the watch to time out'), null);
    assert.ok(Date.now() - started >= 900, 'not before the timeout');
    assert.equal(api.openWatches, 0);
  });

  it('answers a watch from a compacted resourceVersion with an ERROR 410 Expired event', async (t) => {
    const api = await startServer(t);
    const custom = api.kubeConfig().makeApiClient(CustomObjectsApi);
    const rv = (await custom.listNamespacedCustomObject({ ...dgdParams() })).metadata.resourceVersion;
    await custom.createNamespacedCustomObject({ ...dgdParams(), body: dgd('x') });
    api.compactHistory();

    const stale = await openWatch(api, PATH, { resourceVersion: rv });
    assert.equal(await within(stale.done, 2000, 'the expired watch to close'), null);
    assert.equal(stale.events.items.length, 1);
    const [error] = stale.events.items;
    assert.equal(error!.type, 'ERROR');
    assert.equal(error!.obj.kind, 'Status');
    assert.equal(error!.obj.code, 410);
    assert.equal(error!.obj.reason, 'Expired');

    const fresh = await openWatch(api, PATH, { resourceVersion: api.resourceVersion });
    t.after(() => fresh.controller.abort());
    await custom.createNamespacedCustomObject({ ...dgdParams(), body: dgd('y') });
    await fresh.events.waitFor((e) => e.type === 'ADDED' && e.name === 'y', 'ADDED y on a current watch');
  });

  it('expires resourceVersions that fall out of a small history', async (t) => {
    const api = await startServer(t, { historyLimit: 2 });
    const custom = api.kubeConfig().makeApiClient(CustomObjectsApi);
    const rv = api.resourceVersion;
    for (const name of ['a', 'b', 'c']) await custom.createNamespacedCustomObject({ ...dgdParams(), body: dgd(name) });
    const w = await openWatch(api, PATH, { resourceVersion: rv });
    await within(w.done, 2000, 'the watch to close');
    assert.equal(w.events.items[0]?.obj.code, 410);
  });
});

describe('LocalApiServer: informers', () => {
  async function startInformer(t: import('node:test').TestContext, api: LocalApiServer) {
    const kc = api.kubeConfig();
    const custom = kc.makeApiClient(CustomObjectsApi);
    let lists = 0;
    const informer = makeInformer<KubernetesObject>(kc, PATH, () => {
      lists += 1;
      return custom.listNamespacedCustomObject({ ...dgdParams() });
    });
    const events = new Recorder<{ type: string; name: string; obj: KubernetesObject }>();
    const errors: unknown[] = [];
    for (const type of ['add', 'update', 'delete'] as const) {
      informer.on(type, (obj) => events.push({ type, name: obj.metadata!.name!, obj }));
    }
    informer.on('error', (err) => errors.push(err));
    await informer.start();
    t.after(() => informer.stop());
    return { informer, events, errors, custom, lists: () => lists };
  }

  /** Errors other than the AbortError client-node reports when an informer is stopped. */
  function realErrors(errors: unknown[]): unknown[] {
    return errors.filter((e) => (e as { name?: string }).name !== 'AbortError');
  }

  it('sees adds, updates and deletes through makeInformer', async (t) => {
    const api = await startServer(t);
    api.createObject({ ...dgd('existing'), metadata: { name: 'existing', namespace: 'team-a' } });
    const { informer, events, errors, custom, lists } = await startInformer(t, api);
    await events.waitFor((e) => e.type === 'add' && e.name === 'existing', 'add from the initial list');

    await custom.createNamespacedCustomObject({ ...dgdParams(), body: dgd('new') });
    await events.waitFor((e) => e.type === 'add' && e.name === 'new', 'add of a created object');
    await custom.patchNamespacedCustomObject({ ...dgdParams(), name: 'new', body: { spec: { replicas: 3 } } }, mergePatch());
    const update = await events.waitFor((e) => e.type === 'update' && e.name === 'new', 'update');
    assert.deepEqual((update.obj as unknown as { spec: unknown }).spec, { replicas: 3 });
    await custom.deleteNamespacedCustomObject({ ...dgdParams(), name: 'existing' });
    await events.waitFor((e) => e.type === 'delete' && e.name === 'existing', 'delete');

    assert.deepEqual(names(informer.list('team-a')), ['new']);
    assert.equal(lists(), 1, 'no relist without an expiry');
    assert.equal(api.requests.count({ verb: 'watch', plural: DGD.plural }), 1);
    assert.deepEqual(realErrors(errors), []);
  });

  it('relists after resuming from an expired resourceVersion, reporting what changed meanwhile', async (t) => {
    const api = await startServer(t);
    const { informer, events, errors, custom, lists } = await startInformer(t, api);
    await custom.createNamespacedCustomObject({ ...dgdParams(), body: dgd('keep') });
    await custom.createNamespacedCustomObject({ ...dgdParams(), body: dgd('drop') });
    await events.waitFor((e) => e.type === 'add' && e.name === 'drop', 'add drop');

    await informer.stop();
    await custom.deleteNamespacedCustomObject({ ...dgdParams(), name: 'drop' });
    await custom.createNamespacedCustomObject({ ...dgdParams(), body: dgd('fresh') });
    api.compactHistory();
    const seq = api.requests.lastSeq;
    await informer.start();

    await events.waitFor((e) => e.type === 'delete' && e.name === 'drop', 'delete found by the relist');
    await events.waitFor((e) => e.type === 'add' && e.name === 'fresh', 'add found by the relist');
    assert.equal(lists(), 2);
    const resumed = await api.requests.waitFor({ verb: 'watch' }, { afterSeq: seq });
    assert.notEqual(resumed.query.resourceVersion, api.resourceVersion, 'the first watch resumed from the old version');
    assert.deepEqual(names(informer.list('team-a')), ['fresh', 'keep']);
    assert.deepEqual(realErrors(errors), []);
  });

  it('relists when compaction expires an open watch', async (t) => {
    const api = await startServer(t);
    const { events, errors, custom, lists } = await startInformer(t, api);
    const seq = api.requests.lastSeq;
    api.compactHistory();
    await api.requests.waitFor({ verb: 'list', plural: DGD.plural }, { afterSeq: seq });
    await api.requests.waitFor({ verb: 'watch', plural: DGD.plural }, { afterSeq: seq });
    assert.equal(lists(), 2);
    await custom.createNamespacedCustomObject({ ...dgdParams(), body: dgd('after-relist') });
    await events.waitFor((e) => e.type === 'add' && e.name === 'after-relist', 'events after the relist');
    assert.deepEqual(realErrors(errors), []);
  });

  it('re-watches from its last resourceVersion when the server closes watches', async (t) => {
    const api = await startServer(t);
    const { events, custom, lists } = await startInformer(t, api);
    const seq = api.requests.lastSeq;
    api.closeWatches();
    const rewatch = await api.requests.waitFor({ verb: 'watch' }, { afterSeq: seq });
    assert.equal(rewatch.query.resourceVersion, api.resourceVersion);
    await custom.createNamespacedCustomObject({ ...dgdParams(), body: dgd('z') });
    await events.waitFor((e) => e.name === 'z', 'add after re-watch');
    assert.equal(lists(), 1, 'a clean close needs no relist');
  });
});
