/**
 * The custom resources the reference operator serves and reconciles: the five Dynamo kinds
 * (nvidia.com/v1alpha1, as the Dynamo operator defines them), a DataMover backup and a
 * Modal GPU job. The DataMover and Modal groups are this example's own. Types describe only
 * the fields the controllers read and write.
 */
import type { ResourceDefinition } from '@promkit/testing';

export const DYNAMO_GROUP = 'nvidia.com';
export const DATAMOVER_GROUP = 'datamover.promkit.dev';
export const MODAL_GROUP = 'modal.promkit.dev';
export const VERSION = 'v1alpha1';

function crd(group: string, kind: string, plural: string, shortNames: string[]): ResourceDefinition {
  return { group, version: VERSION, kind, plural, namespaced: true, shortNames };
}

export const DGD = crd(DYNAMO_GROUP, 'DynamoGraphDeployment', 'dynamographdeployments', ['dgd']);
export const DCD = crd(DYNAMO_GROUP, 'DynamoComponentDeployment', 'dynamocomponentdeployments', ['dcd']);
export const DM = crd(DYNAMO_GROUP, 'DynamoModel', 'dynamomodels', ['dm']);
export const DGDR = crd(DYNAMO_GROUP, 'DynamoGraphDeploymentRequest', 'dynamographdeploymentrequests', ['dgdr']);
export const DGDSA = crd(DYNAMO_GROUP, 'DynamoGraphDeploymentScalingAdapter', 'dynamographdeploymentscalingadapters', ['dgdsa']);
export const DATAMOVER = crd(DATAMOVER_GROUP, 'DataMover', 'datamovers', ['dmv']);
export const MODAL_JOB = crd(MODAL_GROUP, 'ModalJob', 'modaljobs', ['mj']);

export const DYNAMO_CRDS = [DGD, DCD, DM, DGDR, DGDSA] as const;
export const ALL_CRDS: readonly ResourceDefinition[] = [...DYNAMO_CRDS, DATAMOVER, MODAL_JOB];

/** batch/v1 Jobs: built into a real cluster, defined on the embedded one (DataMover's sync runs as a Job). */
export const BATCH_JOBS: ResourceDefinition = {
  group: 'batch',
  version: 'v1',
  plural: 'jobs',
  kind: 'Job',
  namespaced: true,
  allowUnconditionalUpdate: true,
  defaultsTypeMeta: true,
};

export function apiVersionOf(resource: ResourceDefinition): string {
  return resource.group === '' ? resource.version : `${resource.group}/${resource.version}`;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface Meta {
  name: string;
  namespace: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
}

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime: string;
}

export interface Resource<Spec, Status> {
  apiVersion: string;
  kind: string;
  metadata: Meta;
  spec: Spec;
  status?: Status;
}

export type ComponentType = 'frontend' | 'worker' | 'prefill' | 'planner';

export interface ServiceSpec {
  componentType: ComponentType;
  replicas: number;
  image: string;
}

export type DynamoGraphDeployment = Resource<
  { backendFramework: string; services: Record<string, ServiceSpec> },
  { state?: 'pending' | 'successful' | 'failed'; message?: string; observedGeneration?: number }
>;

export type DynamoComponentDeployment = Resource<
  { componentType: ComponentType; replicas: number; image: string; backendFramework: string },
  { conditions?: Condition[]; readyReplicas?: number; observedGeneration?: number }
>;

export type DynamoModel = Resource<{ modelName: string; source: string }, { conditions?: Condition[]; downloadStartedAt?: string }>;

export type DgdrState = 'Pending' | 'Profiling' | 'Deploying' | 'Ready' | 'DeploymentDeleted' | 'Failed';

export type DynamoGraphDeploymentRequest = Resource<
  { model: string; backend: string; sla: { ttftMs: number; itlMs: number } },
  { state?: DgdrState; profilingStartedAt?: string; deployment?: string; message?: string }
>;

export type DynamoGraphDeploymentScalingAdapter = Resource<
  { dgdRef: { name: string; serviceName: string }; replicas: number },
  { conditions?: Condition[]; replicas?: number }
>;

export type DataMoverPhaseName = 'CreatingClonedPVC' | 'CreatingPod' | 'CleaningUp' | 'Completed' | 'Failed';

export type DataMover = Resource<
  { sourcePvc: string; destination: string },
  {
    phase?: DataMoverPhaseName;
    phaseStartedAt?: string;
    clonedPvc?: string;
    syncJob?: string;
    podAttempts?: number;
    cleanupAttempts?: number;
    /** The Job and clone deletions were sent; cleanup waits for them to be gone. */
    cleanupIssued?: boolean;
    /** Outcome of the backup, decided before cleanup runs. */
    result?: 'success' | 'failure';
    message?: string;
  }
>;

export type ModalJobPhase = 'Queued' | 'Running' | 'Completed' | 'Failed';

export type ModalJob = Resource<
  { function: string; gpuType: string; replicas: number; gpusPerReplica?: number; i6pn?: boolean },
  { phase?: ModalJobPhase; callId?: string; queuedAt?: string; startedAt?: string; finishedAt?: string; coldStart?: boolean; message?: string }
>;

/** apiextensions.k8s.io/v1 CRDs for a real cluster: schemaless specs, status subresource, short names. */
export function crdManifests(): Record<string, unknown>[] {
  return ALL_CRDS.map((r) => ({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${r.plural}.${r.group}` },
    spec: {
      group: r.group,
      scope: 'Namespaced',
      names: { kind: r.kind, plural: r.plural, singular: r.kind.toLowerCase(), shortNames: r.shortNames ?? [] },
      versions: [
        {
          name: r.version,
          served: true,
          storage: true,
          subresources: { status: {} },
          schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
        },
      ],
    },
  }));
}
