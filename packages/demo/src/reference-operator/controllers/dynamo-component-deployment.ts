/**
 * DynamoComponentDeployment: `replicas` pods running the component's image, and the Ready
 * condition: True when every replica runs, False with the pods' reason otherwise.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { hasCode } from '../clients.js';
import { DCD, type DynamoComponentDeployment } from '../crds.js';
import { sameJson, withCondition } from './conditions.js';
import type { Reconciler } from './controller.js';
import { isOwnedBy, MANAGED_BY, ownerReference } from './ownership.js';
import type { DynamoContext } from './dynamo-context.js';

function podFor(dcd: DynamoComponentDeployment, index: number): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${dcd.metadata.name}-${index}`,
      namespace: dcd.metadata.namespace,
      labels: { ...MANAGED_BY, 'nvidia.com/dynamo-component': dcd.metadata.name, 'nvidia.com/dynamo-component-type': dcd.spec.componentType },
      ownerReferences: [ownerReference(dcd, DCD)],
    },
    spec: {
      containers: [{ name: dcd.spec.componentType, image: dcd.spec.image, args: ['--framework', dcd.spec.backendFramework] }],
      restartPolicy: 'Always',
    },
  };
}

function podIndex(pod: V1Pod, dcd: DynamoComponentDeployment): number {
  const suffix = (pod.metadata?.name ?? '').slice(dcd.metadata.name.length + 1);
  return /^\d+$/.test(suffix) ? Number(suffix) : Number.POSITIVE_INFINITY;
}

function waitingReason(pod: V1Pod): string | undefined {
  return pod.status?.containerStatuses?.find((s) => s.state?.waiting)?.state?.waiting?.reason;
}

function isRunning(pod: V1Pod): boolean {
  return pod.status?.phase === 'Running' && (pod.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

export function dcdReconciler(ctx: DynamoContext): Reconciler {
  return async ({ namespace, name }) => {
    const dcd = ctx.informers.dcd.get(name, namespace);
    if (!dcd || dcd.metadata.deletionTimestamp) return;
    const pods = ctx.informers.pods.list(namespace).filter((p) => isOwnedBy(p, dcd));
    const replicas = Math.max(0, dcd.spec.replicas);
    for (let i = 0; i < replicas; i++) {
      if (pods.some((p) => podIndex(p, dcd) === i)) continue;
      try {
        await ctx.core.createNamespacedPod({ namespace, body: podFor(dcd, i) });
      } catch (error) {
        if (!hasCode(error, 409)) throw error;
      }
    }
    for (const extra of pods.filter((p) => podIndex(p, dcd) >= replicas)) {
      try {
        await ctx.core.deleteNamespacedPod({ namespace, name: extra.metadata!.name! });
      } catch (error) {
        if (!hasCode(error, 404)) throw error;
      }
    }

    const current = pods.filter((p) => podIndex(p, dcd) < replicas);
    const running = current.filter(isRunning).length;
    const stuck = current.map(waitingReason).find((r) => r !== undefined);
    const failed = current.some((p) => p.status?.phase === 'Failed');
    const [status, reason, message] =
      running >= replicas
        ? (['True', 'AllReplicasReady', `${running}/${replicas} replicas running`] as const)
        : failed
          ? (['False', 'PodFailed', 'a replica failed'] as const)
          : stuck
            ? (['False', stuck, `replicas waiting: ${stuck} (image ${dcd.spec.image})`] as const)
            : (['False', 'ReplicasNotReady', `${running}/${replicas} replicas running`] as const);
    const next = {
      conditions: withCondition(dcd.status?.conditions, 'Ready', status, reason, message),
      readyReplicas: running,
      observedGeneration: dcd.metadata.generation,
    };
    if (!sameJson(dcd.status, next)) await ctx.clients.dcd.replaceStatus({ ...dcd, status: next });
    return status === 'True' || stuck || failed ? undefined : { requeueAfter: 1_500 };
  };
}
