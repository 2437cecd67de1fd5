/**
 * The DataMover backup controller. A DataMover walks `.status.phase`
 * CreatingClonedPVC (clone the source PVC, wait until Bound) → CreatingPod (run the sync as
 * a Job, retried up to 3 creations) → CleaningUp (delete the Job and the clone, up to 3
 * attempts) → Completed or Failed. Metrics are recorded only after the status write that
 * makes a transition succeeded, so a conflict and retry never counts an operation twice.
 */
import type { V1Job, V1PersistentVolumeClaim } from '@kubernetes/client-node';
import { createDataMoverMetrics, type DataMoverMetrics, type DataMoverPhase, type Outcome } from '@promkit/kube';
import type { Registry } from 'promkit';
import { hasCode, type KubeClients, type ResourceClient } from '../clients.js';
import { BATCH_JOBS, DATAMOVER, type DataMover, type DataMoverPhaseName } from '../crds.js';
import type { Log } from '../log.js';
import { secondsSince } from './conditions.js';
import { Controller, type Reconciler } from './controller.js';
import { MANAGED_BY, MANAGED_SELECTOR, ownerReference } from './ownership.js';
import { informerFor, runInformer, type CachedInformer } from './informers.js';

type Status = NonNullable<DataMover['status']>;

const MAX_ATTEMPTS = 3;
const CLONE_TIMEOUT_SECONDS = 30;

interface Context {
  readonly kube: KubeClients;
  readonly movers: ResourceClient<DataMover>;
  readonly informers: { movers: CachedInformer<DataMover>; pvcs: CachedInformer<V1PersistentVolumeClaim>; jobs: CachedInformer<V1Job> };
  readonly metrics: DataMoverMetrics;
}

function clonePvc(mover: DataMover, name: string): V1PersistentVolumeClaim {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name,
      namespace: mover.metadata.namespace,
      labels: { ...MANAGED_BY, 'datamover.promkit.dev/backup': mover.metadata.name },
      ownerReferences: [ownerReference(mover, DATAMOVER)],
    },
    spec: {
      accessModes: ['ReadWriteOnce'],
      dataSource: { kind: 'PersistentVolumeClaim', name: mover.spec.sourcePvc },
      resources: { requests: { storage: '10Gi' } },
    },
  };
}

function syncJob(mover: DataMover, name: string, pvc: string): V1Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace: mover.metadata.namespace,
      labels: { ...MANAGED_BY, 'datamover.promkit.dev/backup': mover.metadata.name },
      ownerReferences: [ownerReference(mover, DATAMOVER)],
    },
    spec: {
      backoffLimit: 0,
      template: {
        metadata: { labels: { 'datamover.promkit.dev/backup': mover.metadata.name } },
        spec: {
          restartPolicy: 'Never',
          containers: [
            {
              name: 'sync',
              image: 'rclone/rclone:1.68',
              args: ['sync', '/data', mover.spec.destination],
              env: [{ name: 'DESTINATION', value: mover.spec.destination }],
              volumeMounts: [{ name: 'data', mountPath: '/data', readOnly: true }],
            },
          ],
          volumes: [{ name: 'data', persistentVolumeClaim: { claimName: pvc, readOnly: true } }],
        },
      },
    },
  };
}

function jobOutcome(job: V1Job): Outcome | undefined {
  const conditions = job.status?.conditions ?? [];
  if (conditions.some((c) => c.type === 'Complete' && c.status === 'True')) return 'success';
  if (conditions.some((c) => c.type === 'Failed' && c.status === 'True')) return 'failure';
  return undefined;
}

const isPhase = (phase: DataMoverPhaseName | undefined): phase is DataMoverPhase =>
  phase === 'CreatingClonedPVC' || phase === 'CreatingPod' || phase === 'CleaningUp';

/**
 * Writes the status that ends phase `from` with `outcome` and enters `to`; once written,
 * records the end (with the phase's duration, from `phaseStartedAt`) and the next start.
 */
async function transition(
  ctx: Context,
  mover: DataMover,
  to: DataMoverPhaseName,
  extra: Partial<Status> = {},
  from?: { phase: DataMoverPhase; outcome: Outcome },
): Promise<void> {
  const next: Status = { ...mover.status, ...extra, phase: to, phaseStartedAt: new Date().toISOString() };
  await ctx.movers.replaceStatus({ ...mover, status: next });
  const ns = mover.metadata.namespace;
  if (from) ctx.metrics.phaseFinished(from.phase, ns, from.outcome, { startedAt: mover.status?.phaseStartedAt });
  if (isPhase(to)) ctx.metrics.phaseStarted(to, ns);
}

/** Ends a phase: success moves on, failure goes to cleanup with the backup marked failed. */
function finish(ctx: Context, mover: DataMover, phase: 'CreatingClonedPVC' | 'CreatingPod', outcome: Outcome, extra: Partial<Status> = {}): Promise<void> {
  const to = outcome === 'failure' ? 'CleaningUp' : phase === 'CreatingClonedPVC' ? 'CreatingPod' : 'CleaningUp';
  const result = outcome === 'failure' ? 'failure' : phase === 'CreatingPod' ? 'success' : undefined;
  return transition(ctx, mover, to, { ...extra, ...(result ? { result } : {}) }, { phase, outcome });
}

async function cloning(ctx: Context, mover: DataMover): Promise<{ requeueAfter: number }> {
  const ns = mover.metadata.namespace;
  const name = mover.status!.clonedPvc!;
  try {
    await ctx.kube.core.readNamespacedPersistentVolumeClaim({ namespace: ns, name: mover.spec.sourcePvc });
  } catch (error) {
    if (!hasCode(error, 404)) throw error;
    await finish(ctx, mover, 'CreatingClonedPVC', 'failure', { message: `source PVC ${mover.spec.sourcePvc} not found` });
    return { requeueAfter: 200 };
  }
  const clone = ctx.informers.pvcs.get(name, ns);
  if (!clone) {
    try {
      await ctx.kube.core.createNamespacedPersistentVolumeClaim({ namespace: ns, body: clonePvc(mover, name) });
    } catch (error) {
      if (!hasCode(error, 409)) throw error;
    }
  } else if (clone.status?.phase === 'Bound') {
    await finish(ctx, mover, 'CreatingClonedPVC', 'success', { syncJob: `${mover.metadata.name}-sync`, podAttempts: 0 });
  } else if (secondsSince(mover.status?.phaseStartedAt) > CLONE_TIMEOUT_SECONDS) {
    await finish(ctx, mover, 'CreatingClonedPVC', 'failure', { message: `clone ${name} not bound after ${CLONE_TIMEOUT_SECONDS}s` });
  }
  return { requeueAfter: 500 };
}

async function syncing(ctx: Context, mover: DataMover): Promise<{ requeueAfter: number }> {
  const ns = mover.metadata.namespace;
  const status = mover.status!;
  const name = status.syncJob ?? `${mover.metadata.name}-sync`;
  let job = ctx.informers.jobs.get(name, ns);
  if (!job) {
    try {
      job = await ctx.kube.batch.readNamespacedJob({ namespace: ns, name });
    } catch (error) {
      if (!hasCode(error, 404)) throw error;
    }
  }
  if (!job) {
    const attempts = status.podAttempts ?? 0;
    if (attempts >= MAX_ATTEMPTS) {
      await finish(ctx, mover, 'CreatingPod', 'failure', { message: `sync job not created after ${attempts} attempts` });
      return { requeueAfter: 200 };
    }
    try {
      await ctx.metrics.createPod(ns, () => ctx.kube.batch.createNamespacedJob({ namespace: ns, body: syncJob(mover, name, status.clonedPvc!) }));
    } catch (error) {
      await ctx.movers.replaceStatus({ ...mover, status: { ...status, podAttempts: attempts + 1, message: `creating sync job: ${firstLine(error)}` } });
      throw error;
    }
    return { requeueAfter: 500 };
  }
  const outcome = jobOutcome(job);
  if (!outcome) return { requeueAfter: 500 };
  await finish(ctx, mover, 'CreatingPod', outcome, outcome === 'success' ? {} : { message: `sync to ${mover.spec.destination} failed` });
  ctx.metrics.dataSyncResult(ns, outcome);
  return { requeueAfter: 200 };
}

/**
 * Deletes the sync Job and the clone once (recorded as one cleanup operation), then waits
 * until both are gone: a PVC stays Terminating while its protection finalizer is held.
 */
async function cleaningUp(ctx: Context, mover: DataMover): Promise<{ requeueAfter: number } | undefined> {
  const ns = mover.metadata.namespace;
  const status = mover.status!;
  if (!status.cleanupIssued) {
    const ignoreMissing = (error: unknown) => {
      if (!hasCode(error, 404)) throw error;
    };
    try {
      await ctx.metrics.cleanup(ns, async () => {
        if (status.syncJob)
          await ctx.kube.batch.deleteNamespacedJob({ namespace: ns, name: status.syncJob, propagationPolicy: 'Background' }).catch(ignoreMissing);
        if (status.clonedPvc) await ctx.kube.core.deleteNamespacedPersistentVolumeClaim({ namespace: ns, name: status.clonedPvc }).catch(ignoreMissing);
      });
    } catch (error) {
      const attempts = (status.cleanupAttempts ?? 0) + 1;
      if (attempts >= MAX_ATTEMPTS) {
        await transition(
          ctx,
          mover,
          'Failed',
          { cleanupAttempts: attempts, message: `cleanup failed ${attempts} times: ${firstLine(error)}` },
          { phase: 'CleaningUp', outcome: 'failure' },
        );
        return undefined;
      }
      await ctx.movers.replaceStatus({ ...mover, status: { ...status, cleanupAttempts: attempts } });
      throw error;
    }
    await ctx.movers.replaceStatus({ ...mover, status: { ...status, cleanupIssued: true } });
    return { requeueAfter: 300 };
  }
  const remaining = [status.syncJob && ctx.informers.jobs.get(status.syncJob, ns), status.clonedPvc && ctx.informers.pvcs.get(status.clonedPvc, ns)].filter(
    Boolean,
  );
  if (remaining.length > 0) return { requeueAfter: 300 };
  await transition(ctx, mover, status.result === 'success' ? 'Completed' : 'Failed', {}, { phase: 'CleaningUp', outcome: 'success' });
  return undefined;
}

function firstLine(error: unknown): string {
  return (
    (error instanceof Error ? error.message : String(error))
      .split('\n')
      .find((l) => l.startsWith('Message:'))
      ?.slice(9) ?? String(error).split('\n')[0]!
  );
}

function reconciler(ctx: Context): Reconciler {
  return async ({ namespace, name }) => {
    const mover = ctx.informers.movers.get(name, namespace);
    if (!mover || mover.metadata.deletionTimestamp) return;
    switch (mover.status?.phase) {
      case undefined:
        await transition(ctx, mover, 'CreatingClonedPVC', { clonedPvc: `${name}-clone`, podAttempts: 0, cleanupAttempts: 0 });
        return { requeueAfter: 200 };
      case 'CreatingClonedPVC':
        return cloning(ctx, mover);
      case 'CreatingPod':
        return syncing(ctx, mover);
      case 'CleaningUp':
        return cleaningUp(ctx, mover);
      default:
        return undefined;
    }
  };
}

export interface DataMoverOperator {
  readonly metrics: DataMoverMetrics;
  readonly synced: Promise<void>;
  stop(): Promise<void>;
}

export function startDataMoverOperator(options: { kube: KubeClients; registry: Registry; log: Log }): DataMoverOperator {
  const { kube, log } = options;
  const movers = kube.resource<DataMover>(DATAMOVER);
  const informers = {
    movers: informerFor(kube.kubeConfig, DATAMOVER, () => movers.listAll()),
    pvcs: informerFor<V1PersistentVolumeClaim>(
      kube.kubeConfig,
      { group: '', version: 'v1', plural: 'persistentvolumeclaims' },
      () => kube.core.listPersistentVolumeClaimForAllNamespaces({ labelSelector: MANAGED_SELECTOR }),
      MANAGED_SELECTOR,
    ),
    jobs: informerFor<V1Job>(kube.kubeConfig, BATCH_JOBS, () => kube.batch.listJobForAllNamespaces({ labelSelector: MANAGED_SELECTOR }), MANAGED_SELECTOR),
  };
  const metrics = createDataMoverMetrics({ registry: options.registry });
  const ctx: Context = { kube, movers, informers, metrics };
  const controller = new Controller({ kind: DATAMOVER.kind, informer: informers.movers, reconcile: reconciler(ctx), log });
  controller.watchOwned(informers.pvcs);
  controller.watchOwned(informers.jobs);
  const running = [
    runInformer(informers.movers, 'datamovers', log),
    runInformer(informers.pvcs, 'persistentvolumeclaims', log),
    runInformer(informers.jobs, 'jobs', log),
  ];
  controller.start();
  return {
    metrics,
    synced: Promise.all(running.map((r) => r.started)).then(() => undefined),
    async stop() {
      await controller.stop();
      await Promise.all(running.map((r) => r.stop()));
    },
  };
}
