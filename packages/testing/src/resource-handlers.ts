/**
 * The resource verbs — get, list, watch, create, update, patch, delete, deletecollection —
 * mapped from a parsed request onto the store, with the real server's validation and
 * response shapes. HTTP framing lives in the server; this file only sees parsed input.
 */
import { mediaType, parseJson, parseYamlBody } from './body.js';
import type { ApiVerb } from './failures.js';
import type { ResourceRoute } from './http-router.js';
import { applyPatch, PATCH_TYPES, type PatchType } from './patch.js';
import { apiVersionOf, type ResolvedResource } from './resources.js';
import { parseFieldSelector, parseLabelSelector } from './selectors.js';
import { ApiError, badRequest, failureStatus, methodNotAllowed, notFound, pathNotFound, successStatus } from './status.js';
import type { KubeObject, ObjectStore } from './store.js';
import type { WatchScope } from './watch-hub.js';

/** A resource request after routing. */
export interface ResourceRequest {
  route: ResourceRoute;
  resource: ResolvedResource;
  verb: ApiVerb;
  query: URLSearchParams;
  contentType: string | undefined;
  body: Buffer;
}

/** A JSON answer, or a watch for the server to stream. */
export type ResourceResponse =
  | { code: number; body: unknown }
  | { watch: { scope: WatchScope; fromRv: number | undefined; initial: () => KubeObject[]; timeoutSeconds?: number } };

const TRUE_VALUES = new Set(['1', 't', 'T', 'true', 'TRUE', 'True']);

/** Go's strconv.ParseBool truthy spellings, which the server accepts for `watch`. */
export function isTrue(value: string | null): boolean {
  return value !== null && TRUE_VALUES.has(value);
}

/** The Kubernetes verb for a method on a route, or undefined if none applies. */
export function verbFor(method: string, route: ResourceRoute, query: URLSearchParams): ApiVerb | undefined {
  const watching = route.watchPrefix || isTrue(query.get('watch'));
  switch (method) {
    case 'GET':
      if (watching) return 'watch';
      return route.name === undefined ? 'list' : 'get';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return route.name === undefined ? 'deletecollection' : 'delete';
    default:
      return undefined;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function parseResourceVersion(value: string): number {
  if (!/^[0-9]+$/.test(value)) {
    throw badRequest(`resourceVersion: Invalid value: "${value}": must be a non-negative integer`);
  }
  return Number(value);
}

export class ResourceHandlers {
  readonly #store: ObjectStore;

  constructor(store: ObjectStore) {
    this.#store = store;
  }

  async handle(req: ResourceRequest): Promise<ResourceResponse> {
    const { route, resource, verb } = req;
    if (route.namespace !== undefined && !resource.namespaced) throw pathNotFound();
    const sub = route.subresource;
    if (sub !== undefined && !(sub === 'status' && resource.statusSubresource)) throw pathNotFound();
    if (sub !== undefined && (verb === 'create' || verb === 'delete' || verb === 'watch')) throw methodNotAllowed(verb);
    const needsNamespace = resource.namespaced && route.name !== undefined;
    if (needsNamespace && route.namespace === undefined) throw pathNotFound();

    switch (verb) {
      case 'get':
        return { code: 200, body: this.#present(this.#mustGet(req), req) };
      case 'list':
        return { code: 200, body: this.#list(req) };
      case 'watch':
        return { watch: this.#watch(req) };
      case 'create':
        if (route.name !== undefined) throw methodNotAllowed('POST');
        return this.#create(req);
      case 'update':
        return this.#update(req);
      case 'patch':
        return this.#patch(req);
      case 'delete':
        return this.#delete(req);
      case 'deletecollection':
        return this.#deleteCollection(req);
    }
  }

  /** The object as this client sees it: apiVersion of the requested version. */
  #present(obj: KubeObject, req: ResourceRequest): KubeObject {
    obj.apiVersion = apiVersionOf(req.resource.group, req.route.version);
    return obj;
  }

  #mustGet(req: ResourceRequest): KubeObject {
    const { resource, route } = req;
    const obj = this.#store.get(resource, route.namespace, route.name!);
    if (!obj) throw notFound(resource.group, resource.plural, route.name!);
    return obj;
  }

  #selection(req: ResourceRequest): (obj: KubeObject) => boolean {
    const labels = parseLabelSelector(req.query.get('labelSelector'));
    const fields = parseFieldSelector(req.query.get('fieldSelector'), req.resource.selectableFields);
    const name = req.route.name;
    return (obj) => (name === undefined || obj.metadata.name === name) && labels.matches(obj.metadata.labels) && fields.matches(obj);
  }

  #selected(req: ResourceRequest): KubeObject[] {
    const matches = this.#selection(req);
    return this.#store.list(req.resource, req.route.namespace).filter(matches);
  }

  #list(req: ResourceRequest): Record<string, unknown> {
    const { resource, query } = req;
    let items = this.#selected(req);
    const keyOf = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    const token = query.get('continue');
    if (token) {
      let after: unknown;
      try {
        after = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')).after;
      } catch {
        after = undefined;
      }
      if (typeof after !== 'string') throw badRequest(`continue: Invalid value: "${token}": invalid continue token`);
      items = items.filter((o) => keyOf(o) > after);
    }
    const metadata: Record<string, unknown> = { resourceVersion: String(this.#store.resourceVersion) };
    const limitText = query.get('limit');
    const limit = limitText ? Number(limitText) : 0;
    if (limit > 0 && items.length > limit) {
      metadata.remainingItemCount = items.length - limit;
      items = items.slice(0, limit);
      metadata.continue = Buffer.from(JSON.stringify({ after: keyOf(items[items.length - 1]!) })).toString('base64url');
    }
    // Typed (built-in) lists omit kind/apiVersion on items; custom resource lists keep them.
    const shaped = items.map((o) => {
      const p = this.#present(o, req);
      if (resource.defaultsTypeMeta) {
        delete p.apiVersion;
        delete p.kind;
      }
      return p;
    });
    return {
      kind: `${resource.kind}List`,
      apiVersion: apiVersionOf(resource.group, req.route.version),
      metadata,
      items: shaped,
    };
  }

  #watch(req: ResourceRequest): Extract<ResourceResponse, { watch: unknown }>['watch'] {
    const { resource, route, query } = req;
    const matches = this.#selection(req);
    const rvText = query.get('resourceVersion');
    const fromRv = rvText && rvText !== '0' ? parseResourceVersion(rvText) : undefined;
    const scope: WatchScope = {
      resource,
      matches,
      present: (obj) => this.#present(structuredClone(obj), req),
      bookmarks: isTrue(query.get('allowWatchBookmarks')),
    };
    if (route.namespace !== undefined) scope.namespace = route.namespace;
    const timeoutText = query.get('timeoutSeconds');
    const timeoutSeconds = timeoutText ? Number(timeoutText) : undefined;
    if (timeoutSeconds !== undefined && !(timeoutSeconds >= 0)) {
      throw badRequest(`timeoutSeconds: Invalid value: "${timeoutText}"`);
    }
    const watch: Extract<ResourceResponse, { watch: unknown }>['watch'] = {
      scope,
      fromRv,
      initial: () => this.#selected(req),
    };
    if (timeoutSeconds !== undefined) watch.timeoutSeconds = timeoutSeconds;
    return watch;
  }

  /** Parses and checks an object body for create/update. */
  #objectBody(req: ResourceRequest): KubeObject {
    const type = mediaType(req.contentType);
    if (type !== '' && type !== 'application/json' && !type.endsWith('+json')) {
      throw new ApiError(
        failureStatus(415, `the body of the request was in an unknown format - accepted media types include: application/json`, 'UnsupportedMediaType'),
      );
    }
    const body = parseJson(req.body);
    if (!isObject(body)) throw badRequest(`the request body must be a JSON object, got ${Array.isArray(body) ? 'an array' : typeof body}`);
    return this.#checkObject(body, req);
  }

  /** Type meta, metadata, name and namespace checks shared by create, update and patch results. */
  #checkObject(body: Record<string, unknown>, req: ResourceRequest): KubeObject {
    const { resource, route } = req;
    const expectedApiVersion = apiVersionOf(resource.group, route.version);
    if (body.kind === undefined || body.kind === '' || body.apiVersion === undefined || body.apiVersion === '') {
      if (!resource.defaultsTypeMeta) {
        const missing = body.kind === undefined || body.kind === '' ? 'Kind' : 'apiVersion';
        throw badRequest(`Object '${missing}' is missing in '${JSON.stringify(body).slice(0, 200)}'`);
      }
    } else {
      if (body.apiVersion !== expectedApiVersion) {
        throw badRequest(`the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${expectedApiVersion})`);
      }
      if (body.kind !== resource.kind) {
        throw badRequest(`the kind in the data (${String(body.kind)}) does not match the expected kind (${resource.kind})`);
      }
    }
    if (body.metadata === undefined || body.metadata === null) body.metadata = {};
    if (!isObject(body.metadata)) throw badRequest('metadata must be an object');
    const metadata = body.metadata as KubeObject['metadata'];
    if (resource.namespaced) {
      if (metadata.namespace !== undefined && metadata.namespace !== '' && metadata.namespace !== route.namespace) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      metadata.namespace = route.namespace;
    } else {
      delete metadata.namespace;
    }
    if (route.name !== undefined) {
      if (metadata.name !== undefined && metadata.name !== '' && metadata.name !== route.name) {
        throw badRequest(`the name of the object (${String(metadata.name)}) does not match the name on the URL (${route.name})`);
      }
      metadata.name = route.name;
    }
    body.apiVersion = apiVersionOf(resource.group, resource.version);
    body.kind = resource.kind;
    return body as KubeObject;
  }

  #dryRun(req: ResourceRequest): boolean {
    const dryRun = req.query.get('dryRun');
    if (dryRun === null || dryRun === '') return false;
    if (dryRun !== 'All') throw badRequest(`dryRun: Unsupported value: "${dryRun}": supported values: "All"`);
    return true;
  }

  #create(req: ResourceRequest): ResourceResponse {
    if (req.resource.namespaced && req.route.namespace === undefined) throw methodNotAllowed('POST');
    const obj = this.#objectBody(req);
    const created = this.#store.create(req.resource, obj, { dryRun: this.#dryRun(req) });
    return { code: 201, body: this.#present(created, req) };
  }

  #update(req: ResourceRequest): ResourceResponse {
    if (req.route.name === undefined) throw methodNotAllowed('PUT');
    const obj = this.#objectBody(req);
    const options = { dryRun: this.#dryRun(req), ...(req.route.subresource === 'status' ? { subresource: 'status' as const } : {}) };
    const updated = this.#store.update(req.resource, req.route.namespace, req.route.name, obj, options);
    return { code: 200, body: this.#present(updated, req) };
  }

  #patch(req: ResourceRequest): ResourceResponse {
    const { resource, route } = req;
    if (route.name === undefined) throw methodNotAllowed('PATCH');
    const type = mediaType(req.contentType);
    if (!PATCH_TYPES.includes(type as PatchType)) {
      throw new ApiError(
        failureStatus(
          415,
          `the body of the request was in an unknown format - accepted media types include: ${PATCH_TYPES.join(', ')}`,
          'UnsupportedMediaType',
        ),
      );
    }
    const patchType = type as PatchType;
    const patch = patchType === 'application/apply-patch+yaml' ? parseYamlBody(req.body) : parseJson(req.body);
    const dryRun = this.#dryRun(req);
    const subresource = route.subresource === 'status' ? ({ subresource: 'status' } as const) : {};
    let current = this.#store.get(resource, route.namespace, route.name);
    if (patchType === 'application/apply-patch+yaml') {
      if (!req.query.get('fieldManager')) {
        throw new ApiError(failureStatus(422, 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch', 'Invalid'));
      }
      if (!isObject(patch)) throw badRequest('apply patch: the body must be an object');
      if (!current && route.subresource === undefined) {
        const obj = this.#checkObject(structuredClone(patch), req);
        return { code: 201, body: this.#present(this.#store.create(resource, obj, { dryRun }), req) };
      }
    }
    if (!current) throw notFound(resource.group, resource.plural, route.name);
    current = this.#present(current, req);
    const patched = applyPatch(patchType, current, patch);
    if (!isObject(patched)) throw new ApiError(failureStatus(422, 'the patched document is not an object', 'Invalid'));
    const obj = this.#checkObject(patched, req);
    const updated = this.#store.update(resource, route.namespace, route.name, obj, { dryRun, fromPatch: true, ...subresource });
    return { code: 200, body: this.#present(updated, req) };
  }

  #deleteOptions(req: ResourceRequest): { uid?: string; resourceVersion?: string } | undefined {
    if (req.body.length === 0) return undefined;
    const body = parseJson(req.body);
    if (!isObject(body)) throw badRequest('DeleteOptions must be a JSON object');
    const pre = body.preconditions;
    if (pre === undefined || pre === null) return undefined;
    if (!isObject(pre)) throw badRequest('DeleteOptions.preconditions must be an object');
    const out: { uid?: string; resourceVersion?: string } = {};
    if (typeof pre.uid === 'string') out.uid = pre.uid;
    if (typeof pre.resourceVersion === 'string') out.resourceVersion = pre.resourceVersion;
    return out;
  }

  #delete(req: ResourceRequest): ResourceResponse {
    const { resource, route } = req;
    const preconditions = this.#deleteOptions(req);
    const options = { dryRun: this.#dryRun(req), ...(preconditions ? { preconditions } : {}) };
    const { object, deleted } = this.#store.delete(resource, route.namespace, route.name!, options);
    if (!deleted || resource.deleteReturnsObject) return { code: 200, body: this.#present(object, req) };
    const details = { name: route.name!, kind: resource.plural, uid: object.metadata.uid! } as const;
    return { code: 200, body: successStatus(resource.group ? { ...details, group: resource.group } : details) };
  }

  #deleteCollection(req: ResourceRequest): ResourceResponse {
    const { resource } = req;
    const dryRun = this.#dryRun(req);
    this.#deleteOptions(req);
    const items = this.#selected(req).map((o) => this.#present(this.#store.delete(resource, o.metadata.namespace, o.metadata.name!, { dryRun }).object, req));
    return {
      code: 200,
      body: {
        kind: `${resource.kind}List`,
        apiVersion: apiVersionOf(resource.group, req.route.version),
        metadata: { resourceVersion: String(this.#store.resourceVersion) },
        items,
      },
    };
  }
}
