/**
 * The reference operator: Dynamo (five CRDs and a validating webhook), DataMover backups and
 * Modal GPU jobs, written with promkit's operator kit and @kubernetes/client-node.
 *
 * By default it starts an embedded cluster (LocalApiServer plus stand-ins for volume
 * binding, kubelet, the Job controller and garbage collection) and a workload generator.
 * With `kubeconfig` (or `cluster`) the same controllers watch that cluster instead, and no
 * workload runs. `promkit demo` (npm start) serves each operator's registry on its port.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { Registry } from 'promkit';
import { createOperatorMetrics } from '@promkit/kube';
import type { ReferenceOperator, ReferenceOperatorModule, ReferenceOperatorOptions } from '../demo/operator-contract.js';
import { StopStack } from '../demo/stop-stack.js';
import { createAdmissionGate } from './admission-gate.js';
import { kubeClients } from './clients.js';
import { startDataMoverOperator } from './controllers/datamover-backup.js';
import { startDynamoControllers, startDynamoWebhook } from './controllers/dynamo-operator.js';
import { createModalOperatorMetrics, startModalOperator, startModalWebhook } from './controllers/modal-job.js';
import { crdManifests, DYNAMO_CRDS, MODAL_JOB } from './crds.js';
import { startEmbeddedCluster, type EmbeddedCluster } from './embedded-cluster.js';
import { silentLog, type Log } from './log.js';
import { ModalCloud } from './modal-cloud.js';
import { Random } from './random.js';
import { startRuntimeSimulation } from './runtime-simulation.js';
import { startWorkload } from './workload-generator.js';

export { startRuntimeSimulation };

/** Namespaces of the embedded cluster's workload. */
export const DEMO_NAMESPACES = ['team-a', 'team-b', 'ml-platform'] as const;

/** How long to wait for the informers' first list before going on (a real cluster may lack the CRDs). */
const SYNC_TIMEOUT_MS = 15_000;

function loadKubeConfig(options: ReferenceOperatorOptions): KubeConfig {
  const kc = new KubeConfig();
  if (options.kubeconfig) kc.loadFromFile(options.kubeconfig);
  else kc.loadFromDefault();
  if (!kc.getCurrentCluster()) throw new Error(`no cluster in ${options.kubeconfig ?? 'KUBECONFIG / ~/.kube/config'}: check the current context`);
  return kc;
}

async function synced(what: Promise<void>, log: Log, mode: 'embedded' | 'cluster'): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), SYNC_TIMEOUT_MS)));
  const result = await Promise.race([what.then(() => 'synced' as const), timedOut]);
  clearTimeout(timer);
  if (result === 'timeout') {
    const hint = mode === 'cluster' ? ' (are the CRDs installed? kubectl apply -f <state dir>/crds.yaml)' : '';
    log('warn', `informers have not listed after ${SYNC_TIMEOUT_MS / 1000}s; controllers keep retrying${hint}`);
  }
}

export async function startReferenceOperator(options: ReferenceOperatorOptions = {}): Promise<ReferenceOperator> {
  const log: Log = options.log ?? silentLog;
  const mode = options.kubeconfig || options.cluster ? 'cluster' : 'embedded';
  const random = new Random(options.seed ?? 1);
  const stack = new StopStack();
  return stack.guard(async () => {
    let cluster: EmbeddedCluster | undefined;
    let kubeConfig: KubeConfig;
    if (mode === 'embedded') {
      cluster = await startEmbeddedCluster({ namespaces: DEMO_NAMESPACES, random: random.fork(1), log });
      stack.push('embedded cluster', () => cluster!.stop());
      kubeConfig = cluster.kubeConfig;
    } else {
      kubeConfig = loadKubeConfig(options);
    }

    const registries = { dynamoOperator: new Registry(), datamover: new Registry(), modal: new Registry() };
    const kit = createOperatorMetrics({ registry: registries.dynamoOperator });
    const modalMetrics = createModalOperatorMetrics(registries.modal);
    if (mode === 'cluster' && process.env.POD_NAME && process.env.POD_NAMESPACE) {
      await modalMetrics.countRestartsFromPod({ kubeConfig }).catch((error: unknown) => log('warn', `counting restarts: ${String(error)}`));
    }

    const dynamoWebhook = await startDynamoWebhook(kit);
    stack.push('Dynamo webhook', () => dynamoWebhook.close());
    const modalWebhook = await startModalWebhook(modalMetrics);
    stack.push('Modal webhook', () => modalWebhook.close());
    const webhooks = { dynamo: `${dynamoWebhook.url}/validate`, modal: `${modalWebhook.url}/validate` };

    // A real API server calls the webhooks itself (once registered); the embedded one has no
    // admission chain, so every write of a reviewed kind goes through the gate first.
    const gate = cluster
      ? createAdmissionGate({
          webhooks: [
            { name: 'validate.dynamo.nvidia.com', url: webhooks.dynamo, resources: DYNAMO_CRDS },
            { name: 'validate.modal.promkit.dev', url: webhooks.modal, resources: [MODAL_JOB] },
          ],
          lookup: cluster.lookup,
        })
      : undefined;
    const kube = kubeClients(kubeConfig, gate);
    const cloud = new ModalCloud(random.fork(2));

    const dynamo = startDynamoControllers({ clients: kube, kit, log });
    stack.push('Dynamo controllers', () => dynamo.stop());
    const datamover = startDataMoverOperator({ kube, registry: registries.datamover, log });
    stack.push('DataMover controller', () => datamover.stop());
    const modal = startModalOperator({ kube, metrics: modalMetrics, cloud, log });
    stack.push('Modal controller', () => modal.stop());
    await synced(
      Promise.all([dynamo.synced, datamover.synced, modal.synced]).then(() => undefined),
      log,
      mode,
    );

    if (cluster && options.workload !== false) {
      const workload = startWorkload({ cluster, clients: kube, cloud, random: random.fork(3), modalWebhookUrl: webhooks.modal }, log);
      stack.push('workload generator', () => workload.stop());
    }

    const embedded = cluster;
    const operator: ReferenceOperator = {
      mode,
      registries,
      apiServerUrl: embedded ? embedded.api.url : (kubeConfig.getCurrentCluster()?.server ?? ''),
      webhooks,
      namespaces: embedded ? embedded.namespaces : [],
      ...(embedded ? { writeKubeconfig: (path: string) => embedded.api.writeKubeconfig(path) } : {}),
      crdManifests,
      async stop() {
        const failures = await stack.stopAll();
        if (failures.length > 0) throw new AggregateError(failures, failures.map((f) => f.message).join('; '));
      },
    };
    return operator;
  });
}

// The demo loads this module by URL; this line makes the compiler hold it to the contract.
export const referenceOperatorModule: ReferenceOperatorModule = { startReferenceOperator, startRuntimeSimulation };
