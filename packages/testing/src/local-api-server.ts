/**
 * LocalApiServer: an in-memory Kubernetes API server over real HTTP, for testing
 * operators with the unmodified @kubernetes/client-node (CustomObjectsApi, CoreV1Api,
 * KubernetesObjectApi, Watch, makeInformer) through a generated kubeconfig.
 *
 * @example
 * ```ts
 * const api = new LocalApiServer({ resources: [{ group: 'example.com', version: 'v1', plural: 'widgets', kind: 'Widget', namespaced: true }] });
 * await api.start();
 * const custom = api.kubeConfig().makeApiClient(CustomObjectsApi);
 * await custom.createNamespacedCustomObject({ group: 'example.com', version: 'v1', namespace: 'default', plural: 'widgets', body });
 * await api.close();
 * ```
 */
import { writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KubeConfig } from '@kubernetes/client-node';
import { parseJson, readBody } from './body.js';
import { apiGroup, apiGroupList, apiResourceList, apiVersions } from './discovery.js';
import { FailureInjector, type ApiVerb, type FailureHandle, type FailureSpec } from './failures.js';
import { parsePath, type DiscoveryRoute, type ResourceRoute, type Route } from './http-router.js';
import { buildKubeConfig, kubeconfigYaml } from './kubeconfig.js';
import { RequestLog, type RequestRecord } from './request-log.js';
import { ResourceHandlers, verbFor } from './resource-handlers.js';
import { BUILTIN_RESOURCES, ResourceRegistry, type ResolvedResource, type ResourceDefinition } from './resources.js';
import { isReviewResource, ReviewDesk, type SubjectAccessReviewHandler, type TokenReviewHandler } from './reviews.js';
import { ApiError, failureStatus, methodNotAllowed, pathNotFound, type KubeStatus } from './status.js';
import { ObjectStore, type DeleteResult, type KubeObject, type UpdateOptions } from './store.js';
import { WatchHub } from './watch-hub.js';
import { serveWatch } from './watch-stream.js';

export interface LocalApiServerOptions {
  /** Custom resources to serve in addition to the built-in kinds. */
  resources?: ResourceDefinition[];
  /** How many changes the watch history keeps (default 1000); older resumes get 410 Expired. */
  historyLimit?: number;
  /** When set, every request must carry `Authorization: Bearer <token>` (401 otherwise); the kubeconfig includes it. */
  token?: string;
  /** Namespaces that exist from the start (default `['default', 'kube-system']`). */
  namespaces?: string[];
  /** Default namespace of the generated kubeconfig context (default `'default'`). */
  defaultNamespace?: string;
  /** Period of BOOKMARK events on watches that allow them (default 60000 ms; 0 disables). */
  bookmarkIntervalMs?: number;
  /** Source of creationTimestamp/deletionTimestamp (default: the system clock). */
  clock?: () => Date;
  /** Interface to listen on (default `127.0.0.1`). */
  host?: string;
  /** Port to listen on (default 0: a free port). */
  port?: number;
}

/** Addresses one object for the direct (non-HTTP) accessors. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

interface PendingDelay {
  timer: NodeJS.Timeout;
  resolve: () => void;
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export class LocalApiServer {
  /** Every request received, for assertions such as `api.requests.count({ verb: 'list' })`. */
  readonly requests = new RequestLog();

  readonly #options: LocalApiServerOptions;
  readonly #registry = new ResourceRegistry();
  readonly #hub: WatchHub;
  readonly #store: ObjectStore;
  readonly #handlers: ResourceHandlers;
  readonly #failures = new FailureInjector();
  readonly #reviews = new ReviewDesk();
  readonly #delays = new Set<PendingDelay>();
  #server: Server | undefined;
  #port = 0;
  #closing = false;

  constructor(options: LocalApiServerOptions = {}) {
    this.#options = options;
    this.#hub = new WatchHub(options.historyLimit ?? 1000);
    let namespaceResource: ResolvedResource | undefined;
    for (const def of BUILTIN_RESOURCES) {
      const resolved = this.#registry.define(def);
      if (def.group === '' && def.plural === 'namespaces') namespaceResource = resolved;
    }
    for (const def of options.resources ?? []) this.#registry.define(def);
    this.#store = new ObjectStore({
      onChange: (change) => this.#hub.record(change),
      initialNamespaces: options.namespaces ?? ['default', 'kube-system'],
      ...(namespaceResource ? { namespaceResource } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
    });
    this.#handlers = new ResourceHandlers(this.#store);
  }

  /** `http://127.0.0.1:<port>`; throws before `start()`. */
  get url(): string {
    if (!this.#server) throw new Error('LocalApiServer: call start() before reading url');
    return `http://${this.#host}:${this.#port}`;
  }

  /** The listening port (0 before `start()`). */
  get port(): number {
    return this.#port;
  }

  get #host(): string {
    return this.#options.host ?? '127.0.0.1';
  }

  /** The latest resourceVersion, as a list would report it. */
  get resourceVersion(): string {
    return String(this.#store.resourceVersion);
  }

  /** Number of watch streams currently open. */
  get openWatches(): number {
    return this.#hub.size;
  }

  /** Starts listening; resolves once the port is bound. */
  async start(): Promise<this> {
    if (this.#server) throw new Error('LocalApiServer: already started');
    if (this.#closing) throw new Error('LocalApiServer: closed servers cannot restart; create a new one');
    const server = createServer((req, res) => {
      this.#handle(req, res).catch((err: unknown) => this.#sendError(res, err));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#options.port ?? 0, this.#host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.#server = server;
    this.#port = (server.address() as AddressInfo).port;
    return this;
  }

  /**
   * Serves another resource (a CRD). Defining the same group/plural again at a new version
   * serves the same objects at that version too.
   */
  defineResource(def: ResourceDefinition): ResolvedResource {
    return this.#registry.define(def);
  }

  /** A client-node KubeConfig pointing at this server. */
  kubeConfig(options: { namespace?: string } = {}): KubeConfig {
    return buildKubeConfig(this.#kubeconfigOptions(options.namespace));
  }

  /** Writes a kubeconfig YAML file for this server and returns its path. */
  async writeKubeconfig(path: string, options: { namespace?: string } = {}): Promise<string> {
    await writeFile(path, kubeconfigYaml(this.#kubeconfigOptions(options.namespace)), { mode: 0o600 });
    return path;
  }

  #kubeconfigOptions(namespace: string | undefined): Parameters<typeof buildKubeConfig>[0] {
    const opts: Parameters<typeof buildKubeConfig>[0] = {
      server: this.url,
      namespace: namespace ?? this.#options.defaultNamespace ?? 'default',
    };
    if (this.#options.token !== undefined) opts.token = this.#options.token;
    return opts;
  }

  /**
   * Makes matching requests fail (or stall). Matching is by verb/group/plural/namespace/
   * name/subresource; the first `times` matches (default 1) are affected, in registration order.
   */
  injectFailure(spec: FailureSpec): FailureHandle {
    return this.#failures.add(spec);
  }

  /** Cancels every injected failure. */
  clearFailures(): void {
    this.#failures.clear();
  }

  /** Decides `authentication.k8s.io/v1` TokenReviews (undefined: every token is unauthenticated). */
  onTokenReview(handler: TokenReviewHandler | undefined): void {
    this.#reviews.tokenReview = handler;
  }

  /** Decides `authorization.k8s.io/v1` (Local)SubjectAccessReviews (undefined: everything is denied). */
  onSubjectAccessReview(handler: SubjectAccessReviewHandler | undefined): void {
    this.#reviews.subjectAccessReview = handler;
  }

  /**
   * Discards the watch history and ends every open watch with an ERROR event carrying a
   * 410 Expired Status. Watches resuming from any earlier resourceVersion get the same;
   * clients (informers) must relist.
   */
  compactHistory(): void {
    this.#hub.compact(this.#store.resourceVersion);
  }

  /** Ends every open watch cleanly, as a server restart or watch timeout would; clients re-watch. */
  closeWatches(): void {
    this.#hub.closeAll();
  }

  /** Ends every open watch with an ERROR event carrying a Status with `code` (e.g. 500). */
  failWatches(code: number, reason?: string, message?: string): void {
    this.#hub.failAll(code, reason, message);
  }

  /** Sends a BOOKMARK now to every watch that allows bookmarks. */
  sendBookmarks(): void {
    this.#hub.bookmark(this.#store.resourceVersion);
  }

  // Direct access to the store, bypassing HTTP, failures and the request log: for seeding
  // state and asserting on it. Writes still bump resourceVersion and notify watches.

  #resourceFor(apiVersion: string, kind: string): ResolvedResource {
    const resource = this.#registry.lookupKind(apiVersion, kind);
    if (!resource) throw new Error(`LocalApiServer: no resource serves ${apiVersion} ${kind}; defineResource it first`);
    return resource;
  }

  /** Creates an object as a POST would (status is dropped when the resource has a status subresource). */
  createObject<T extends KubeObject>(obj: T): T {
    const resource = this.#resourceFor(obj.apiVersion ?? '', obj.kind ?? '');
    if (resource.namespaced && !obj.metadata.namespace) {
      throw new Error(`LocalApiServer.createObject: ${obj.kind} is namespaced; set metadata.namespace`);
    }
    const body = structuredClone(obj);
    if (!resource.namespaced) delete body.metadata.namespace;
    return this.#store.create(resource, body) as T;
  }

  /** The stored object, or undefined. */
  getObject<T extends KubeObject = KubeObject>(ref: ObjectRef): T | undefined {
    return this.#store.get(this.#resourceFor(ref.apiVersion, ref.kind), ref.namespace, ref.name) as T | undefined;
  }

  /** Stored objects of a kind, optionally in one namespace, in name order. */
  listObjects<T extends KubeObject = KubeObject>(apiVersion: string, kind: string, namespace?: string): T[] {
    return this.#store.list(this.#resourceFor(apiVersion, kind), namespace) as T[];
  }

  /** Replaces an object as a PUT would (`{ subresource: 'status' }` as a status PUT). */
  updateObject<T extends KubeObject>(obj: T, options: Pick<UpdateOptions, 'subresource'> = {}): T {
    const resource = this.#resourceFor(obj.apiVersion ?? '', obj.kind ?? '');
    const name = obj.metadata.name;
    if (!name) throw new Error('LocalApiServer.updateObject: metadata.name is required');
    return this.#store.update(resource, obj.metadata.namespace, name, obj, { ...options, fromPatch: true }) as T;
  }

  /** Deletes an object as a DELETE would (finalizers defer it). */
  deleteObject(ref: ObjectRef): DeleteResult {
    return this.#store.delete(this.#resourceFor(ref.apiVersion, ref.kind), ref.namespace, ref.name);
  }

  /** Ends watches, cancels pending delays, closes connections and frees the port. */
  async close(): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    const server = this.#server;
    const closed = server ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
    this.#hub.closeAll();
    for (const d of this.#delays) {
      clearTimeout(d.timer);
      d.resolve();
    }
    this.#delays.clear();
    // Let the ended watch streams flush their final chunk before sockets are destroyed,
    // so clients see a clean end of stream rather than a reset.
    await new Promise<void>((resolve) => setImmediate(resolve));
    server?.closeAllConnections();
    await closed;
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const pending: PendingDelay = {
        timer: setTimeout(() => {
          this.#delays.delete(pending);
          resolve();
        }, ms),
        resolve,
      };
      this.#delays.add(pending);
    });
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = (req.method ?? 'GET').toUpperCase();
    const route = parsePath(url.pathname);
    const verb = route.kind === 'resource' ? verbFor(method, route, url.searchParams) : undefined;
    const record = this.requests.add({
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      verb: route.kind === 'resource' ? (verb ?? 'other') : route.kind === 'discovery' ? 'discovery' : 'other',
      group: route.kind === 'unknown' ? '' : (route.group ?? ''),
      version: route.kind === 'unknown' ? '' : (route.version ?? ''),
      plural: route.kind === 'resource' ? route.plural : '',
      ...(route.kind === 'resource' && route.namespace !== undefined ? { namespace: route.namespace } : {}),
      ...(route.kind === 'resource' && route.name !== undefined ? { name: route.name } : {}),
      ...(route.kind === 'resource' && route.subresource !== undefined ? { subresource: route.subresource } : {}),
      injected: false,
    });
    try {
      await this.#dispatch(req, res, url, method, route, verb, record);
    } catch (err) {
      this.#sendError(res, err);
    }
    if (res.headersSent) record.status = res.statusCode;
  }

  async #dispatch(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    method: string,
    route: Route,
    verb: ApiVerb | undefined,
    record: RequestRecord,
  ): Promise<void> {
    const body = BODY_METHODS.has(method) ? await readBody(req) : Buffer.alloc(0);
    this.#authenticate(req, route.kind === 'discovery' && route.target === 'health');

    if (route.kind === 'discovery') {
      if (method !== 'GET') throw methodNotAllowed(method);
      this.#sendDiscovery(res, route);
      return;
    }
    if (route.kind === 'unknown') throw pathNotFound();
    if (verb === undefined) throw methodNotAllowed(method);

    const failure = this.#failures.take({
      verb,
      group: route.group,
      plural: route.plural,
      ...(route.namespace !== undefined ? { namespace: route.namespace } : {}),
      ...(route.name !== undefined ? { name: route.name } : {}),
      ...(route.subresource !== undefined ? { subresource: route.subresource } : {}),
    });
    if (failure) {
      record.injected = true;
      if (failure.delayMs > 0) await this.#sleep(failure.delayMs);
      if (this.#closing) {
        res.destroy();
        return;
      }
      if (failure.error) {
        if (verb === 'watch' && failure.asWatchEvent) {
          this.#sendWatchError(res, failure.error.status);
          return;
        }
        throw failure.error;
      }
    }

    if (isReviewResource(route.group, route.plural) && route.version === 'v1') {
      await this.#serveReview(res, route, verb, body);
      return;
    }
    const resource = this.#registry.lookup(route.group, route.version, route.plural);
    if (!resource) throw pathNotFound();
    const result = await this.#handlers.handle({
      route,
      resource,
      verb,
      query: url.searchParams,
      contentType: req.headers['content-type'],
      body,
    });
    if ('watch' in result) {
      serveWatch(req, res, {
        hub: this.#hub,
        ...result.watch,
        bookmarkIntervalMs: this.#options.bookmarkIntervalMs ?? 60_000,
        currentRv: () => this.#store.resourceVersion,
      });
      return;
    }
    this.#sendJson(res, result.code, result.body);
  }

  #authenticate(req: IncomingMessage, anonymousAllowed: boolean): void {
    const token = this.#options.token;
    if (token === undefined || anonymousAllowed) return;
    if (req.headers.authorization !== `Bearer ${token}`) {
      throw new ApiError(failureStatus(401, 'Unauthorized', 'Unauthorized'));
    }
  }

  async #serveReview(res: ServerResponse, route: ResourceRoute, verb: ApiVerb, raw: Buffer): Promise<void> {
    if (verb !== 'create' || route.name !== undefined || route.subresource !== undefined) throw methodNotAllowed(verb);
    const namespaced = route.plural === 'localsubjectaccessreviews';
    if (namespaced !== (route.namespace !== undefined)) throw pathNotFound();
    const answer = await this.#reviews.review(route.plural, parseJson(raw), route.namespace);
    this.#sendJson(res, 201, answer);
  }

  #sendDiscovery(res: ServerResponse, route: DiscoveryRoute): void {
    const registry = this.#registry;
    let doc: unknown;
    switch (route.target) {
      case 'health':
        this.#send(res, 200, 'text/plain; charset=utf-8', 'ok');
        return;
      case 'version':
        doc = {
          major: '1',
          minor: '31',
          gitVersion: 'v1.31.0-promkit-local',
          gitCommit: '0000000000000000000000000000000000000000',
          gitTreeState: 'clean',
          buildDate: '2024-01-01T00:00:00Z',
          goVersion: 'go1.22.0',
          compiler: 'gc',
          platform: `${process.platform}/${process.arch}`,
        };
        break;
      case 'root':
        doc = { paths: ['/api', '/api/v1', '/apis', '/healthz', '/livez', '/readyz', '/version'] };
        break;
      case 'api':
        doc = apiVersions(`${this.#host}:${this.#port}`);
        break;
      case 'apis':
        doc = apiGroupList(registry);
        break;
      case 'group':
        doc = apiGroup(registry, route.group!);
        break;
      case 'groupVersion':
        doc = apiResourceList(registry, route.group!, route.version!);
        break;
    }
    if (doc === undefined) throw pathNotFound();
    this.#sendJson(res, 200, doc);
  }

  #send(res: ServerResponse, code: number, contentType: string, text: string, headers: Record<string, string> = {}): void {
    if (res.headersSent || res.destroyed) return;
    res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text), ...headers });
    res.end(text);
  }

  #sendJson(res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}): void {
    this.#send(res, code, 'application/json', JSON.stringify(body), headers);
  }

  #sendWatchError(res: ServerResponse, status: KubeStatus): void {
    if (res.headersSent || res.destroyed) return;
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    res.end(`${JSON.stringify({ type: 'ERROR', object: status })}\n`);
  }

  #sendError(res: ServerResponse, err: unknown): void {
    if (err instanceof ApiError) {
      this.#sendJson(res, err.code, err.status, { ...err.headers });
      return;
    }
    const message = err instanceof Error ? err.message : String(err);
    this.#sendJson(res, 500, failureStatus(500, `Internal error occurred: ${message}`, 'InternalError'));
  }
}
