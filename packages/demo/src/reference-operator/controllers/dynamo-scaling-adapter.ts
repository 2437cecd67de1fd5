/**
 * DynamoGraphDeploymentScalingAdapter: the scale subresource target of one service of a
 * graph (what an autoscaler writes). It reads the graph from the API server and sets that
 * service's replicas; a missing graph is a reconcile error (not_found) retried with backoff,
 * as the Dynamo operator does, and the adapter reports Ready=False meanwhile.
 */
import { hasCode } from '../clients.js';
import type { DynamoGraphDeployment, DynamoGraphDeploymentScalingAdapter } from '../crds.js';
import { sameJson, withCondition } from './conditions.js';
import type { Reconciler } from './controller.js';
import type { DynamoContext } from './dynamo-context.js';

export function dgdsaReconciler(ctx: DynamoContext): Reconciler {
  return async ({ namespace, name }): Promise<undefined> => {
    const adapter = ctx.informers.dgdsa.get(name, namespace);
    if (!adapter || adapter.metadata.deletionTimestamp) return;
    const { name: graphName, serviceName } = adapter.spec.dgdRef;
    const setStatus = async (status: NonNullable<DynamoGraphDeploymentScalingAdapter['status']>) => {
      if (!sameJson(adapter.status, status)) await ctx.clients.dgdsa.replaceStatus({ ...adapter, status });
    };
    let graph: DynamoGraphDeployment;
    try {
      graph = await ctx.clients.dgd.get(namespace, graphName);
    } catch (error) {
      if (hasCode(error, 404)) {
        await setStatus({
          conditions: withCondition(adapter.status?.conditions, 'Ready', 'False', 'GraphNotFound', `DynamoGraphDeployment ${graphName} not found`),
        });
      }
      throw error;
    }
    const service = graph.spec.services?.[serviceName];
    if (!service) {
      await setStatus({
        conditions: withCondition(adapter.status?.conditions, 'Ready', 'False', 'ServiceNotFound', `${graphName} has no service ${serviceName}`),
      });
      return;
    }
    if (service.replicas !== adapter.spec.replicas) {
      const services = { ...graph.spec.services, [serviceName]: { ...service, replicas: adapter.spec.replicas } };
      await ctx.clients.dgd.replace({ ...graph, spec: { ...graph.spec, services } });
    }
    await setStatus({
      conditions: withCondition(adapter.status?.conditions, 'Ready', 'True', 'Scaled', `${graphName}/${serviceName} at ${adapter.spec.replicas} replicas`),
      replicas: adapter.spec.replicas,
    });
  };
}
