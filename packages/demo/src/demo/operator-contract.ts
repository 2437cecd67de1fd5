/**
 * What the demo needs of the reference operator (`../reference-operator`): the contract
 * the operator declares it implements, so the demo's wiring does not depend on its insides.
 */
import type { Registry } from 'promkit';
import type { DistributedRuntime } from 'promkit/runtime';

export type DemoLogLevel = 'debug' | 'info' | 'warn' | 'error';
export type DemoLog = (level: DemoLogLevel, message: string) => void;

export interface ReferenceOperatorOptions {
  /** Watch the cluster of this kubeconfig file instead of starting an embedded API server. */
  kubeconfig?: string;
  /** Watch the cluster of `KUBECONFIG` (or ~/.kube/config) instead of an embedded API server. */
  cluster?: boolean;
  /** Seed of the workload generator and the simulated cluster (default 1). */
  seed?: number;
  /** Run the workload generator on the embedded cluster (default true; never on a real cluster). */
  workload?: boolean;
  log?: DemoLog;
}

export interface ReferenceOperator {
  readonly mode: 'embedded' | 'cluster';
  /** Each operator's metrics, served by the demo on its own port. */
  readonly registries: { readonly dynamoOperator: Registry; readonly datamover: Registry; readonly modal: Registry };
  /** The embedded API server's URL, or the cluster's. */
  readonly apiServerUrl: string;
  /** Validating webhooks (AdmissionReview v1 over plain HTTP, for local use). */
  readonly webhooks: { readonly dynamo: string; readonly modal: string };
  /** Namespaces the workload generator uses (empty on a real cluster). */
  readonly namespaces: readonly string[];
  /** Writes a kubeconfig for the embedded API server (undefined on a real cluster). */
  writeKubeconfig?(path: string): Promise<string>;
  /** The CustomResourceDefinitions the controllers need on a real cluster. */
  crdManifests(): Record<string, unknown>[];
  stop(): Promise<void>;
}

export interface RuntimeSimulation {
  /** A DistributedRuntime with a few namespaces, components and endpoints doing simulated work. */
  readonly runtime: DistributedRuntime;
  stop(): Promise<void>;
}

export interface ReferenceOperatorModule {
  startReferenceOperator(options: ReferenceOperatorOptions): Promise<ReferenceOperator>;
  startRuntimeSimulation(options: { seed?: number; log?: DemoLog }): RuntimeSimulation;
}

/** The reference operator, loaded when the demo starts (so `--help` does not load client-node). */
export async function loadReferenceOperator(): Promise<ReferenceOperatorModule> {
  return import('../reference-operator/index.js');
}
