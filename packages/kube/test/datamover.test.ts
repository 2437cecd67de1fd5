/** DataMover helpers: phases started/success/failure with durations, pod creation, cleanup, data sync. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CoreV1Api } from '@kubernetes/client-node';
import { Registry } from 'promkit';
import { createDataMoverMetrics } from '../src/index.js';
import { sample, startApi } from './helpers.js';

describe('createDataMoverMetrics', () => {
  it('records a backup workflow against LocalApiServer: cloned PVC, pod, data sync, cleanup', async (t) => {
    const api = await startApi(t);
    const core = api.kubeConfig().makeApiClient(CoreV1Api);
    const registry = new Registry();
    const dm = createDataMoverMetrics({ registry });
    const ns = 'team-a';

    await dm.runPhase('CreatingClonedPVC', ns, () =>
      core.createNamespacedPersistentVolumeClaim({ namespace: ns, body: { metadata: { name: 'clone' }, spec: { accessModes: ['ReadWriteOnce'] } } }),
    );
    // The clone already exists: a real 409 fails the phase, and the error reaches the caller.
    await assert.rejects(
      dm.runPhase('CreatingClonedPVC', ns, () => core.createNamespacedPersistentVolumeClaim({ namespace: ns, body: { metadata: { name: 'clone' } } })),
      /HTTP-Code: 409/,
    );
    dm.phaseStarted('CreatingPod', ns);
    await dm.createPod(ns, () =>
      core.createNamespacedPod({ namespace: ns, body: { metadata: { name: 'sync' }, spec: { containers: [{ name: 'rsync', image: 'rsync' }] } } }),
    );
    // The phase began 90 s ago according to the CR status.
    dm.phaseFinished('CreatingPod', ns, 'success', { startedAt: new Date(Date.now() - 90_000).toISOString() });
    dm.dataSyncResult(ns, 'success');
    await dm.runPhase('CleaningUp', ns, () => dm.cleanup(ns, () => core.deleteNamespacedPersistentVolumeClaim({ namespace: ns, name: 'clone' })));
    await assert.rejects(
      dm.cleanup(ns, () => core.deleteNamespacedPersistentVolumeClaim({ namespace: ns, name: 'clone' })),
      /HTTP-Code: 404/,
    );

    const ops = (phase: string, status: string) => sample(registry, 'datamover_operations_total', { phase, status, namespace: ns });
    assert.equal(await ops('CreatingClonedPVC', 'started'), 2);
    assert.equal(await ops('CreatingClonedPVC', 'success'), 1);
    assert.equal(await ops('CreatingClonedPVC', 'failure'), 1);
    assert.equal(await ops('CreatingPod', 'started'), 1);
    assert.equal(await ops('CreatingPod', 'success'), 1);
    assert.equal(await ops('CleaningUp', 'success'), 1);
    const duration = (phase: string, suffix: string) => sample(registry, 'datamover_phase_duration_seconds', { phase, namespace: ns }, suffix);
    assert.equal(await duration('CreatingClonedPVC', '_count'), 2);
    const podSeconds = await duration('CreatingPod', '_sum');
    assert.ok(podSeconds !== undefined && podSeconds >= 89 && podSeconds < 120, `CreatingPod took ${podSeconds}s`);
    assert.equal(await sample(registry, 'datamover_phase_duration_seconds', { phase: 'CreatingPod', namespace: ns, le: '60' }, '_bucket'), 0);
    assert.equal(await sample(registry, 'datamover_phase_duration_seconds', { phase: 'CreatingPod', namespace: ns, le: '120' }, '_bucket'), 1);
    assert.equal(await sample(registry, 'datamover_pod_creation_operations_total', { status: 'started', namespace: ns }), 1);
    assert.equal(await sample(registry, 'datamover_pod_creation_operations_total', { status: 'success', namespace: ns }), 1);
    assert.equal(await sample(registry, 'datamover_data_sync_operations_total', { status: 'success', namespace: ns }), 1);
    assert.equal(await sample(registry, 'datamover_cleanup_operations_total', { status: 'success', namespace: ns }), 1);
    assert.equal(await sample(registry, 'datamover_cleanup_operations_total', { status: 'failure', namespace: ns }), 1);
  });

  it('rejects unknown phases and shares metrics on one registry', () => {
    const registry = new Registry();
    const dm = createDataMoverMetrics({ registry });
    assert.throws(() => dm.phaseStarted('Restoring' as never, 'x'), /phase 'Restoring' is unknown: use one of CreatingClonedPVC, CreatingPod, CleaningUp/);
    assert.equal(createDataMoverMetrics({ registry }).metrics.operations, dm.metrics.operations);
  });
});
