/**
 * Which resources the server serves, and the per-resource behaviour the real API server
 * varies by type (status subresource, what a delete returns, unconditional updates).
 */

/** Describes one served resource: a built-in kind or a CRD. */
export interface ResourceDefinition {
  /** API group; `''` for the core (`/api/v1`) group. */
  group: string;
  version: string;
  /** Lowercase plural used in paths, e.g. `dynamographdeployments`. */
  plural: string;
  kind: string;
  namespaced: boolean;
  /** Defaults to the lowercased kind. */
  singular?: string;
  shortNames?: string[];
  /**
   * Whether `/status` is a subresource. When it is, a normal update or patch ignores
   * `.status`, create drops `.status`, and `/status` writes change only `.status`.
   * Default: true.
   */
  statusSubresource?: boolean;
  /**
   * Whether DELETE answers with the deleted object (pods, namespaces) or with a
   * `Status {status: 'Success'}` (custom resources, configmaps). Default: false.
   */
  deleteReturnsObject?: boolean;
  /**
   * Whether PUT without `metadata.resourceVersion` is allowed. Custom resources require it
   * (422 otherwise), built-in kinds do not. Default: false.
   */
  allowUnconditionalUpdate?: boolean;
  /**
   * Whether apiVersion/kind may be omitted from request bodies (the server fills them from
   * the path). True for built-in kinds; custom resources reject such bodies. Default: false.
   */
  defaultsTypeMeta?: boolean;
  /**
   * Fields usable in `fieldSelector` besides `metadata.name` and `metadata.namespace`,
   * as dotted paths (`status.phase`), like a CRD's `selectableFields`.
   */
  selectableFields?: string[];
}

/** A definition with every default applied. */
export type ResolvedResource = Required<Omit<ResourceDefinition, 'shortNames'>> & { shortNames: string[] };

const core = (plural: string, kind: string, namespaced: boolean, extra: Partial<ResourceDefinition> = {}): ResourceDefinition => ({
  group: '',
  version: 'v1',
  plural,
  kind,
  namespaced,
  allowUnconditionalUpdate: true,
  defaultsTypeMeta: true,
  ...extra,
});

/** Resources every LocalApiServer serves. */
export const BUILTIN_RESOURCES: readonly ResourceDefinition[] = [
  core('namespaces', 'Namespace', false, {
    shortNames: ['ns'],
    deleteReturnsObject: true,
    selectableFields: ['status.phase'],
  }),
  core('pods', 'Pod', true, {
    shortNames: ['po'],
    deleteReturnsObject: true,
    selectableFields: [
      'spec.nodeName',
      'spec.restartPolicy',
      'spec.schedulerName',
      'spec.serviceAccountName',
      'status.phase',
      'status.podIP',
      'status.nominatedNodeName',
    ],
  }),
  core('persistentvolumeclaims', 'PersistentVolumeClaim', true, { shortNames: ['pvc'], deleteReturnsObject: true }),
  core('configmaps', 'ConfigMap', true, { shortNames: ['cm'], statusSubresource: false }),
  core('secrets', 'Secret', true, { statusSubresource: false, selectableFields: ['type'] }),
  core('services', 'Service', true, { shortNames: ['svc'], deleteReturnsObject: true }),
  core('events', 'Event', true, {
    shortNames: ['ev'],
    statusSubresource: false,
    selectableFields: [
      'involvedObject.kind',
      'involvedObject.namespace',
      'involvedObject.name',
      'involvedObject.uid',
      'involvedObject.apiVersion',
      'involvedObject.resourceVersion',
      'involvedObject.fieldPath',
      'reason',
      'reportingComponent',
      'source',
      'type',
    ],
  }),
  {
    group: 'coordination.k8s.io',
    version: 'v1',
    plural: 'leases',
    kind: 'Lease',
    namespaced: true,
    statusSubresource: false,
    allowUnconditionalUpdate: true,
    defaultsTypeMeta: true,
  },
];

export function resolveResource(def: ResourceDefinition): ResolvedResource {
  return {
    group: def.group,
    version: def.version,
    plural: def.plural,
    kind: def.kind,
    namespaced: def.namespaced,
    singular: def.singular ?? def.kind.toLowerCase(),
    shortNames: def.shortNames ?? [],
    statusSubresource: def.statusSubresource ?? true,
    deleteReturnsObject: def.deleteReturnsObject ?? false,
    allowUnconditionalUpdate: def.allowUnconditionalUpdate ?? false,
    defaultsTypeMeta: def.defaultsTypeMeta ?? false,
    selectableFields: def.selectableFields ?? [],
  };
}

/** `group/version`, or `version` for the core group. */
export function apiVersionOf(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

/**
 * The served resources. A (group, plural) pair may be served at several versions, sharing
 * one set of objects, like a multi-version CRD without conversion webhooks.
 */
export class ResourceRegistry {
  readonly #byGroupPlural = new Map<string, ResolvedResource>();
  readonly #versions = new Map<string, string[]>();

  define(def: ResourceDefinition): ResolvedResource {
    const validName = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
    if (!validName.test(def.plural)) {
      throw new Error(`resource plural '${def.plural}' is invalid: use lowercase letters, digits and '-'`);
    }
    if (!/^[A-Z][A-Za-z0-9]*$/.test(def.kind)) {
      throw new Error(`resource kind '${def.kind}' is invalid: use UpperCamelCase, e.g. 'Widget'`);
    }
    if (!/^v[0-9]+((alpha|beta)[0-9]+)?$/.test(def.version)) {
      throw new Error(`resource version '${def.version}' is invalid: expected e.g. 'v1', 'v1alpha1', 'v2beta3'`);
    }
    const key = `${def.group}/${def.plural}`;
    const existing = this.#byGroupPlural.get(key);
    if (existing) {
      if (existing.kind !== def.kind || existing.namespaced !== def.namespaced) {
        throw new Error(
          `resource ${key} is already defined as kind ${existing.kind} (namespaced: ${existing.namespaced}); ` +
            `another version must keep the same kind and scope`,
        );
      }
      const versions = this.#versions.get(key)!;
      if (!versions.includes(def.version)) versions.push(def.version);
      return existing;
    }
    const resolved = resolveResource(def);
    this.#byGroupPlural.set(key, resolved);
    this.#versions.set(key, [def.version]);
    return resolved;
  }

  /** The resource served at `group/version/plural`, if any. */
  lookup(group: string, version: string, plural: string): ResolvedResource | undefined {
    const key = `${group}/${plural}`;
    const res = this.#byGroupPlural.get(key);
    return res && this.#versions.get(key)!.includes(version) ? res : undefined;
  }

  /** The resource for an object's apiVersion and kind, if any. */
  lookupKind(apiVersion: string, kind: string): ResolvedResource | undefined {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
    for (const res of this.#byGroupPlural.values()) {
      if (res.group === group && res.kind === kind && this.#versions.get(`${group}/${res.plural}`)!.includes(version!)) {
        return res;
      }
    }
    return undefined;
  }

  /** Every (resource, version) pair served, in definition order. */
  *served(): Generator<{ resource: ResolvedResource; version: string }> {
    for (const [key, res] of this.#byGroupPlural) {
      for (const version of this.#versions.get(key)!) yield { resource: res, version };
    }
  }
}
