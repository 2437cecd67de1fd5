/**
 * What the workload generator can do, one method per user action or cluster mishap. Writes
 * go through the same typed clients (and so the same admission gate) as the controllers';
 * a denied write is skipped, as kubectl would report it. Mishaps are real API failures
 * injected into LocalApiServer, or the simulated Modal API refusing a call.
 */
import type { V1PersistentVolumeClaim } from '@kubernetes/client-node';
import type { KubeObject, ResourceDefinition } from '@promkit/testing';
import { AdmissionDeniedError } from './admission-gate.js';
import type { KubeClients } from './clients.js';
import {
  apiVersionOf,
  DATAMOVER,
  DCD,
  DGD,
  DGDR,
  DGDSA,
  DM,
  DYNAMO_GROUP,
  MODAL_JOB,
  type DataMover,
  type DynamoGraphDeployment,
  type DynamoGraphDeploymentRequest,
  type DynamoGraphDeploymentScalingAdapter,
  type DynamoModel,
  type ModalJob,
  type Resource,
} from './crds.js';
import type { EmbeddedCluster } from './embedded-cluster.js';
import type { ModalCloud } from './modal-cloud.js';
import type { Random } from './random.js';

export interface WorkloadEnv {
  readonly cluster: EmbeddedCluster;
  readonly clients: KubeClients;
  readonly cloud: ModalCloud;
  readonly random: Random;
  readonly modalWebhookUrl: string;
}

/** What happened to the generator's requests, for the log and tests. */
export interface WorkloadStats {
  actions: number;
  denied: number;
  failed: number;
  injected: number;
}

export type BackupVariant = 'ok' | 'missing-source' | 'offline' | 'job-quota' | 'cleanup-error';
export type JobVariant = 'ok' | 'oom' | 'i6pn' | 'invalid' | 'api-error';

const BACKENDS = ['vllm', 'sglang', 'trtllm'] as const;
const MODELS = [
  'Qwen/Qwen3-0.6B',
  'meta-llama/Llama-3.1-8B-Instruct',
  'deepseek-ai/DeepSeek-R1-Distill-Llama-8B',
  'mistralai/Mistral-7B-Instruct-v0.3',
] as const;
const GPU_TYPES = ['T4', 'L4', 'A10G', 'A100', 'H100'] as const;
const FUNCTIONS = ['train.py::finetune', 'embed.py::batch_embed', 'eval.py::run_eval'] as const;
export const SOURCE_PVCS = ['model-cache', 'datasets'] as const;
/** The generator leaves at most this many objects of a kind per namespace before deleting old ones. */
export const MAX_PER_NAMESPACE = 3;

/** Terminal `.status.phase` of DataMovers and ModalJobs alike. */
const FINISHED = new Set(['Completed', 'Failed']);

export class WorkloadActions {
  readonly stats: WorkloadStats = { actions: 0, denied: 0, failed: 0, injected: 0 };
  #serial = 0;

  constructor(private readonly env: WorkloadEnv) {}

  get namespaces(): readonly string[] {
    return this.env.cluster.namespaces;
  }

  #name(prefix: string): string {
    return `${prefix}-${++this.#serial}`;
  }

  #meta(namespace: string, prefix: string) {
    return { name: this.#name(prefix), namespace, labels: { 'app.kubernetes.io/part-of': 'promkit-demo' } };
  }

  #list<T extends Resource<unknown, unknown>>(resource: ResourceDefinition, namespace?: string): T[] {
    return this.env.cluster.api.listObjects<KubeObject>(apiVersionOf(resource), resource.kind, namespace) as unknown as T[];
  }

  /** Runs one write; a webhook denial or an API error is counted, not thrown. */
  async #attempt(write: () => Promise<unknown>): Promise<'ok' | 'denied' | 'failed'> {
    this.stats.actions++;
    try {
      await write();
      return 'ok';
    } catch (error) {
      if (error instanceof AdmissionDeniedError) {
        this.stats.denied++;
        return 'denied';
      }
      this.stats.failed++;
      return 'failed';
    }
  }

  #oldest<T extends Resource<unknown, unknown>>(items: T[]): T | undefined {
    return [...items].sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''))[0];
  }

  // --- Dynamo -------------------------------------------------------------------------

  /** Graphs the user created (not those a DynamoGraphDeploymentRequest deployed). */
  userGraphs(namespace?: string): DynamoGraphDeployment[] {
    return this.#list<DynamoGraphDeployment>(DGD, namespace).filter((g) => !(g.metadata.ownerReferences ?? []).length);
  }

  graph(namespace: string, options: { broken?: boolean; services?: number } = {}): DynamoGraphDeployment {
    const backend = this.env.random.pick(BACKENDS);
    const image = `nvcr.io/nvidia/ai-dynamo/${backend}-runtime:${options.broken ? 'broken' : '0.6.0'}`;
    const services: DynamoGraphDeployment['spec']['services'] = {
      Frontend: { componentType: 'frontend', replicas: 1, image },
      Worker: { componentType: 'worker', replicas: this.env.random.int(1, 2), image },
    };
    if ((options.services ?? this.env.random.int(2, 3)) > 2) services.Prefill = { componentType: 'prefill', replicas: 1, image };
    return { apiVersion: apiVersionOf(DGD), kind: DGD.kind, metadata: this.#meta(namespace, backend), spec: { backendFramework: backend, services } };
  }

  createGraph(namespace: string, options: { broken?: boolean } = {}): Promise<string> {
    const body = this.graph(namespace, options);
    return this.#attempt(() => this.env.clients.resource<DynamoGraphDeployment>(DGD).create(body)).then(() => body.metadata.name);
  }

  /** A graph without services: denied with invalid_config. */
  createEmptyGraph(namespace: string) {
    const body = this.graph(namespace);
    body.spec.services = {};
    return this.#attempt(() => this.env.clients.resource<DynamoGraphDeployment>(DGD).create(body));
  }

  scaleGraph(graph: DynamoGraphDeployment | undefined = this.#pick(this.userGraphs())) {
    if (!graph?.spec.services.Worker) return Promise.resolve('failed' as const);
    const worker = graph.spec.services.Worker;
    const services = { ...graph.spec.services, Worker: { ...worker, replicas: worker.replicas === 1 ? 2 : 1 } };
    return this.#attempt(() => this.env.clients.resource<DynamoGraphDeployment>(DGD).replace({ ...graph, spec: { ...graph.spec, services } }));
  }

  /** Switching the backend of a running graph: denied with immutable_field_changed. */
  changeBackend(graph: DynamoGraphDeployment | undefined = this.#pick(this.userGraphs())) {
    if (!graph) return Promise.resolve('failed' as const);
    const other = BACKENDS.find((b) => b !== graph.spec.backendFramework)!;
    return this.#attempt(() => this.env.clients.resource<DynamoGraphDeployment>(DGD).replace({ ...graph, spec: { ...graph.spec, backendFramework: other } }));
  }

  /** Scaling a component directly to a negative count: denied with invalid_config. */
  breakComponent() {
    const component = this.#pick(this.#list<Resource<{ replicas: number }, unknown>>(DCD));
    if (!component) return Promise.resolve('failed' as const);
    return this.#attempt(() => this.env.clients.resource(DCD).replace({ ...component, spec: { ...component.spec, replicas: -1 } }));
  }

  deleteOldestGraph(namespace: string) {
    const graph = this.#oldest(this.userGraphs(namespace));
    return graph ? this.#attempt(() => this.env.clients.resource(DGD).delete(namespace, graph.metadata.name)) : Promise.resolve('failed' as const);
  }

  createModel(namespace: string, options: { gated?: boolean; invalid?: boolean } = {}) {
    const model = this.env.random.pick(MODELS);
    const source = options.invalid ? `ftp://mirror/${model}` : options.gated ? `hf://gated/${model}` : `hf://${model}`;
    const body: DynamoModel = { apiVersion: apiVersionOf(DM), kind: DM.kind, metadata: this.#meta(namespace, 'model'), spec: { modelName: model, source } };
    return this.#attempt(() => this.env.clients.resource<DynamoModel>(DM).create(body));
  }

  deleteOldestModel(namespace: string) {
    const model = this.#oldest(this.#list<DynamoModel>(DM, namespace));
    return model ? this.#attempt(() => this.env.clients.resource(DM).delete(namespace, model.metadata.name)) : Promise.resolve('failed' as const);
  }

  createRequest(namespace: string, options: { impossible?: boolean; invalid?: boolean } = {}) {
    const ttftMs = options.invalid ? 0 : options.impossible ? 20 : this.env.random.pick([150, 300, 500]);
    const body: DynamoGraphDeploymentRequest = {
      apiVersion: apiVersionOf(DGDR),
      kind: DGDR.kind,
      metadata: this.#meta(namespace, 'sla'),
      spec: { model: this.env.random.pick(MODELS), backend: this.env.random.pick(BACKENDS), sla: { ttftMs, itlMs: 20 } },
    };
    return this.#attempt(() => this.env.clients.resource<DynamoGraphDeploymentRequest>(DGDR).create(body));
  }

  deleteOldestRequest(namespace: string) {
    const request = this.#oldest(this.#list<DynamoGraphDeploymentRequest>(DGDR, namespace));
    return request ? this.#attempt(() => this.env.clients.resource(DGDR).delete(namespace, request.metadata.name)) : Promise.resolve('failed' as const);
  }

  /** Deletes the graph a Ready request deployed: the request turns DeploymentDeleted. */
  deleteDeployedGraph() {
    const request = this.#pick(this.#list<DynamoGraphDeploymentRequest>(DGDR).filter((r) => r.status?.state === 'Ready' && r.status.deployment));
    if (!request) return Promise.resolve('failed' as const);
    return this.#attempt(() => this.env.clients.resource(DGD).delete(request.metadata.namespace, request.status!.deployment!));
  }

  /** An adapter for a graph's workers; with `orphan`, for a graph that does not exist (reconciles fail with not_found). */
  createAdapter(namespace: string, options: { graph?: string; orphan?: boolean } = {}) {
    // One adapter per graph: two would scale the same service against each other forever.
    const scaled = new Set(this.#list<DynamoGraphDeploymentScalingAdapter>(DGDSA, namespace).map((a) => a.spec.dgdRef.name));
    const unscaled = this.userGraphs(namespace).filter((g) => !scaled.has(g.metadata.name));
    const graph = options.orphan ? `deleted-graph-${this.#serial}` : (options.graph ?? this.#pick(unscaled)?.metadata.name);
    if (!graph) return Promise.resolve('failed' as const);
    const body: DynamoGraphDeploymentScalingAdapter = {
      apiVersion: apiVersionOf(DGDSA),
      kind: DGDSA.kind,
      metadata: this.#meta(namespace, options.orphan ? 'orphan-scaler' : 'scaler'),
      spec: { dgdRef: { name: graph, serviceName: 'Worker' }, replicas: this.env.random.int(1, 3) },
    };
    return this.#attempt(() => this.env.clients.resource<DynamoGraphDeploymentScalingAdapter>(DGDSA).create(body));
  }

  scaleAdapter() {
    const adapter = this.#pick(this.#list<DynamoGraphDeploymentScalingAdapter>(DGDSA));
    if (!adapter) return Promise.resolve('failed' as const);
    return this.#attempt(() =>
      this.env.clients.resource(DGDSA).replace({ ...adapter, spec: { ...adapter.spec, replicas: adapter.spec.replicas === 1 ? 2 : 1 } }),
    );
  }

  deleteOldestAdapter(namespace: string) {
    const adapter = this.#oldest(this.#list<DynamoGraphDeploymentScalingAdapter>(DGDSA, namespace));
    return adapter ? this.#attempt(() => this.env.clients.resource(DGDSA).delete(namespace, adapter.metadata.name)) : Promise.resolve('failed' as const);
  }

  /** The next status write of `resource` fails with `code` (409 Conflict, 504 Timeout, 429, 503...). */
  failNextStatusWrite(resource: ResourceDefinition, code: number): void {
    this.stats.injected++;
    this.env.cluster.api.injectFailure({ verb: 'update', group: DYNAMO_GROUP, plural: resource.plural, subresource: 'status', code, times: 1 });
  }

  counts(resource: ResourceDefinition, namespace: string): number {
    return this.env.cluster.api.listObjects(apiVersionOf(resource), resource.kind, namespace).length;
  }

  // --- DataMover ----------------------------------------------------------------------

  /** The PVCs backups copy from, in every namespace. */
  async createSourceVolumes(): Promise<void> {
    for (const namespace of this.namespaces) {
      for (const name of SOURCE_PVCS) {
        const body: V1PersistentVolumeClaim = {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: { name, namespace },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '50Gi' } } },
        };
        await this.#attempt(() => this.env.clients.core.createNamespacedPersistentVolumeClaim({ namespace, body }));
      }
    }
  }

  createBackup(namespace: string, variant: BackupVariant = 'ok') {
    const api = this.env.cluster.api;
    if (variant === 'job-quota') {
      this.stats.injected++;
      api.injectFailure({
        verb: 'create',
        group: 'batch',
        plural: 'jobs',
        namespace,
        code: 403,
        reason: 'Forbidden',
        message: 'jobs.batch is forbidden: exceeded quota: compute-resources',
        times: 3,
      });
    }
    if (variant === 'cleanup-error') {
      this.stats.injected++;
      api.injectFailure({
        verb: 'delete',
        group: '',
        plural: 'persistentvolumeclaims',
        namespace,
        code: 500,
        message: 'etcdserver: request timed out',
        times: 1,
      });
    }
    const body: DataMover = {
      apiVersion: apiVersionOf(DATAMOVER),
      kind: DATAMOVER.kind,
      metadata: this.#meta(namespace, 'backup'),
      spec: {
        sourcePvc: variant === 'missing-source' ? 'scratch-deleted' : this.env.random.pick(SOURCE_PVCS),
        destination: variant === 'offline' ? 's3://backups-offline/nightly' : `s3://backups/${namespace}/nightly`,
      },
    };
    return this.#attempt(() => this.env.clients.resource<DataMover>(DATAMOVER).create(body));
  }

  // --- Modal --------------------------------------------------------------------------

  submitJob(namespace: string, variant: JobVariant = 'ok') {
    if (variant === 'api-error') this.env.cloud.failNextSubmit(this.env.random.pick([429, 503]));
    const replicas = variant === 'i6pn' ? this.env.random.int(2, 4) : this.env.random.chance(0.3) ? 2 : 1;
    const body: ModalJob = {
      apiVersion: apiVersionOf(MODAL_JOB),
      kind: MODAL_JOB.kind,
      metadata: this.#meta(namespace, 'job'),
      spec: {
        function: variant === 'oom' ? 'train.py::finetune_oom' : this.env.random.pick(FUNCTIONS),
        gpuType: variant === 'invalid' ? 'TPU-v5' : this.env.random.pick(GPU_TYPES),
        replicas,
        gpusPerReplica: this.env.random.pick([1, 1, 2, 8]),
        i6pn: variant === 'i6pn' || (replicas > 1 && this.env.random.chance(0.5)),
      },
    };
    return this.#attempt(() => this.env.clients.resource<ModalJob>(MODAL_JOB).create(body));
  }

  /** An API server still configured for admission.k8s.io/v1beta1: the Modal webhook answers 400 (counted as an error). */
  async sendOutdatedReview(): Promise<void> {
    this.stats.actions++;
    await fetch(this.env.modalWebhookUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ apiVersion: 'admission.k8s.io/v1beta1', kind: 'AdmissionReview', request: { uid: 'outdated' } }),
      signal: AbortSignal.timeout(5_000),
    })
      .then((res) => res.arrayBuffer())
      .catch(() => undefined);
  }

  // --- DataMovers and ModalJobs ------------------------------------------------------

  /** Backups or jobs not yet Completed or Failed (in `namespace`, or anywhere). */
  inFlight(resource: typeof DATAMOVER | typeof MODAL_JOB, namespace?: string): number {
    return this.#list<DataMover | ModalJob>(resource, namespace).filter((o) => !FINISHED.has(o.status?.phase ?? '')).length;
  }

  /** Deletes finished backups or jobs created more than `seconds` ago. */
  async pruneFinished(resource: typeof DATAMOVER | typeof MODAL_JOB, seconds: number): Promise<void> {
    const cutoff = Date.now() - seconds * 1000;
    for (const o of this.#list<DataMover | ModalJob>(resource)) {
      if (!FINISHED.has(o.status?.phase ?? '') || !(Date.parse(o.metadata.creationTimestamp ?? '') < cutoff)) continue;
      await this.#attempt(() => this.env.clients.resource(resource).delete(o.metadata.namespace, o.metadata.name));
    }
  }

  // --- helpers ------------------------------------------------------------------------

  #pick<T>(items: readonly T[]): T | undefined {
    return items.length === 0 ? undefined : this.env.random.pick(items);
  }
}
