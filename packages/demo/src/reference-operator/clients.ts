/**
 * Typed access to one custom resource through client-node's CustomObjectsApi, with the
 * admission gate in front of writes when the cluster has no admission chain of its own.
 */
import { BatchV1Api, CoreV1Api, CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import type { ResourceDefinition } from '@promkit/testing';
import type { AdmissionGate } from './admission-gate.js';
import type { Resource } from './crds.js';

export type AnyResource = Resource<unknown, unknown>;

export class ResourceClient<T extends AnyResource> {
  constructor(
    readonly api: CustomObjectsApi,
    readonly resource: ResourceDefinition,
    private readonly gate?: AdmissionGate,
  ) {}

  private where(namespace: string) {
    const { group, version, plural } = this.resource;
    return { group, version, plural, namespace };
  }

  get(namespace: string, name: string): Promise<T> {
    return this.api.getNamespacedCustomObject({ ...this.where(namespace), name }) as Promise<T>;
  }

  /** Every object of the kind in every namespace (an informer's list). */
  listAll(): Promise<{ items: T[] }> {
    const { group, version, plural } = this.resource;
    return this.api.listClusterCustomObject({ group, version, plural }) as Promise<{ items: T[] }>;
  }

  async create(body: T): Promise<T> {
    await this.gate?.admit('CREATE', this.resource, body);
    return (await this.api.createNamespacedCustomObject({ ...this.where(body.metadata.namespace), body })) as T;
  }

  /** PUT of the whole object; `metadata.resourceVersion` makes it conditional (409 when stale). */
  async replace(body: T): Promise<T> {
    await this.gate?.admit('UPDATE', this.resource, body);
    return (await this.api.replaceNamespacedCustomObject({ ...this.where(body.metadata.namespace), name: body.metadata.name, body })) as T;
  }

  /** PUT of `/status`: only `.status` changes. Webhooks review the main resource only. */
  async replaceStatus(body: T): Promise<T> {
    return (await this.api.replaceNamespacedCustomObjectStatus({ ...this.where(body.metadata.namespace), name: body.metadata.name, body })) as T;
  }

  async delete(namespace: string, name: string): Promise<void> {
    await this.gate?.admit('DELETE', this.resource, null, { namespace, name });
    await this.api.deleteNamespacedCustomObject({ ...this.where(namespace), name });
  }
}

/** The API clients one operator process uses. */
export interface KubeClients {
  readonly kubeConfig: KubeConfig;
  readonly custom: CustomObjectsApi;
  readonly core: CoreV1Api;
  readonly batch: BatchV1Api;
  resource<T extends AnyResource>(resource: ResourceDefinition): ResourceClient<T>;
}

export function kubeClients(kubeConfig: KubeConfig, gate?: AdmissionGate): KubeClients {
  const custom = kubeConfig.makeApiClient(CustomObjectsApi);
  return {
    kubeConfig,
    custom,
    core: kubeConfig.makeApiClient(CoreV1Api),
    batch: kubeConfig.makeApiClient(BatchV1Api),
    resource: <T extends AnyResource>(resource: ResourceDefinition) => new ResourceClient<T>(custom, resource, gate),
  };
}

/** True for an ApiException (or any error) carrying HTTP `code`. */
export function hasCode(error: unknown, code: number): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
