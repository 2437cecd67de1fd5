/**
 * The Dynamo operator: five controllers reconciling through the kit's instrumented wrapper,
 * the resource inventory kept by the kit's trackers (which also run the informers), and the
 * validating webhook.
 */
import type { KubernetesObject, V1Pod } from '@kubernetes/client-node';
import { createAdmissionWebhook, type AdmissionWebhook, type InformerLike, type OperatorMetrics } from '@promkit/kube';
import type { ResourceDefinition } from '@promkit/testing';
import type { KubeClients } from '../clients.js';
import { DCD, DGD, DGDR, DGDSA, DM, type DynamoGraphDeploymentScalingAdapter } from '../crds.js';
import type { Log } from '../log.js';
import { dynamoValidators } from '../webhook-validators.js';
import { Controller, keyOf, type Reconciler } from './controller.js';
import type { DynamoClients, DynamoContext, DynamoInformers } from './dynamo-context.js';
import { dcdReconciler } from './dynamo-component-deployment.js';
import { dgdReconciler } from './dynamo-graph-deployment.js';
import { dgdrReconciler } from './dynamo-graph-deployment-request.js';
import { dmReconciler } from './dynamo-model.js';
import { dgdsaReconciler } from './dynamo-scaling-adapter.js';
import { informerFor, runInformer, type CachedInformer, type ObjectLike } from './informers.js';
import { MANAGED_SELECTOR } from './ownership.js';

/** The Dynamo operator's validating webhook (plain HTTP on loopback: a local demo, not for an API server). */
export async function startDynamoWebhook(kit: OperatorMetrics): Promise<AdmissionWebhook> {
  const webhook = createAdmissionWebhook({ kit, validators: dynamoValidators, insecureHttp: true, host: '127.0.0.1', port: 0, path: '/validate' });
  await webhook.listen();
  return webhook;
}

export interface RunningControllers {
  /** Resolves once every informer has listed (or after `syncTimeoutMs`, with a warning). */
  readonly synced: Promise<void>;
  stop(): Promise<void>;
}

export function startDynamoControllers(options: { clients: KubeClients; kit: OperatorMetrics; log: Log }): RunningControllers {
  const { clients: kube, kit, log } = options;
  const clients: DynamoClients = {
    dgd: kube.resource(DGD),
    dcd: kube.resource(DCD),
    dm: kube.resource(DM),
    dgdr: kube.resource(DGDR),
    dgdsa: kube.resource(DGDSA),
  };
  const kc = kube.kubeConfig;
  const informers: DynamoInformers = {
    dgd: informerFor(kc, DGD, () => clients.dgd.listAll()),
    dcd: informerFor(kc, DCD, () => clients.dcd.listAll()),
    dm: informerFor(kc, DM, () => clients.dm.listAll()),
    dgdr: informerFor(kc, DGDR, () => clients.dgdr.listAll()),
    dgdsa: informerFor(kc, DGDSA, () => clients.dgdsa.listAll()),
    pods: informerFor<V1Pod>(
      kc,
      { group: '', version: 'v1', plural: 'pods' },
      () => kube.core.listPodForAllNamespaces({ labelSelector: MANAGED_SELECTOR }),
      MANAGED_SELECTOR,
    ),
  };
  const ctx: DynamoContext = { clients, core: kube.core, informers, log };

  const controller = <T extends ObjectLike>(resource: ResourceDefinition, informer: CachedInformer<T>, reconcile: Reconciler) =>
    new Controller<T>({ kind: resource.kind, informer, log, reconcile: kit.instrumentReconcile(resource.kind, reconcile) });
  const dgd = controller(DGD, informers.dgd, dgdReconciler(ctx));
  const dcd = controller(DCD, informers.dcd, dcdReconciler(ctx));
  const dm = controller(DM, informers.dm, dmReconciler(ctx));
  const dgdr = controller(DGDR, informers.dgdr, dgdrReconciler(ctx));
  const dgdsa = controller(DGDSA, informers.dgdsa, dgdsaReconciler(ctx));
  dgd.watchOwned(informers.dcd);
  dcd.watchOwned(informers.pods);
  dgdr.watchOwned(informers.dgd);
  dgdsa.watchMapped(informers.dgd, (graph) =>
    informers.dgdsa
      .list(graph.metadata?.namespace)
      .filter((a: DynamoGraphDeploymentScalingAdapter) => a.spec.dgdRef?.name === graph.metadata?.name)
      .map((a) => keyOf(a)),
  );
  const controllers = [dgd, dcd, dm, dgdr, dgdsa];

  // The kit's trackers start the informers (and restart them after errors) and keep
  // dynamo_operator_resources_total. The cast: client-node's KubernetesObject types
  // timestamps as Date, our CRD types as the strings they are.
  const track = <T extends ObjectLike>(resource: ResourceDefinition, informer: CachedInformer<T>) =>
    kit.trackInventory({
      informer: informer as unknown as InformerLike<KubernetesObject>,
      kind: resource.kind,
      backoff: { initialMs: 500, maxMs: 10_000 },
      onError: (error) => log('warn', `${resource.kind} informer: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`),
    });
  const trackers = [track(DGD, informers.dgd), track(DCD, informers.dcd), track(DM, informers.dm), track(DGDR, informers.dgdr), track(DGDSA, informers.dgdsa)];
  const pods = runInformer(informers.pods, 'pods', log);
  for (const c of controllers) c.start();

  const synced = Promise.all([...trackers.map((t) => t.started), pods.started]).then(() => undefined);
  return {
    synced,
    async stop() {
      await Promise.all(controllers.map((c) => c.stop()));
      await Promise.all([...trackers.map((t) => t.stop()), pods.stop()]);
    },
  };
}
