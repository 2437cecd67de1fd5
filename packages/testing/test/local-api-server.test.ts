/**
 * LocalApiServer through the real @kubernetes/client-node: CRUD, the status subresource,
 * optimistic concurrency, error Statuses, discovery, kubeconfig and lifecycle.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CoreV1Api, CustomObjectsApi, KubeConfig, KubernetesObjectApi, PatchStrategy, setHeaderOptions, Watch } from '@kubernetes/client-node';
import { LocalApiServer } from '../src/index.js';
import { apiError, DGD, DGD_API_VERSION, dgd, dgdParams, startServer, statusOf, within } from './helpers.js';

const mergePatch = () => setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const jsonPatch = () => setHeaderOptions('Content-Type', PatchStrategy.JsonPatch);
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw HTTP answers are checked field by field
const json = (res: Response): Promise<any> => res.json();

describe('LocalApiServer: CRUD through CustomObjectsApi', () => {
  it('creates, gets, lists, replaces, patches and deletes a custom object', async (t) => {
    const api = await startServer(t);
    const custom = api.kubeConfig().makeApiClient(CustomObjectsApi);
    const p = dgdParams();

    const created = await custom.createNamespacedCustomObject({ ...p, body: dgd('graph-a', { replicas: 1 }, { app: 'x' }) });
    assert.equal(created.apiVersion, DGD_API_VERSION);
    assert.equal(created.kind, 'DynamoGraphDeployment');
    assert.equal(created.metadata.namespace, 'team-a');
    assert.match(created.metadata.uid, /^[0-9a-f-]{36}$/);
    assert.match(created.metadata.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(created.metadata.generation, 1);
    assert.equal(typeof created.metadata.resourceVersion, 'string');

    const got = await custom.getNamespacedCustomObject({ ...p, name: 'graph-a' });
    assert.deepEqual(got, created);

    await custom.createNamespacedCustomObject({ ...p, body: dgd('graph-b', { replicas: 2 }, { app: 'y' }) });
    const list = await custom.listNamespacedCustomObject({ ...p });
    assert.equal(list.kind, 'DynamoGraphDeploymentList');
    assert.deepEqual(
      list.items.map((o: { metadata: { name: string } }) => o.metadata.name),
      ['graph-a', 'graph-b'],
    );
    assert.equal(list.metadata.resourceVersion, api.resourceVersion);
    assert.equal(list.items[0].kind, 'DynamoGraphDeployment', 'custom resource list items keep kind');

    const byLabel = await custom.listNamespacedCustomObject({ ...p, labelSelector: 'app=y' });
    assert.deepEqual(
      byLabel.items.map((o: { metadata: { name: string } }) => o.metadata.name),
      ['graph-b'],
    );
    const bySet = await custom.listNamespacedCustomObject({ ...p, labelSelector: 'app in (x,z),!missing' });
    assert.deepEqual(
      bySet.items.map((o: { metadata: { name: string } }) => o.metadata.name),
      ['graph-a'],
    );
    const byField = await custom.listNamespacedCustomObject({ ...p, fieldSelector: 'metadata.name!=graph-a' });
    assert.deepEqual(
      byField.items.map((o: { metadata: { name: string } }) => o.metadata.name),
      ['graph-b'],
    );
    const clusterWide = await custom.listClusterCustomObject({
      group: DGD.group,
      version: DGD.version,
      plural: DGD.plural,
      fieldSelector: 'metadata.namespace=team-a',
    });
    assert.equal(clusterWide.items.length, 2);

    const replaced = await custom.replaceNamespacedCustomObject({
      ...p,
      name: 'graph-a',
      body: { ...got, spec: { replicas: 3 } },
    });
    assert.deepEqual(replaced.spec, { replicas: 3 });
    assert.equal(replaced.metadata.generation, 2, 'a spec change bumps generation');
    assert.ok(Number(replaced.metadata.resourceVersion) > Number(created.metadata.resourceVersion));

    const merged = await custom.patchNamespacedCustomObject({ ...p, name: 'graph-a', body: { metadata: { labels: { tier: 'gold' } } } }, mergePatch());
    assert.deepEqual(merged.metadata.labels, { app: 'x', tier: 'gold' });
    assert.equal(merged.metadata.generation, 2, 'a metadata-only change keeps generation');

    const jsonPatched = await custom.patchNamespacedCustomObject(
      {
        ...p,
        name: 'graph-a',
        body: [
          { op: 'replace', path: '/spec/replicas', value: 5 },
          { op: 'add', path: '/spec/tags', value: ['a'] },
        ],
      },
      jsonPatch(),
    );
    assert.deepEqual(jsonPatched.spec, { replicas: 5, tags: ['a'] });

    const failedTest = await apiError(
      custom.patchNamespacedCustomObject({ ...p, name: 'graph-a', body: [{ op: 'test', path: '/spec/replicas', value: 99 }] }, jsonPatch()),
    );
    assert.equal(failedTest.code, 422);

    const deleted = await custom.deleteNamespacedCustomObject({ ...p, name: 'graph-a' });
    assert.equal(deleted.kind, 'Status');
    assert.equal(deleted.status, 'Success');
    assert.equal(deleted.details.name, 'graph-a');
    const gone = await apiError(custom.getNamespacedCustomObject({ ...p, name: 'graph-a' }));
    assert.equal(gone.code, 404);
  });

  it('fills in generateName and rejects objects without a name', async (t) => {
    const api = await startServer(t);
    const custom = api.kubeConfig().makeApiClient(CustomObjectsApi);
    const body = { apiVersion: DGD_API_VERSION, kind: DGD.kind, metadata: { generateName: 'worker-' }, spec: {} };
    const a = await custom.createNamespacedCustomObject({ ...dgdParams(), body });
    const b = await custom.createNamespacedCustomObject({ ...dgdParams(), body });
    assert.match(a.metadata.name, /^worker-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.notEqual(a.metadata.name, b.metadata.name);

    const err = await apiError(custom.createNamespacedCustomObject({ ...dgdParams(), body: { apiVersion: DGD_API_VERSION, kind: DGD.kind, metadata: {} } }));
    assert.equal(err.code, 422);
    assert.equal(statusOf(err).reason, 'Invalid');
  });

  it('rejects custom resource bodies without kind or with the wrong apiVersion, like the real server', async (t) => {
    const api = await startServer(t);
    const custom = api.kubeConfig().makeApiClient(CustomObjectsApi);
    const noKind = await apiError(custom.createNamespacedCustomObject({ ...dgdParams(), body: { metadata: { name: 'x' } } }));
    assert.equal(noKind.code, 400);
    assert.match(statusOf(noKind).message!, /Kind' is missing/);
    const wrongVersion = await apiError(custom.createNamespacedCustomObject({ ...dgdParams(), body: { ...dgd('x'), apiVersion: 'nvidia.com/v1' } }));
    assert.equal(wrongVersion.code, 400);
  });

  it('honours dryRun=All without persisting', async (t) => {
    const api = await startServer(t);
    const custom = api.kubeConfig().makeApiClient(CustomObjectsApi);
    const rv = api.resourceVersion;
    const result = await custom.createNamespacedCustomObject({ ...dgdParams(), body: dgd('dry'), dryRun: 'All' });
    assert.equal(result.metadata.name, 'dry');
    assert.equal(api.resourceVersion, rv);
    assert.equal((await apiError(custom.getNamespacedCustomObject({ ...dgdParams(), name: 'dry' }))).code, 404);
  });

  it('pages lists with limit and continue', async (t) => {
    const api = await startServer(t);
    const custom = api.kubeConfig().makeApiClient(CustomObjectsApi);
    for (const name of ['a', 'b', 'c']) await custom.createNamespacedCustomObject({ ...dgdParams(), body: dgd(name) });
    const page1 = await custom.listNamespacedCustomObject({ ...dgdParams(), limit: 2 });
    assert.deepEqual(
      page1.items.map((o: { metadata: { name: string } }) => o.metadata.name),
      ['a', 'b'],
    );
    assert.equal(page1.metadata.remainingItemCount, 1);
    const page2 = await custom.listNamespacedCustomObject({ ...dgdParams(), limit: 2, _continue: page1.metadata.continue });
    assert.deepEqual(
      page2.items.map((o: { metadata: { name: string } }) => o.metadata.name),
      ['c'],
    );
    assert.equal(page2.metadata.continue, undefined);
  });
});

describe('LocalApiServer: status subresource', () => {
  it('drops status on create, ignores it on update, and changes only status through /status', async (t) => {
    const api = await startServer(t);
    const custom = api.kubeConfig().makeApiClient(CustomObjectsApi);
    const p = dgdParams();
    const created = await custom.createNamespacedCustomObject({ ...p, body: { ...dgd('g', { replicas: 1 }), status: { phase: 'Ready' } } });
    assert.equal(created.status, undefined, 'status is not settable on create');

    const withStatus = await custom.replaceNamespacedCustomObjectStatus({
      ...p,
      name: 'g',
      body: { ...created, spec: { replicas: 42 }, metadata: { ...created.metadata, labels: { sneaky: 'yes' } }, status: { phase: 'Ready' } },
    });
    assert.deepEqual(withStatus.status, { phase: 'Ready' });
    assert.deepEqual(withStatus.spec, { replicas: 1 }, 'a status write ignores spec');
    assert.equal(withStatus.metadata.labels, undefined, 'a status write ignores metadata');
    assert.equal(withStatus.metadata.generation, 1, 'status changes do not bump generation');

    const updated = await custom.replaceNamespacedCustomObject({
      ...p,
      name: 'g',
      body: { ...withStatus, spec: { replicas: 2 }, status: { phase: 'Broken' } },
    });
    assert.deepEqual(updated.status, { phase: 'Ready' }, 'a main-resource update ignores status');
    assert.deepEqual(updated.spec, { replicas: 2 });
    assert.equal(updated.metadata.generation, 2);

    const patched = await custom.patchNamespacedCustomObjectStatus(
      { ...p, name: 'g', body: { status: { phase: 'Degraded', observedGeneration: 2 }, spec: { replicas: 9 } } },
      mergePatch(),
    );
    assert.deepEqual(patched.status, { phase: 'Degraded', observedGeneration: 2 });
    assert.deepEqual(patched.spec, { replicas: 2 });

    const mainPatch = await custom.patchNamespacedCustomObject({ ...p, name: 'g', body: { status: { phase: 'X' } } }, mergePatch());
    assert.deepEqual(mainPatch.status, { phase: 'Degraded', observedGeneration: 2 });
    assert.equal(mainPatch.metadata.resourceVersion, patched.metadata.resourceVersion, 'an ignored change is a no-op write');
  });

  it('answers 404 for /status on resources without the subresource', async (t) => {
    const api = await startServer(t, {
      resources: [{ group: 'example.com', version: 'v1', plural: 'plain', kind: 'Plain', namespaced: true, statusSubresource: false }],
    });
    const custom = api.kubeConfig().makeApiClient(CustomObjectsApi);
    const p = { group: 'example.com', version: 'v1', plural: 'plain', namespace: 'default' };
    const created = await custom.createNamespacedCustomObject({
      ...p,
      body: { apiVersion: 'example.com/v1', kind: 'Plain', metadata: { name: 'p' }, status: { s: 1 } },
    });
    assert.deepEqual(created.status, { s: 1 }, 'without the subresource, status is ordinary content');
    const err = await apiError(custom.getNamespacedCustomObjectStatus({ ...p, name: 'p' }));
    assert.equal(err.code, 404);
  });
});

describe('LocalApiServer: optimistic concurrency', () => {
  it('answers 409 Conflict to an update or patch with a stale resourceVersion', async (t) => {
    const api = await startServer(t);
    const custom = api.kubeConfig().makeApiClient(CustomObjectsApi);
    const p = dgdParams();
    const v1 = await custom.createNamespacedCustomObject({ ...p, body: dgd('g', { replicas: 1 }) });
    await custom.replaceNamespacedCustomObject({ ...p, name: 'g', body: { ...v1, spec: { replicas: 2 } } });

    const stale = await apiError(custom.replaceNamespacedCustomObject({ ...p, name: 'g', body: { ...v1, spec: { replicas: 3 } } }));
    assert.equal(stale.code, 409);
    const status = statusOf(stale);
    assert.equal(status.reason, 'Conflict');
    assert.match(status.message!, /the object has been modified/);
    assert.deepEqual(status.details, { name: 'g', group: 'nvidia.com', kind: 'dynamographdeployments' });

    const stalePatch = await apiError(
      custom.patchNamespacedCustomObject(
        { ...p, name: 'g', body: { metadata: { resourceVersion: v1.metadata.resourceVersion }, spec: { replicas: 4 } } },
        mergePatch(),
      ),
    );
    assert.equal(stalePatch.code, 409);
    const current = await custom.getNamespacedCustomObject({ ...p, name: 'g' });
    assert.deepEqual(current.spec, { replicas: 2 }, 'rejected writes change nothing');
  });

  it('requires a resourceVersion on custom resource PUTs (422), but not on built-in kinds', async (t) => {
    const api = await startServer(t);
    const kc = api.kubeConfig();
    const custom = kc.makeApiClient(CustomObjectsApi);
    await custom.createNamespacedCustomObject({ ...dgdParams(), body: dgd('g') });
    const err = await apiError(custom.replaceNamespacedCustomObject({ ...dgdParams(), name: 'g', body: dgd('g', { replicas: 2 }) }));
    assert.equal(err.code, 422);

    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'cm' }, data: { a: '1' } } });
    const replaced = await core.replaceNamespacedConfigMap({ namespace: 'default', name: 'cm', body: { metadata: { name: 'cm' }, data: { a: '2' } } });
    assert.deepEqual(replaced.data, { a: '2' });
  });

  it('does not bump resourceVersion for an update that changes nothing', async (t) => {
    const api = await startServer(t);
    const custom = api.kubeConfig().makeApiClient(CustomObjectsApi);
    const created = await custom.createNamespacedCustomObject({ ...dgdParams(), body: dgd('g', { replicas: 1 }) });
    const rv = api.resourceVersion;
    const same = await custom.replaceNamespacedCustomObject({ ...dgdParams(), name: 'g', body: created });
    assert.equal(same.metadata.resourceVersion, created.metadata.resourceVersion);
    assert.equal(api.resourceVersion, rv);
  });
});

describe('LocalApiServer: error Statuses through ApiException', () => {
  it('gives 404 NotFound and 409 AlreadyExists as raw Status text in ApiException.body', async (t) => {
    const api = await startServer(t);
    const custom = api.kubeConfig().makeApiClient(CustomObjectsApi);
    const missing = await apiError(custom.getNamespacedCustomObject({ ...dgdParams(), name: 'nope' }));
    assert.equal(missing.code, 404);
    assert.equal(typeof missing.body, 'string');
    assert.deepEqual(statusOf(missing), {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'dynamographdeployments.nvidia.com "nope" not found',
      reason: 'NotFound',
      details: { name: 'nope', group: 'nvidia.com', kind: 'dynamographdeployments' },
      code: 404,
    });

    await custom.createNamespacedCustomObject({ ...dgdParams(), body: dgd('dup') });
    const dup = await apiError(custom.createNamespacedCustomObject({ ...dgdParams(), body: dgd('dup') }));
    assert.equal(dup.code, 409);
    assert.equal(statusOf(dup).reason, 'AlreadyExists');
    assert.equal(statusOf(dup).message, 'dynamographdeployments.nvidia.com "dup" already exists');
  });

  it('answers 404 for unknown resources and paths', async (t) => {
    const api = await startServer(t);
    const custom = api.kubeConfig().makeApiClient(CustomObjectsApi);
    const err = await apiError(custom.listNamespacedCustomObject({ group: 'nvidia.com', version: 'v1alpha1', namespace: 'x', plural: 'unknowns' }));
    assert.equal(err.code, 404);
    const res = await fetch(`${api.url}/not/a/kube/path`);
    assert.equal(res.status, 404);
    assert.equal((await json(res)).kind, 'Status');
  });

  it('answers malformed bodies and unsupported patch types with a Status and keeps serving', async (t) => {
    const api = await startServer(t);
    const base = `${api.url}/apis/nvidia.com/v1alpha1/namespaces/team-a/dynamographdeployments`;
    const post = (body: string) => fetch(base, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });

    for (const body of ['{"metadata": {', '[1,2]', '"str"', 'null']) {
      const res = await post(body);
      assert.equal(res.status, 400, `body ${body}`);
      const status = await json(res);
      assert.equal(status.kind, 'Status');
      assert.equal(status.reason, 'BadRequest');
    }
    const bad = await post(JSON.stringify({ ...dgd('ok'), metadata: 'nope' }));
    assert.equal(bad.status, 400);

    assert.equal((await post(JSON.stringify(dgd('ok')))).status, 201);
    const patch = await fetch(`${base}/ok`, { method: 'PATCH', headers: { 'Content-Type': 'text/plain' }, body: '{}' });
    assert.equal(patch.status, 415);
    const badJsonPatch = await fetch(`${base}/ok`, { method: 'PATCH', headers: { 'Content-Type': 'application/json-patch+json' }, body: '{"spec":{}}' });
    assert.equal(badJsonPatch.status, 400, 'a merge-style body sent as a JSON patch is rejected, as client-node users must set Content-Type');
    const badSelector = await fetch(`${base}?labelSelector=${encodeURIComponent('a in (b')}`);
    assert.equal(badSelector.status, 400);
    const badField = await fetch(`${base}?fieldSelector=spec.replicas%3D1`);
    assert.equal(badField.status, 400);
    assert.match((await json(badField)).message, /field label not supported: spec.replicas/);
    assert.equal((await fetch(`${base}/ok`)).status, 200, 'the server is still up');
  });
});

describe('LocalApiServer: built-in kinds, finalizers and discovery', () => {
  it('serves core kinds through CoreV1Api and lists namespaces that objects live in', async (t) => {
    const api = await startServer(t);
    const core = api.kubeConfig().makeApiClient(CoreV1Api);
    const pod = await core.createNamespacedPod({
      namespace: 'apps',
      body: { metadata: { name: 'p1' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
    });
    assert.equal(pod.metadata?.namespace, 'apps');
    await core.createNamespacedPersistentVolumeClaim({ namespace: 'apps', body: { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'] } } });
    await core.createNamespacedEvent({ namespace: 'apps', body: { metadata: { name: 'e1' }, involvedObject: { kind: 'Pod', name: 'p1' }, reason: 'Started' } });

    const namespaces = await core.listNamespace();
    assert.deepEqual(
      namespaces.items.map((n) => n.metadata?.name),
      ['apps', 'default', 'kube-system'],
    );
    assert.equal(namespaces.items[0]!.status?.phase, 'Active');

    const pods = await core.listPodForAllNamespaces();
    assert.deepEqual(
      pods.items.map((p) => p.metadata?.name),
      ['p1'],
    );
    const events = await core.listNamespacedEvent({ namespace: 'apps', fieldSelector: 'involvedObject.name=p1,reason=Started' });
    assert.equal(events.items.length, 1);

    const deleted = await core.deleteNamespacedPod({ namespace: 'apps', name: 'p1' });
    assert.equal(deleted.kind, 'Pod', 'pods answer a delete with the object');
    assert.equal(deleted.metadata?.name, 'p1');
  });

  it('omits kind/apiVersion on built-in list items, like typed lists from the real server', async (t) => {
    const api = await startServer(t);
    const res = await fetch(`${api.url}/api/v1/namespaces`);
    const list = await json(res);
    assert.equal(list.kind, 'NamespaceList');
    assert.equal(list.items[0].kind, undefined);
  });

  it('defers deletion while finalizers remain and completes it when they are removed', async (t) => {
    const api = await startServer(t);
    const custom = api.kubeConfig().makeApiClient(CustomObjectsApi);
    const p = dgdParams();
    await custom.createNamespacedCustomObject({ ...p, body: { ...dgd('f'), metadata: { name: 'f', finalizers: ['example.com/cleanup'] } } });
    const marked = await custom.deleteNamespacedCustomObject({ ...p, name: 'f' });
    assert.equal(marked.kind, 'DynamoGraphDeployment', 'a deferred delete returns the object');
    assert.match(marked.metadata.deletionTimestamp, /Z$/);
    const stillThere = await custom.getNamespacedCustomObject({ ...p, name: 'f' });
    assert.ok(stillThere.metadata.deletionTimestamp);

    await custom.patchNamespacedCustomObject({ ...p, name: 'f', body: { metadata: { finalizers: null } } }, mergePatch());
    assert.equal((await apiError(custom.getNamespacedCustomObject({ ...p, name: 'f' }))).code, 404);
  });

  it('lets KubernetesObjectApi resolve kinds through discovery', async (t) => {
    const api = await startServer(t);
    const objects = KubernetesObjectApi.makeApiClient(api.kubeConfig());
    const spec = { apiVersion: DGD_API_VERSION, kind: DGD.kind, metadata: { name: 'k', namespace: 'team-b' }, spec: { replicas: 1 } };
    await objects.create(spec);
    const read = await objects.read({ apiVersion: DGD_API_VERSION, kind: DGD.kind, metadata: { name: 'k', namespace: 'team-b' } });
    assert.deepEqual((read as unknown as { spec: unknown }).spec, { replicas: 1 });
    const patched = await objects.patch({ ...spec, spec: { replicas: 2 } });
    assert.deepEqual((patched as unknown as { spec: unknown }).spec, { replicas: 2 });
    const cm = await objects.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'team-b' } });
    assert.equal(cm.metadata?.name, 'c');
    const list = await objects.list(DGD_API_VERSION, DGD.kind, 'team-b');
    assert.equal(list.items.length, 1);
    assert.ok(api.requests.count({ verb: 'discovery' }) >= 2, 'resource metadata came from discovery');

    const apis = await json(await fetch(`${api.url}/apis`));
    const groups = apis.groups.map((g: { name: string }) => g.name);
    assert.ok(groups.includes('nvidia.com') && groups.includes('authentication.k8s.io'));
    const resources = await json(await fetch(`${api.url}/apis/nvidia.com/v1alpha1`));
    assert.deepEqual(
      resources.resources.map((r: { name: string }) => r.name),
      ['dynamographdeployments', 'dynamographdeployments/status'],
    );
  });

  it('serves a resource defined after start, at a second version too', async (t) => {
    const api = await startServer(t);
    const custom = api.kubeConfig().makeApiClient(CustomObjectsApi);
    api.defineResource({ group: 'example.com', version: 'v1', plural: 'widgets', kind: 'Widget', namespaced: false });
    api.defineResource({ group: 'example.com', version: 'v2', plural: 'widgets', kind: 'Widget', namespaced: false });
    await custom.createClusterCustomObject({
      group: 'example.com',
      version: 'v1',
      plural: 'widgets',
      body: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } },
    });
    const v2 = await custom.getClusterCustomObject({ group: 'example.com', version: 'v2', plural: 'widgets', name: 'w' });
    assert.equal(v2.apiVersion, 'example.com/v2');
    assert.throws(() => api.defineResource({ group: 'example.com', version: 'v3', plural: 'widgets', kind: 'Gadget', namespaced: false }), /already defined/);
  });

  it('seeds and reads state directly, bypassing HTTP', async (t) => {
    const api = await startServer(t);
    api.createObject({ apiVersion: DGD_API_VERSION, kind: DGD.kind, metadata: { name: 'seed', namespace: 'team-a' }, spec: {} });
    const custom = api.kubeConfig().makeApiClient(CustomObjectsApi);
    const got = await custom.getNamespacedCustomObject({ ...dgdParams(), name: 'seed' });
    api.updateObject({ ...got, status: { phase: 'Ready' } }, { subresource: 'status' });
    assert.deepEqual(api.getObject({ apiVersion: DGD_API_VERSION, kind: DGD.kind, namespace: 'team-a', name: 'seed' })?.status, { phase: 'Ready' });
    assert.equal(api.listObjects(DGD_API_VERSION, DGD.kind).length, 1);
    assert.equal(api.requests.count({ verb: 'get' }), 1, 'direct access is not logged');
  });
});

describe('LocalApiServer: kubeconfig, auth and lifecycle', () => {
  it('writes a kubeconfig file client-node can load', async (t) => {
    const api = await startServer(t);
    const dir = await mkdtemp(join(tmpdir(), 'promkit-kubeconfig-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const path = await api.writeKubeconfig(join(dir, 'config'), { namespace: 'team-a' });
    const kc = new KubeConfig();
    kc.loadFromFile(path);
    assert.equal(kc.getCurrentCluster()?.server, api.url);
    assert.equal(kc.getContextObject(kc.getCurrentContext())?.namespace, 'team-a');
    const ns = await kc.makeApiClient(CoreV1Api).readNamespace({ name: 'default' });
    assert.equal(ns.metadata?.name, 'default');
  });

  it('requires the bearer token when configured, and the kubeconfig carries it', async (t) => {
    const api = await startServer(t, { token: 's3cret' });
    const ok = await api.kubeConfig().makeApiClient(CoreV1Api).listNamespace();
    assert.ok(ok.items.length > 0);
    const res = await fetch(`${api.url}/api/v1/namespaces`);
    assert.equal(res.status, 401);
    assert.equal((await json(res)).reason, 'Unauthorized');
    assert.equal((await fetch(`${api.url}/healthz`)).status, 200);
  });

  it('close() ends open watches and frees the port', async () => {
    const api = new LocalApiServer({ resources: [DGD] });
    await api.start();
    const port = api.port;
    const kc = api.kubeConfig();
    let doneWith: unknown = 'not called';
    let watchEnded!: () => void;
    const done = new Promise<void>((resolve) => (watchEnded = resolve));
    // Watch.watch resolves once the server has answered 200, i.e. the stream is open.
    await new Watch(kc).watch(
      '/api/v1/namespaces',
      {},
      () => {},
      (err) => {
        doneWith = err;
        watchEnded();
      },
    );
    assert.equal(api.openWatches, 1);
    await within(api.close(), 2000, 'close()');
    await within(done, 2000, 'the watch to end');
    assert.equal(doneWith, null, 'the watch ended cleanly');

    const refused = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.on('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
    });
    assert.equal(refused, 'ECONNREFUSED');
    const reuse = createServer();
    await new Promise<void>((resolve, reject) => {
      reuse.once('error', reject);
      reuse.listen(port, '127.0.0.1', () => resolve());
    });
    await new Promise<void>((resolve) => reuse.close(() => resolve()));
    await api.close();
  });
});

describe('LocalApiServer: robustness', () => {
  it('answers 413 past the 3 MiB body limit and 405 for unsupported methods', async (t) => {
    const api = await startServer(t);
    const base = `${api.url}/apis/nvidia.com/v1alpha1/namespaces/team-a/dynamographdeployments`;
    const huge = JSON.stringify({ ...dgd('big'), spec: { blob: 'x'.repeat(3 * 1024 * 1024 + 10) } });
    const tooLarge = await fetch(base, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: huge });
    assert.equal(tooLarge.status, 413);
    assert.equal((await json(tooLarge)).reason, 'RequestEntityTooLarge');
    const options = await fetch(base, { method: 'OPTIONS' });
    assert.equal(options.status, 405);
    const postToName = await fetch(`${base}/x`, { method: 'POST', body: JSON.stringify(dgd('x')) });
    assert.equal(postToName.status, 405);
  });

  it('survives clients that disconnect mid-request and keeps serving', async (t) => {
    const api = await startServer(t);
    await new Promise<void>((resolve) => {
      const req = request(`${api.url}/apis/nvidia.com/v1alpha1/namespaces/team-a/dynamographdeployments`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Content-Length': '1000' },
      });
      req.on('error', () => resolve());
      req.write('{"apiVersion": "nvidia.com/v1alpha1", ');
      // Only part of the promised body is sent before the client gives up.
      setImmediate(() => {
        req.destroy();
        resolve();
      });
    });
    const custom = api.kubeConfig().makeApiClient(CustomObjectsApi);
    assert.equal((await custom.createNamespacedCustomObject({ ...dgdParams(), body: dgd('after') })).metadata.name, 'after');
    assert.equal(api.listObjects(DGD_API_VERSION, DGD.kind).length, 1);
  });

  it('records every request with its verb and answer status', async (t) => {
    const api = await startServer(t);
    const custom = api.kubeConfig().makeApiClient(CustomObjectsApi);
    await custom.createNamespacedCustomObject({ ...dgdParams(), body: dgd('a') });
    await custom.getNamespacedCustomObject({ ...dgdParams(), name: 'a' });
    await apiError(custom.getNamespacedCustomObject({ ...dgdParams(), name: 'b' }));
    assert.deepEqual(api.requests.countsByVerb(), { create: 1, get: 2 });
    assert.deepEqual(
      api.requests.all.map((r) => [r.method, r.verb, r.name ?? '', r.status]),
      [
        ['POST', 'create', '', 201],
        ['GET', 'get', 'a', 200],
        ['GET', 'get', 'b', 404],
      ],
    );
    api.requests.clear();
    assert.equal(api.requests.count(), 0);
  });
});
