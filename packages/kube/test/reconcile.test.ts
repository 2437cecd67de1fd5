/** The reconcile wrapper: results, durations, namespaces, pass-through, prefixes, sharing. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CustomObjectsApi } from '@kubernetes/client-node';
import { Registry } from 'promkit';
import { createOperatorMetrics, nameOfTarget, namespaceOfTarget, outcomeOfResult } from '../src/index.js';
import { DGD, object, params, sample, startApi } from './helpers.js';

const KIND = 'DynamoGraphDeployment';
const total = (registry: Registry, namespace: string, result: string, prefix = 'dynamo_operator') =>
  sample(registry, `${prefix}_reconcile_total`, { resource_type: KIND, namespace, result });

describe('instrumentReconcile', () => {
  it('counts success, requeue and error against objects read from LocalApiServer', async (t) => {
    const api = await startApi(t);
    const custom = api.kubeConfig().makeApiClient(CustomObjectsApi);
    await custom.createNamespacedCustomObject({ ...params(DGD, 'team-a'), body: object(DGD, 'team-a', 'ok', { mode: 'done' }) });
    await custom.createNamespacedCustomObject({ ...params(DGD, 'team-a'), body: object(DGD, 'team-a', 'wait', { mode: 'later' }) });
    await custom.createNamespacedCustomObject({ ...params(DGD, 'team-b'), body: object(DGD, 'team-b', 'again', { mode: 'again' }) });
    const registry = new Registry();
    const kit = createOperatorMetrics({ registry });

    type Dgd = { metadata: { name: string; namespace: string }; spec: { mode: string } };
    const reconcile = kit.instrumentReconcile(KIND, async (dgd: Dgd) => {
      if (dgd.spec.mode === 'later') return { requeueAfter: 5000 };
      if (dgd.spec.mode === 'again') return { requeue: true };
      // A real API call that fails: the dependent object does not exist.
      if (dgd.metadata.name === 'gone') await custom.getNamespacedCustomObject({ ...params(DGD, dgd.metadata.namespace), name: 'nope' });
      return {};
    });
    const list = (await custom.listClusterCustomObject({ group: DGD.group, version: DGD.version, plural: DGD.plural })) as { items: Dgd[] };
    const results = [];
    for (const item of list.items) results.push(await reconcile(item));
    assert.deepEqual(results.map(outcomeOfResult).sort(), ['requeue', 'requeue', 'success']);
    await assert.rejects(reconcile({ metadata: { name: 'gone', namespace: 'team-b' }, spec: { mode: 'done' } }), /HTTP-Code: 404/);

    assert.equal(await total(registry, 'team-a', 'success'), 1);
    assert.equal(await total(registry, 'team-a', 'requeue'), 1);
    assert.equal(await total(registry, 'team-b', 'requeue'), 1);
    assert.equal(await total(registry, 'team-b', 'error'), 1);
    assert.equal(await total(registry, 'team-a', 'error'), undefined);
    assert.equal(await sample(registry, 'dynamo_operator_reconcile_errors_total', { resource_type: KIND, namespace: 'team-b', error_type: 'not_found' }), 1);
    assert.equal(
      await sample(registry, 'dynamo_operator_reconcile_duration_seconds', { resource_type: KIND, namespace: 'team-b', result: 'error' }, '_count'),
      1,
    );
    assert.equal(
      await sample(registry, 'dynamo_operator_reconcile_duration_seconds', { resource_type: KIND, namespace: 'team-a', result: 'success' }, '_count'),
      1,
    );
  });

  it('measures the duration and returns what the reconcile returned', async () => {
    const registry = new Registry();
    const kit = createOperatorMetrics({ registry });
    const marker = { requeueAfter: 1, extra: 'kept' };
    const reconcile = kit.instrumentReconcile(KIND, async (_req: { namespace: string; name: string }) => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      return marker;
    });
    assert.equal(await reconcile({ namespace: 'ns1', name: 'a' }), marker);
    const sum = await sample(registry, 'dynamo_operator_reconcile_duration_seconds', { resource_type: KIND, namespace: 'ns1', result: 'requeue' }, '_sum');
    assert.ok(sum !== undefined && sum >= 0.025 && sum < 5, `duration ${sum}`);
  });

  it('treats zero or missing requeueAfter and non-objects as success', () => {
    for (const r of [undefined, null, 5, 'x', {}, { requeue: false }, { requeueAfter: 0 }, { requeueAfter: -1 }])
      assert.equal(outcomeOfResult(r), 'success', JSON.stringify(r));
    assert.equal(outcomeOfResult({ requeue: true }), 'requeue');
    assert.equal(outcomeOfResult({ requeueAfter: 10 }), 'requeue');
  });

  it('reads the namespace from objects, requests and cache keys, or a namespaceOf option', async () => {
    assert.equal(namespaceOfTarget({ metadata: { namespace: 'a' } }), 'a');
    assert.equal(namespaceOfTarget({ namespace: 'b', name: 'x' }), 'b');
    assert.equal(namespaceOfTarget('c/x'), 'c');
    assert.equal(namespaceOfTarget('cluster-scoped'), '');
    assert.equal(namespaceOfTarget(undefined), '');
    const registry = new Registry();
    const kit = createOperatorMetrics({ registry });
    const reconcile = kit.instrumentReconcile(KIND, (_id: number) => undefined, { namespaceOf: (id) => `ns-${id}` });
    await reconcile(7);
    assert.equal(await total(registry, 'ns-7', 'success'), 1);
  });

  it('reads the name from objects, requests and cache keys (cluster-scoped keys are the name)', () => {
    assert.equal(nameOfTarget({ metadata: { namespace: 'a', name: 'obj' } }), 'obj');
    assert.equal(nameOfTarget({ namespace: 'b', name: 'req' }), 'req');
    assert.equal(nameOfTarget('c/key'), 'key');
    assert.equal(nameOfTarget('cluster-scoped'), 'cluster-scoped');
    for (const other of [undefined, null, 7, {}, { metadata: {} }, { name: 3 }]) assert.equal(nameOfTarget(other), '', JSON.stringify(other));
  });

  it('rethrows the original error and lets a classify option override the taxonomy', async () => {
    const registry = new Registry();
    const kit = createOperatorMetrics({ registry });
    const boom = new Error('spec.replicas must be positive');
    const reconcile = kit.instrumentReconcile(
      KIND,
      (_obj: unknown) => {
        throw boom;
      },
      { classify: (e) => (e === boom ? 'validation' : undefined) },
    );
    await assert.rejects(reconcile({ metadata: { namespace: 'x' } }), (e) => e === boom);
    assert.equal(await sample(registry, 'dynamo_operator_reconcile_errors_total', { resource_type: KIND, namespace: 'x', error_type: 'validation' }), 1);
    const plain = kit.instrumentReconcile(KIND, (_obj: unknown) => {
      throw new TypeError('bug');
    });
    await assert.rejects(plain({ metadata: { namespace: 'x' } }), TypeError);
    assert.equal(await sample(registry, 'dynamo_operator_reconcile_errors_total', { resource_type: KIND, namespace: 'x', error_type: 'internal' }), 1);
  });

  it('uses another prefix for another operator, and shares metrics between kits on one registry', async () => {
    const registry = new Registry();
    const mine = createOperatorMetrics({ registry, prefix: 'my_operator' });
    await mine.instrumentReconcile(KIND, (_obj: unknown) => ({ requeue: true }))({ metadata: { namespace: 'n' } });
    assert.equal(await total(registry, 'n', 'requeue', 'my_operator'), 1);
    assert.equal(registry.getSingleMetric('dynamo_operator_reconcile_total'), undefined);
    const again = createOperatorMetrics({ registry, prefix: 'my_operator' });
    assert.equal(again.metrics.reconcileTotal, mine.metrics.reconcileTotal);
    assert.throws(() => createOperatorMetrics({ registry, prefix: 'bad prefix' }), /prefix 'bad prefix' is invalid/);
    assert.throws(() => mine.instrumentReconcile('', () => undefined), /resourceType/);
  });

  it('records reconciles measured elsewhere', async () => {
    const registry = new Registry();
    const kit = createOperatorMetrics({ registry });
    kit.recordReconcile({ resourceType: 'DynamoModel', namespace: 'm', outcome: 'error', seconds: 0.2, errorType: 'conflict' });
    assert.equal(await sample(registry, 'dynamo_operator_reconcile_errors_total', { resource_type: 'DynamoModel', namespace: 'm', error_type: 'conflict' }), 1);
    assert.equal(
      await sample(registry, 'dynamo_operator_reconcile_duration_seconds', { resource_type: 'DynamoModel', namespace: 'm', result: 'error' }, '_sum'),
      0.2,
    );
  });
});
