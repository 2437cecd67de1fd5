/**
 * What `promkit demo` needs of the reference operator in examples/reference-operator. The
 * example lives outside src (it is not part of the published build), so the demo loads it
 * by URL at run time and relies on this contract, which the example declares it implements.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Registry } from '../../core/registry.js';
import type { DistributedRuntime } from '../../runtime/index.js';

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

/** examples/reference-operator/index.ts, relative to this file (src/cli/demo). */
const MODULE_URL = new URL('../../../examples/reference-operator/index.ts', import.meta.url);

/** Loads the reference operator from the repository checkout. */
export async function loadReferenceOperator(): Promise<ReferenceOperatorModule> {
  if (!existsSync(fileURLToPath(MODULE_URL))) {
    throw new Error(
      `the reference operator is not here (${fileURLToPath(MODULE_URL)}): 'promkit demo' runs from a clone of the repository, with 'npm start'`,
    );
  }
  // A computed specifier: the example is not compiled into dist, and tsx loads it from source.
  const specifier: string = MODULE_URL.href;
  return (await import(specifier)) as ReferenceOperatorModule;
}
