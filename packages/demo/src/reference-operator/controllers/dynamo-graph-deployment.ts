/**
 * DynamoGraphDeployment: one DynamoComponentDeployment per service of the graph, and
 * `.status.state` pending → successful once every component is Ready, or failed when one
 * cannot start (e.g. its image cannot be pulled).
 */
import { hasCode } from '../clients.js';
import { apiVersionOf, DCD, DGD, type DynamoComponentDeployment, type DynamoGraphDeployment } from '../crds.js';
import { condition, isReady, sameJson } from './conditions.js';
import type { Reconciler } from './controller.js';
import { isOwnedBy, MANAGED_BY, ownerReference } from './ownership.js';
import type { DynamoContext } from './dynamo-context.js';

/** Reasons a component reports when it will not become ready without a change to its spec. */
const FATAL_REASONS = new Set(['ImagePullBackOff', 'ErrImagePull', 'PodFailed']);

export function componentName(dgd: string, service: string): string {
  return `${dgd}-${service.toLowerCase()}`;
}

function desiredComponent(dgd: DynamoGraphDeployment, service: string): DynamoComponentDeployment {
  const spec = dgd.spec.services[service]!;
  return {
    apiVersion: apiVersionOf(DCD),
    kind: DCD.kind,
    metadata: {
      name: componentName(dgd.metadata.name, service),
      namespace: dgd.metadata.namespace,
      labels: { ...MANAGED_BY, 'nvidia.com/dynamo-graph-deployment': dgd.metadata.name, 'nvidia.com/dynamo-service': service },
      ownerReferences: [ownerReference(dgd, DGD)],
    },
    spec: { componentType: spec.componentType, replicas: spec.replicas, image: spec.image, backendFramework: dgd.spec.backendFramework },
  };
}

export function dgdReconciler(ctx: DynamoContext): Reconciler {
  return async ({ namespace, name }) => {
    const dgd = ctx.informers.dgd.get(name, namespace);
    if (!dgd || dgd.metadata.deletionTimestamp) return;
    const services = Object.keys(dgd.spec.services ?? {});
    const components: DynamoComponentDeployment[] = [];
    for (const service of services) {
      const desired = desiredComponent(dgd, service);
      const existing = ctx.informers.dcd.get(desired.metadata.name, namespace);
      if (!existing) {
        // A 409 here means the cache has not seen our previous create yet: counted as already_exists, retried.
        components.push(await ctx.clients.dcd.create(desired));
      } else if (!sameJson(existing.spec, desired.spec)) {
        components.push(await ctx.clients.dcd.replace({ ...existing, spec: desired.spec }));
      } else {
        components.push(existing);
      }
    }
    const wanted = new Set(services.map((s) => componentName(name, s)));
    for (const stale of ctx.informers.dcd.list(namespace).filter((c) => isOwnedBy(c, dgd) && !wanted.has(c.metadata.name))) {
      try {
        await ctx.clients.dcd.delete(namespace, stale.metadata.name);
      } catch (error) {
        if (!hasCode(error, 404)) throw error;
      }
    }

    const broken = components.find((c) => FATAL_REASONS.has(condition(c.status?.conditions, 'Ready')?.reason ?? ''));
    const ready = components.filter((c) => isReady(c.status?.conditions)).length;
    const state = broken ? 'failed' : services.length > 0 && ready === services.length ? 'successful' : 'pending';
    const message = broken
      ? `component ${broken.metadata.name}: ${condition(broken.status?.conditions, 'Ready')?.message ?? 'not starting'}`
      : `${ready}/${services.length} components ready`;
    const status = { state, message, observedGeneration: dgd.metadata.generation } as const;
    if (!sameJson(dgd.status, status)) await ctx.clients.dgd.replaceStatus({ ...dgd, status });
    return state === 'pending' ? { requeueAfter: 2_000 } : undefined;
  };
}
