/**
 * The inventory gauge kept by a real client-node informer against LocalApiServer: creates,
 * status changes, deletes, zeroed pairs, relists after 410, and restarts after errors.
 */
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { CustomObjectsApi, makeInformer, type KubernetesListObject, type KubernetesObject } from '@kubernetes/client-node';
import { Registry } from 'promkit';
import { createOperatorMetrics, dynamoStatusOf, type InventoryTracker, type OperatorMetrics } from '../src/index.js';
import type { LocalApiServer, ResourceDefinition } from '@promkit/testing';
import { API_VERSION, DCD, DGD, DGDR, DGDSA, DM, eventually, object, params, sample, startApi } from './helpers.js';

const GAUGE = 'dynamo_operator_resources_total';

function track(
  t: TestContext,
  api: LocalApiServer,
  kit: OperatorMetrics,
  resource: ResourceDefinition,
  extra: { backoff?: { initialMs: number; maxMs: number } } = {},
): InventoryTracker {
  const custom = api.kubeConfig().makeApiClient(CustomObjectsApi);
  const tracker = kit.trackInventory({
    kubeConfig: api.kubeConfig(),
    path: `/apis/${resource.group}/${resource.version}/${resource.plural}`,
    listFn: () =>
      custom.listClusterCustomObject({ group: resource.group, version: resource.version, plural: resource.plural }) as Promise<
        KubernetesListObject<KubernetesObject>
      >,
    kind: resource.kind,
    backoff: extra.backoff ?? { initialMs: 20, maxMs: 200 },
  });
  t.after(() => tracker.stop());
  return tracker;
}

async function setStatus(api: LocalApiServer, resource: ResourceDefinition, namespace: string, name: string, status: unknown): Promise<void> {
  const current = api.getObject({ apiVersion: API_VERSION, kind: resource.kind, namespace, name });
  assert.ok(current, `${name} exists`);
  api.updateObject({ ...current, status }, { subresource: 'status' });
}

function expectCount(registry: Registry, kind: string, namespace: string, status: string, count: number | undefined): Promise<void> {
  let last: number | undefined;
  return eventually(async () => {
    last = await sample(registry, GAUGE, { resource_type: kind, namespace, status });
    return last === count;
  }, `${kind} ${namespace}/${status} = ${count} (last ${last})`);
}

describe('trackInventory', () => {
  it('follows creates, status changes and deletes, and zeroes emptied pairs', async (t) => {
    const api = await startApi(t);
    const custom = api.kubeConfig().makeApiClient(CustomObjectsApi);
    const registry = new Registry();
    const kit = createOperatorMetrics({ registry });
    await custom.createNamespacedCustomObject({ ...params(DGD, 'team-a'), body: object(DGD, 'team-a', 'a') });
    const tracker = track(t, api, kit, DGD);
    await tracker.started;
    await expectCount(registry, DGD.kind, 'team-a', 'unknown', 1);
    assert.equal(await sample(registry, 'dynamo_operator_inventory_synced', { resource_type: DGD.kind }), 1);

    await custom.createNamespacedCustomObject({ ...params(DGD, 'team-a'), body: object(DGD, 'team-a', 'b') });
    await custom.createNamespacedCustomObject({ ...params(DGD, 'team-b'), body: object(DGD, 'team-b', 'c') });
    await expectCount(registry, DGD.kind, 'team-a', 'unknown', 2);
    await expectCount(registry, DGD.kind, 'team-b', 'unknown', 1);

    await setStatus(api, DGD, 'team-a', 'a', { state: 'successful' });
    await setStatus(api, DGD, 'team-a', 'b', { state: 'pending' });
    await expectCount(registry, DGD.kind, 'team-a', 'successful', 1);
    await expectCount(registry, DGD.kind, 'team-a', 'pending', 1);
    await expectCount(registry, DGD.kind, 'team-a', 'unknown', 0);

    await setStatus(api, DGD, 'team-a', 'b', { state: 'failed' });
    await expectCount(registry, DGD.kind, 'team-a', 'failed', 1);
    await expectCount(registry, DGD.kind, 'team-a', 'pending', 0);

    await custom.deleteNamespacedCustomObject({ ...params(DGD, 'team-b'), name: 'c' });
    await expectCount(registry, DGD.kind, 'team-b', 'unknown', 0);
    assert.deepEqual(
      tracker
        .counts()
        .filter((c) => c.count > 0)
        .sort((x, y) => x.status.localeCompare(y.status)),
      [
        { namespace: 'team-a', status: 'failed', count: 1 },
        { namespace: 'team-a', status: 'successful', count: 1 },
      ],
    );
    assert.equal(tracker.errors, 0);
  });

  it('uses the spec states of each Dynamo kind', async (t) => {
    const api = await startApi(t);
    const custom = api.kubeConfig().makeApiClient(CustomObjectsApi);
    const registry = new Registry();
    const kit = createOperatorMetrics({ registry });
    const ready = (value: string) => ({ conditions: [{ type: 'Ready', status: value, reason: 'r', message: '' }] });
    const seeds: Array<[ResourceDefinition, unknown, string]> = [
      [DGDR, { state: 'Profiling' }, 'Profiling'],
      [DGDR, { state: 'DeploymentDeleted' }, 'DeploymentDeleted'],
      [DCD, ready('True'), 'ready'],
      [DCD, ready('False'), 'not_ready'],
      [DM, ready('Unknown'), 'not_ready'],
      [DM, { conditions: [] }, 'unknown'],
      [DGDSA, ready('True'), 'ready'],
      [DGD, { state: 'weird' }, 'unknown'],
    ];
    let i = 0;
    for (const [resource, status] of seeds) {
      const name = `o${i++}`;
      await custom.createNamespacedCustomObject({ ...params(resource, 'team-a'), body: object(resource, 'team-a', name) });
      await setStatus(api, resource, 'team-a', name, status);
    }
    const trackers = [DGD, DCD, DM, DGDR, DGDSA].map((r) => track(t, api, kit, r));
    await Promise.all(trackers.map((tr) => tr.started));
    for (const [resource, , expected] of seeds) {
      const n = seeds.filter(([r, , e]) => r === resource && e === expected).length;
      await expectCount(registry, resource.kind, 'team-a', expected, n);
    }
    assert.equal(dynamoStatusOf('DynamoGraphDeployment')({ status: { state: 'Successful' } }), 'successful');
    assert.equal(dynamoStatusOf('DynamoGraphDeployment')(null), 'unknown');
  });

  it('does not double-count when a 410 Expired forces a relist', async (t) => {
    const api = await startApi(t);
    const custom = api.kubeConfig().makeApiClient(CustomObjectsApi);
    const registry = new Registry();
    const kit = createOperatorMetrics({ registry });
    await custom.createNamespacedCustomObject({ ...params(DGD, 'team-a'), body: object(DGD, 'team-a', 'keep') });
    await custom.createNamespacedCustomObject({ ...params(DGD, 'team-a'), body: object(DGD, 'team-a', 'drop') });
    const tracker = track(t, api, kit, DGD);
    await tracker.started;
    await expectCount(registry, DGD.kind, 'team-a', 'unknown', 2);

    const seq = api.requests.lastSeq;
    api.compactHistory();
    await api.requests.waitFor({ verb: 'list', plural: DGD.plural }, { afterSeq: seq, timeoutMs: 3000 });
    await api.requests.waitFor({ verb: 'watch', plural: DGD.plural }, { afterSeq: seq, timeoutMs: 3000 });
    assert.equal(await sample(registry, GAUGE, { resource_type: DGD.kind, namespace: 'team-a', status: 'unknown' }), 2);

    // A change missed while stopped is found by the relist after the history expired.
    await tracker.informer.stop();
    await custom.deleteNamespacedCustomObject({ ...params(DGD, 'team-a'), name: 'drop' });
    await custom.createNamespacedCustomObject({ ...params(DGD, 'team-b'), body: object(DGD, 'team-b', 'fresh') });
    api.compactHistory();
    await tracker.informer.start();
    await expectCount(registry, DGD.kind, 'team-a', 'unknown', 1);
    await expectCount(registry, DGD.kind, 'team-b', 'unknown', 1);
    assert.equal(tracker.errors, 0);
  });

  it('ignores replayed adds, as informers that rebuild their cache on relist emit them', async () => {
    // client-node 1.x keeps its cache across a relist and stays quiet about unchanged
    // objects; an informer that starts from an empty cache re-emits 'add' for every object.
    const handlers = new Map<string, Array<(o: KubernetesObject) => void>>();
    const informer = {
      on: (verb: string, cb: (o: KubernetesObject) => void) => void handlers.set(verb, [...(handlers.get(verb) ?? []), cb]),
      off: () => undefined,
      start: async () => undefined,
      stop: async () => undefined,
    };
    const emit = (verb: string, o: KubernetesObject) =>
      handlers.get(verb)?.forEach((cb) => {
        cb(o);
      });
    const registry = new Registry();
    const tracker = createOperatorMetrics({ registry }).trackInventory({ informer, kind: DGD.kind });
    await tracker.started;
    const dgd = (name: string, state?: string) => ({ ...object(DGD, 'team-a', name), ...(state ? { status: { state } } : {}) });
    for (let relist = 0; relist < 3; relist++) {
      emit('add', dgd('a', 'pending'));
      emit('add', dgd('b'));
    }
    assert.equal(await sample(registry, GAUGE, { resource_type: DGD.kind, namespace: 'team-a', status: 'pending' }), 1);
    assert.equal(await sample(registry, GAUGE, { resource_type: DGD.kind, namespace: 'team-a', status: 'unknown' }), 1);
    emit('delete', dgd('a', 'pending'));
    emit('delete', dgd('a', 'pending'));
    assert.equal(await sample(registry, GAUGE, { resource_type: DGD.kind, namespace: 'team-a', status: 'pending' }), 0);
    await tracker.stop();
  });

  it('attaches to an informer the operator already runs, seeding from its cache', async (t) => {
    const api = await startApi(t);
    const custom = api.kubeConfig().makeApiClient(CustomObjectsApi);
    await custom.createNamespacedCustomObject({ ...params(DCD, 'team-b'), body: object(DCD, 'team-b', 'early') });
    const g = { group: DCD.group, version: DCD.version, plural: DCD.plural };
    const informer = makeInformer(
      api.kubeConfig(),
      `/apis/${g.group}/${g.version}/${g.plural}`,
      () => custom.listClusterCustomObject(g) as Promise<KubernetesListObject<KubernetesObject>>,
    );
    await informer.start();
    t.after(() => informer.stop());
    const registry = new Registry();
    const tracker = createOperatorMetrics({ registry }).trackInventory({ informer, kind: DCD.kind, start: false });
    t.after(() => tracker.stop());
    assert.equal(await sample(registry, GAUGE, { resource_type: DCD.kind, namespace: 'team-b', status: 'unknown' }), 1, 'seeded from the cache');
    await setStatus(api, DCD, 'team-b', 'early', { conditions: [{ type: 'Ready', status: 'True' }] });
    await expectCount(registry, DCD.kind, 'team-b', 'ready', 1);
    await expectCount(registry, DCD.kind, 'team-b', 'unknown', 0);
  });

  it('counts informer errors and restarts with backoff until the list succeeds', async (t) => {
    const api = await startApi(t);
    const custom = api.kubeConfig().makeApiClient(CustomObjectsApi);
    const registry = new Registry();
    const kit = createOperatorMetrics({ registry });
    await custom.createNamespacedCustomObject({ ...params(DGD, 'team-a'), body: object(DGD, 'team-a', 'x') });
    api.injectFailure({ verb: 'list', plural: DGD.plural, code: 500, times: 3 });
    const tracker = track(t, api, kit, DGD);
    await eventually(async () => (await sample(registry, 'dynamo_operator_inventory_errors_total', { resource_type: DGD.kind })) === 3, '3 counted errors');
    await tracker.started;
    await expectCount(registry, DGD.kind, 'team-a', 'unknown', 1);
    assert.equal(await sample(registry, 'dynamo_operator_inventory_synced', { resource_type: DGD.kind }), 1);
    assert.equal(api.requests.count({ verb: 'list', plural: DGD.plural }), 4);

    // A watch that fails later: the re-watch is refused, the tracker restarts the informer.
    api.injectFailure({ verb: 'watch', plural: DGD.plural, code: 503 });
    api.closeWatches();
    await eventually(() => tracker.errors === 4, 'the watch error counted');
    await eventually(async () => (await sample(registry, 'dynamo_operator_inventory_synced', { resource_type: DGD.kind })) === 1, 'synced again');
    await custom.createNamespacedCustomObject({ ...params(DGD, 'team-a'), body: object(DGD, 'team-a', 'y') });
    await expectCount(registry, DGD.kind, 'team-a', 'unknown', 2);
  });

  it('reports synced 0 while the API server is unreachable', async (t) => {
    const api = await startApi(t);
    const registry = new Registry();
    const kit = createOperatorMetrics({ registry });
    const tracker = track(t, api, kit, DGD, { backoff: { initialMs: 50, maxMs: 100 } });
    await tracker.started;
    await api.close();
    await eventually(async () => (await sample(registry, 'dynamo_operator_inventory_synced', { resource_type: DGD.kind })) === 0, 'synced 0');
    const errors = tracker.errors;
    await eventually(() => tracker.errors >= errors + 2, 'repeated restart attempts, each counted');
  });
});
