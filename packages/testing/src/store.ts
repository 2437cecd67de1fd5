/**
 * The object store: one map per resource, one global resourceVersion counter, and the
 * write semantics of the real API server (optimistic concurrency, generation, status
 * subresource, finalizers, no-op updates). It knows nothing about HTTP.
 */
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { apiVersionOf, type ResolvedResource } from './resources.js';
import { alreadyExists, ApiError, conflict, failureStatus, invalid, notFound, STALE_OBJECT } from './status.js';

/** `metadata` of a stored object. Unknown fields are kept as sent. */
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: unknown[];
  [field: string]: unknown;
}

/** Any Kubernetes object, as JSON. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One committed change; `rv` is the resourceVersion it produced. */
export interface StoreChange {
  type: ChangeType;
  rv: number;
  resource: ResolvedResource;
  object: KubeObject;
  /** The object before the change (MODIFIED and DELETED). */
  previous?: KubeObject;
}

export interface WriteOptions {
  /** Validate and compute the result without persisting it (`?dryRun=All`). */
  dryRun?: boolean;
}

export interface UpdateOptions extends WriteOptions {
  /** `'status'` writes only `.status`; otherwise `.status` is kept when the resource has the subresource. */
  subresource?: 'status';
  /** Patches always carry a resourceVersion precondition only if the patch sets one. */
  fromPatch?: boolean;
}

export interface DeleteOptions extends WriteOptions {
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface DeleteResult {
  object: KubeObject;
  /** False when finalizers deferred the deletion (only `deletionTimestamp` was set). */
  deleted: boolean;
}

const NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789';
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function timestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

/** The object without fields a write never compares: resourceVersion. */
function comparable(obj: KubeObject): KubeObject {
  const { resourceVersion: _rv, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

/** Everything the `generation` counter tracks: all but metadata (and status, if a subresource). */
function generationContent(obj: KubeObject, statusSubresource: boolean): Record<string, unknown> {
  const { metadata: _m, status, ...rest } = obj;
  return statusSubresource ? rest : { ...rest, status };
}

export interface ObjectStoreOptions {
  /** Called once per committed change, in resourceVersion order. */
  onChange: (change: StoreChange) => void;
  clock?: () => Date;
  /** Namespaces that exist before anything is created. */
  initialNamespaces?: readonly string[];
  /** The Namespace resource, so namespaced creates can make their namespace exist. */
  namespaceResource?: ResolvedResource;
}

export class ObjectStore {
  readonly #objects = new Map<string, Map<string, KubeObject>>();
  readonly #onChange: (change: StoreChange) => void;
  readonly #clock: () => Date;
  readonly #namespaceResource: ResolvedResource | undefined;
  #rv = 0;

  constructor(options: ObjectStoreOptions) {
    this.#onChange = options.onChange;
    this.#clock = options.clock ?? (() => new Date());
    this.#namespaceResource = options.namespaceResource;
    for (const ns of options.initialNamespaces ?? []) this.#ensureNamespace(ns);
  }

  /** The latest resourceVersion handed out (the list resourceVersion). */
  get resourceVersion(): number {
    return this.#rv;
  }

  #bucket(resource: ResolvedResource): Map<string, KubeObject> {
    const key = `${resource.group}/${resource.plural}`;
    let bucket = this.#objects.get(key);
    if (!bucket) {
      bucket = new Map();
      this.#objects.set(key, bucket);
    }
    return bucket;
  }

  #commit(type: ChangeType, resource: ResolvedResource, object: KubeObject, previous?: KubeObject): KubeObject {
    this.#rv += 1;
    object.metadata.resourceVersion = String(this.#rv);
    const bucket = this.#bucket(resource);
    const key = objectKey(object.metadata.namespace, object.metadata.name!);
    if (type === 'DELETED') bucket.delete(key);
    else bucket.set(key, object);
    const change: StoreChange = { type, rv: this.#rv, resource, object: structuredClone(object) };
    if (previous) change.previous = structuredClone(previous);
    this.#onChange(change);
    return structuredClone(object);
  }

  #ensureNamespace(name: string): void {
    const nsResource = this.#namespaceResource;
    if (!nsResource || this.#bucket(nsResource).has(objectKey(undefined, name))) return;
    this.#commit('ADDED', nsResource, this.#prepareNew(nsResource, { metadata: { name } }));
  }

  #prepareNew(resource: ResolvedResource, obj: KubeObject): KubeObject {
    const metadata = obj.metadata;
    delete metadata.deletionTimestamp;
    delete metadata.deletionGracePeriodSeconds;
    delete metadata.generateName;
    metadata.uid = randomUUID();
    metadata.creationTimestamp = timestamp(this.#clock());
    metadata.generation = 1;
    obj.apiVersion = apiVersionOf(resource.group, resource.version);
    obj.kind = resource.kind;
    if (resource.statusSubresource) delete obj.status;
    if (resource.group === '' && resource.plural === 'namespaces') {
      metadata.labels = { ...metadata.labels, 'kubernetes.io/metadata.name': metadata.name! };
      obj.status = { phase: 'Active' };
    }
    return obj;
  }

  /** A copy of the stored object, or undefined. */
  get(resource: ResolvedResource, namespace: string | undefined, name: string): KubeObject | undefined {
    const found = this.#bucket(resource).get(objectKey(resource.namespaced ? namespace : undefined, name));
    return found && structuredClone(found);
  }

  /** Copies of the stored objects, sorted by namespace then name (etcd key order). */
  list(resource: ResolvedResource, namespace?: string): KubeObject[] {
    const items: KubeObject[] = [];
    for (const obj of this.#bucket(resource).values()) {
      if (namespace === undefined || obj.metadata.namespace === namespace) items.push(structuredClone(obj));
    }
    const key = (o: KubeObject) => objectKey(o.metadata.namespace, o.metadata.name!);
    return items.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  }

  /** Creates `body` (namespace already resolved into metadata.namespace). */
  create(resource: ResolvedResource, body: KubeObject, options: WriteOptions = {}): KubeObject {
    const obj = structuredClone(body);
    const metadata = obj.metadata;
    const bucket = this.#bucket(resource);
    if (!metadata.name) {
      if (!metadata.generateName) {
        throw invalid(resource.group, resource.kind, '', 'metadata.name', 'Required value: name or generateName is required');
      }
      const base = metadata.generateName.slice(0, 58);
      do {
        let suffix = '';
        for (let i = 0; i < 5; i++) suffix += NAME_CHARS[Math.floor(Math.random() * NAME_CHARS.length)];
        metadata.name = base + suffix;
      } while (bucket.has(objectKey(metadata.namespace, metadata.name)));
    }
    const name = metadata.name;
    const label = resource.plural === 'namespaces' && resource.group === '';
    if (name.length > (label ? 63 : 253) || !(label ? DNS_LABEL : DNS_SUBDOMAIN).test(name)) {
      throw invalid(
        resource.group,
        resource.kind,
        name,
        'metadata.name',
        `Invalid value: "${name}": a lowercase RFC 1123 ${label ? 'label' : 'subdomain'} must consist of lower case ` +
          `alphanumeric characters, '-'${label ? '' : " or '.'"}, and must start and end with an alphanumeric character`,
      );
    }
    if (metadata.resourceVersion) {
      throw new ApiError(failureStatus(500, 'Internal error occurred: resourceVersion should not be set on objects to be created'));
    }
    if (bucket.has(objectKey(metadata.namespace, name))) throw alreadyExists(resource.group, resource.plural, name);
    this.#prepareNew(resource, obj);
    if (options.dryRun) return obj;
    if (resource.namespaced && metadata.namespace) this.#ensureNamespace(metadata.namespace);
    return this.#commit('ADDED', resource, obj);
  }

  /** Replaces an object (PUT, or the result of a patch). */
  update(resource: ResolvedResource, namespace: string | undefined, name: string, body: KubeObject, options: UpdateOptions = {}): KubeObject {
    const bucket = this.#bucket(resource);
    const existing = bucket.get(objectKey(resource.namespaced ? namespace : undefined, name));
    if (!existing) throw notFound(resource.group, resource.plural, name);
    const requestedRv = body.metadata?.resourceVersion;
    if (requestedRv) {
      if (requestedRv !== existing.metadata.resourceVersion) {
        throw conflict(resource.group, resource.plural, name, STALE_OBJECT);
      }
    } else if (!resource.allowUnconditionalUpdate && !options.fromPatch) {
      throw invalid(resource.group, resource.kind, name, 'metadata.resourceVersion', 'Invalid value: 0x0: must be specified for an update');
    }

    let next: KubeObject;
    if (options.subresource === 'status') {
      next = structuredClone(existing);
      if (body.status === undefined) delete next.status;
      else next.status = structuredClone(body.status);
    } else {
      next = structuredClone(body);
      const m = existing.metadata;
      next.metadata = {
        ...next.metadata,
        name: m.name,
        namespace: m.namespace,
        uid: m.uid,
        creationTimestamp: m.creationTimestamp,
        generation: m.generation,
        resourceVersion: m.resourceVersion,
      };
      if (m.namespace === undefined) delete next.metadata.namespace;
      // Deletion is only ever started by DELETE; updates can neither set nor clear it.
      if (m.deletionTimestamp === undefined) delete next.metadata.deletionTimestamp;
      else next.metadata.deletionTimestamp = m.deletionTimestamp;
      if (m.deletionGracePeriodSeconds === undefined) delete next.metadata.deletionGracePeriodSeconds;
      else next.metadata.deletionGracePeriodSeconds = m.deletionGracePeriodSeconds;
      next.apiVersion = existing.apiVersion;
      next.kind = existing.kind;
      if (resource.statusSubresource) {
        if (existing.status === undefined) delete next.status;
        else next.status = structuredClone(existing.status);
      }
      if (!isDeepStrictEqual(generationContent(next, resource.statusSubresource), generationContent(existing, resource.statusSubresource))) {
        next.metadata.generation = (m.generation ?? 0) + 1;
      }
    }

    const finalizersDone = next.metadata.deletionTimestamp && (next.metadata.finalizers ?? []).length === 0;
    if (finalizersDone) {
      if (options.dryRun) return next;
      return this.#commit('DELETED', resource, next, existing);
    }
    // The real server skips writes that change nothing: no new resourceVersion, no event.
    if (isDeepStrictEqual(comparable(next), comparable(existing))) return structuredClone(existing);
    if (options.dryRun) return next;
    return this.#commit('MODIFIED', resource, next, existing);
  }

  /** Deletes an object, or marks it for deletion while finalizers remain. */
  delete(resource: ResolvedResource, namespace: string | undefined, name: string, options: DeleteOptions = {}): DeleteResult {
    const existing = this.#bucket(resource).get(objectKey(resource.namespaced ? namespace : undefined, name));
    if (!existing) throw notFound(resource.group, resource.plural, name);
    const pre = options.preconditions;
    if (pre?.uid && pre.uid !== existing.metadata.uid) {
      throw conflict(
        resource.group,
        resource.plural,
        name,
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${existing.metadata.uid}`,
      );
    }
    if (pre?.resourceVersion && pre.resourceVersion !== existing.metadata.resourceVersion) {
      throw conflict(
        resource.group,
        resource.plural,
        name,
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ` +
          `ResourceVersion in object meta: ${existing.metadata.resourceVersion}`,
      );
    }
    if ((existing.metadata.finalizers ?? []).length > 0) {
      if (existing.metadata.deletionTimestamp) return { object: structuredClone(existing), deleted: false };
      const marked = structuredClone(existing);
      marked.metadata.deletionTimestamp = timestamp(this.#clock());
      marked.metadata.deletionGracePeriodSeconds = 0;
      if (options.dryRun) return { object: marked, deleted: false };
      return { object: this.#commit('MODIFIED', resource, marked, existing), deleted: false };
    }
    if (options.dryRun) return { object: structuredClone(existing), deleted: true };
    return { object: this.#commit('DELETED', resource, structuredClone(existing), existing), deleted: true };
  }
}
