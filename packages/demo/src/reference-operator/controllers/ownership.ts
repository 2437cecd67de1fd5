/** Owner references and the label on everything the operator creates. */
import type { ResourceDefinition } from '@promkit/testing';
import { apiVersionOf, type OwnerReference, type Resource } from '../crds.js';

/** Put on every object the operator creates, so its informers (and `kubectl get -l`) select only those. */
export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'promkit-reference-operator' } as const;
export const MANAGED_SELECTOR = Object.entries(MANAGED_BY)
  .map(([k, v]) => `${k}=${v}`)
  .join(',');

/** Marks `owner` as the controller of the object it is put on (garbage collection deletes it with the owner). */
export function ownerReference(owner: Resource<unknown, unknown>, resource: ResourceDefinition): OwnerReference {
  return {
    apiVersion: apiVersionOf(resource),
    kind: resource.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

export function isOwnedBy(obj: { metadata?: { ownerReferences?: Array<{ uid?: string }> } }, owner: Resource<unknown, unknown>): boolean {
  return (obj.metadata?.ownerReferences ?? []).some((ref) => ref.uid === owner.metadata.uid);
}
