/**
 * The embedded cluster: LocalApiServer (an in-memory Kubernetes API over real HTTP) serving
 * the reference operator's CRDs and batch Jobs, plus stand-ins for the parts of a cluster
 * the operator relies on but does not implement. They write straight to the store (as the
 * cluster's own components, past failure injection):
 *
 * - volume binding: a PVC binds after a moment; a clone whose source PVC is missing never does;
 *   a deleted PVC stays Terminating for a moment under its `kubernetes.io/pvc-protection`
 *   finalizer (as while a pod still mounts it);
 * - kubelet: a pod runs after a moment, or waits in ImagePullBackOff when its image tag is `broken`;
 * - job controller: a Job completes after a few seconds, or fails when its DESTINATION is offline;
 * - garbage collector: objects whose owner (by ownerReference uid) is gone are deleted.
 */
import type { KubeConfig, V1Job, V1PersistentVolumeClaim, V1Pod } from '@kubernetes/client-node';
import { LocalApiServer, type KubeObject, type ResourceDefinition } from '@promkit/testing';
import { ALL_CRDS, apiVersionOf, BATCH_JOBS, DATAMOVER, DCD, DGD, DGDR } from './crds.js';
import type { Log } from './log.js';
import type { Random } from './random.js';

export interface EmbeddedCluster {
  readonly api: LocalApiServer;
  readonly kubeConfig: KubeConfig;
  readonly namespaces: readonly string[];
  /** The stored object (for the admission gate's oldObject). */
  lookup<T extends KubeObject>(resource: ResourceDefinition, namespace: string, name: string): T | undefined;
  stop(): Promise<void>;
}

const TICK_MS = 250;
const PVC_PROTECTION = 'kubernetes.io/pvc-protection';

/** Kinds that own other objects; everything they own goes when they go. */
const OWNER_KINDS: readonly ResourceDefinition[] = [DGD, DCD, DGDR, DATAMOVER];
const OWNED_KINDS: ReadonlyArray<{ apiVersion: string; kind: string }> = [
  { apiVersion: 'v1', kind: 'Pod' },
  { apiVersion: 'v1', kind: 'PersistentVolumeClaim' },
  { apiVersion: 'batch/v1', kind: 'Job' },
  { apiVersion: apiVersionOf(DCD), kind: DCD.kind },
  { apiVersion: apiVersionOf(DGD), kind: DGD.kind },
];

function setStatus<T extends KubeObject>(api: LocalApiServer, obj: T, status: unknown): void {
  api.updateObject({ ...obj, status } as T, { subresource: 'status' });
}

/** When each object's next transition is due (by uid), so every object gets its own pace. */
class Schedule {
  readonly #due = new Map<string, number>();
  constructor(private readonly random: Random) {}

  /** True once `minMs..maxMs` after the first time `uid` was seen. */
  due(uid: string, minMs: number, maxMs: number, now: number): boolean {
    let at = this.#due.get(uid);
    if (at === undefined) {
      at = now + this.random.between(minMs, maxMs);
      this.#due.set(uid, at);
    }
    return now >= at;
  }

  /** Drops the schedule of objects that are gone (keys are `uid` or `uid/step`). */
  keepOnly(uids: Set<string>): void {
    for (const key of this.#due.keys()) if (!uids.has(key.split('/')[0]!)) this.#due.delete(key);
  }
}

export async function startEmbeddedCluster(options: { namespaces: readonly string[]; random: Random; log: Log }): Promise<EmbeddedCluster> {
  const api = new LocalApiServer({ resources: [...ALL_CRDS, BATCH_JOBS], namespaces: ['default', 'kube-system', ...options.namespaces] });
  await api.start();
  const schedule = new Schedule(options.random);

  const bindVolumes = (now: number, live: Set<string>): void => {
    for (const pvc of api.listObjects<KubeObject & V1PersistentVolumeClaim>('v1', 'PersistentVolumeClaim')) {
      const uid = pvc.metadata.uid!;
      live.add(uid);
      const finalizers = pvc.metadata.finalizers ?? [];
      if (pvc.metadata.deletionTimestamp) {
        if (finalizers.includes(PVC_PROTECTION) && schedule.due(`${uid}/delete`, 500, 1_500, now)) {
          api.updateObject({ ...pvc, metadata: { ...pvc.metadata, finalizers: finalizers.filter((f) => f !== PVC_PROTECTION) } });
        }
        continue;
      }
      if (!finalizers.includes(PVC_PROTECTION)) {
        api.updateObject({ ...pvc, metadata: { ...pvc.metadata, finalizers: [...finalizers, PVC_PROTECTION] } });
        continue;
      }
      if (pvc.status?.phase === 'Bound') continue;
      const source = pvc.spec?.dataSource?.name;
      if (source && !api.getObject({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: pvc.metadata.namespace, name: source })) {
        if (pvc.status?.phase !== 'Pending') setStatus(api, pvc, { phase: 'Pending' });
        continue;
      }
      if (schedule.due(uid, 300, 1_200, now)) {
        setStatus(api, pvc, {
          phase: 'Bound',
          accessModes: pvc.spec?.accessModes ?? ['ReadWriteOnce'],
          capacity: pvc.spec?.resources?.requests ?? { storage: '10Gi' },
        });
      }
    }
  };

  const runPods = (now: number, live: Set<string>): void => {
    for (const pod of api.listObjects<KubeObject & V1Pod>('v1', 'Pod')) {
      const uid = pod.metadata.uid!;
      live.add(uid);
      if (pod.status?.phase === 'Running' || pod.status?.containerStatuses?.length) continue;
      if (!schedule.due(uid, 300, 1_500, now)) {
        if (!pod.status?.phase) setStatus(api, pod, { phase: 'Pending' });
        continue;
      }
      const container = pod.spec?.containers?.[0];
      const name = container?.name ?? 'main';
      const image = container?.image ?? '';
      if (image.endsWith(':broken')) {
        setStatus(api, pod, {
          phase: 'Pending',
          containerStatuses: [
            { name, image, ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` } } },
          ],
        });
      } else {
        const startedAt = new Date(now).toISOString();
        setStatus(api, pod, {
          phase: 'Running',
          startTime: startedAt,
          conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: startedAt }],
          containerStatuses: [{ name, image, ready: true, started: true, restartCount: 0, state: { running: { startedAt } } }],
        });
      }
    }
  };

  const runJobs = (now: number, live: Set<string>): void => {
    for (const job of api.listObjects<KubeObject & V1Job>('batch/v1', 'Job')) {
      const uid = job.metadata.uid!;
      live.add(uid);
      if ((job.status?.conditions ?? []).length > 0) continue;
      if (!job.status?.startTime) setStatus(api, job, { active: 1, startTime: new Date(now).toISOString() });
      if (!schedule.due(uid, 1_000, 3_000, now)) continue;
      const destination = job.spec?.template?.spec?.containers?.[0]?.env?.find((e) => e.name === 'DESTINATION')?.value ?? '';
      const at = new Date(now).toISOString();
      const failed = destination.includes('offline');
      setStatus(api, job, {
        startTime: job.status?.startTime ?? at,
        completionTime: failed ? undefined : at,
        ...(failed ? { failed: 1 } : { succeeded: 1 }),
        conditions: [
          failed
            ? { type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: `sync to ${destination}: connection refused`, lastTransitionTime: at }
            : { type: 'Complete', status: 'True', lastTransitionTime: at },
        ],
      });
    }
  };

  const collectGarbage = (): void => {
    const owners = new Set<string>();
    for (const r of OWNER_KINDS) for (const o of api.listObjects(apiVersionOf(r), r.kind)) owners.add(o.metadata.uid!);
    for (const { apiVersion, kind } of OWNED_KINDS) {
      for (const obj of api.listObjects(apiVersion, kind)) {
        const refs = (obj.metadata.ownerReferences ?? []) as Array<{ uid?: string }>;
        if (refs.length > 0 && refs.every((ref) => !owners.has(ref.uid ?? ''))) {
          api.deleteObject({ apiVersion, kind, namespace: obj.metadata.namespace, name: obj.metadata.name! });
        }
      }
    }
  };

  let ticks = 0;
  const timer = setInterval(() => {
    try {
      const now = Date.now();
      const live = new Set<string>();
      bindVolumes(now, live);
      runPods(now, live);
      runJobs(now, live);
      if (++ticks % 2 === 0) collectGarbage();
      if (ticks % 40 === 0) schedule.keepOnly(live);
    } catch (error) {
      options.log('warn', `embedded cluster: ${error instanceof Error ? error.message : String(error)}`);
    }
  }, TICK_MS);

  return {
    api,
    kubeConfig: api.kubeConfig(),
    namespaces: options.namespaces,
    lookup: <T extends KubeObject>(resource: ResourceDefinition, namespace: string, name: string) =>
      api.getObject<T>({ apiVersion: apiVersionOf(resource), kind: resource.kind, namespace, name }),
    async stop() {
      clearInterval(timer);
      await api.close();
    },
  };
}
