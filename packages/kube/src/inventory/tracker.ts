/**
 * Keeps `<prefix>_resources_total{resource_type, namespace, status}` current from an
 * informer (list + watch). Counting is incremental and keyed by object, so a relist (after
 * a 410 Gone, or a restart) that replays objects already seen changes nothing; a
 * (namespace, status) pair that empties reads 0 rather than vanishing or going stale.
 * Informer errors stop client-node's ListWatch for good, so the tracker restarts it with
 * exponential backoff, counts each error and reports `<prefix>_inventory_synced` 0 until
 * a restart succeeds. Errors and restarts are logged under `promkit::kube::inventory`.
 */
import { ListWatch, makeInformer, type KubeConfig, type KubernetesListObject, type KubernetesObject, type Watch } from '@kubernetes/client-node';
import type { CounterChild } from 'promkit';
import type { GaugeChild } from 'promkit';
import { getLogger, type Logger } from 'promkit/integration';
import { classifyError } from '../error-taxonomy.js';
import type { InventoryHandles, OperatorHandles } from '../operator-catalog.js';
import { Backoff, type BackoffOptions } from './backoff.js';
import { UNKNOWN_STATUS, type StatusExtractor } from './dynamo-status.js';

type ObjectCallback<T> = (obj: T) => void;
type ErrorCallback = (err?: unknown) => void;

/** What the tracker needs of an informer: client-node's `Informer` (1.x and 2.x) fits. */
export interface InformerLike<T> {
  on(verb: 'add' | 'update' | 'delete', cb: ObjectCallback<T>): void;
  on(verb: 'error', cb: ErrorCallback): void;
  off(verb: 'add' | 'update' | 'delete', cb: ObjectCallback<T>): void;
  off(verb: 'error', cb: ErrorCallback): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The informer's cache, when it has one (used to seed and to `recount()`). */
  list?(namespace?: string): ReadonlyArray<T>;
}

/** Where the objects come from: an informer, or what to build one from. */
export type InventorySource<T extends KubernetesObject> =
  | { informer: InformerLike<T> }
  | { kubeConfig: KubeConfig; path: string; listFn: () => Promise<KubernetesListObject<T>>; labelSelector?: string }
  | { watch: Watch; path: string; listFn: () => Promise<KubernetesListObject<T>>; labelSelector?: string; fieldSelector?: string };

export type TrackInventoryOptions<T extends KubernetesObject> = InventorySource<T> & InventorySettings;

/** Everything but the source. */
export interface InventorySettings {
  /** The `resource_type` label, normally the kind. */
  kind: string;
  /** The `status` label of one object; '' or a throw reads as 'unknown'. */
  statusOf: StatusExtractor;
  /**
   * Start the informer (default true). With false, the informer is assumed running: the
   * tracker seeds itself from its cache and only listens.
   */
  start?: boolean;
  /** Restart after informer errors (default true). */
  restartOnError?: boolean;
  backoff?: BackoffOptions;
  /** Called with each informer error (after it is counted); default: none. */
  onError?: (error: unknown) => void;
}

export interface InventoryCount {
  namespace: string;
  status: string;
  count: number;
}

interface Entry {
  namespace: string;
  status: string;
}

const SEP = '\u0000';

function metaOf(obj: unknown): { namespace: string; name: string } | undefined {
  const meta = (obj as KubernetesObject | undefined)?.metadata;
  if (!meta || typeof meta.name !== 'string') return undefined;
  return { namespace: meta.namespace ?? '', name: meta.name };
}

function buildInformer<T extends KubernetesObject>(source: InventorySource<T>): InformerLike<T> {
  if ('informer' in source) return source.informer;
  if ('kubeConfig' in source) return makeInformer<T>(source.kubeConfig, source.path, source.listFn, source.labelSelector);
  return new ListWatch<T>(source.path, source.watch, source.listFn, false, source.labelSelector, source.fieldSelector);
}

export class InventoryTracker<T extends KubernetesObject = KubernetesObject> {
  readonly kind: string;
  readonly informer: InformerLike<T>;
  /** Resolves once the first list + watch succeeded. */
  readonly started: Promise<void>;

  readonly #gauge: OperatorHandles['resources'];
  readonly #errors: CounterChild;
  readonly #synced: GaugeChild;
  readonly #statusOf: StatusExtractor;
  readonly #options: TrackInventoryOptions<T>;
  readonly #backoff: Backoff;
  readonly #log: Logger;
  readonly #objects = new Map<string, Entry>();
  readonly #counts = new Map<string, number>();
  #errorCount = 0;
  #restartTimer: NodeJS.Timeout | undefined;
  #stopped = false;
  #markStarted!: () => void;

  constructor(handles: OperatorHandles, inventory: InventoryHandles, options: TrackInventoryOptions<T>) {
    if (typeof options.kind !== 'string' || options.kind === '')
      throw new TypeError('trackInventory: kind must be a non-empty string (the resource_type label)');
    if (typeof options.statusOf !== 'function') throw new TypeError(`trackInventory('${options.kind}'): statusOf must be a function`);
    this.kind = options.kind;
    this.#options = options;
    this.#statusOf = options.statusOf;
    this.#gauge = handles.resources;
    this.#errors = inventory.inventoryErrors.labels(options.kind);
    this.#synced = inventory.inventorySynced.labels(options.kind);
    this.#backoff = new Backoff(options.backoff);
    this.#log = getLogger('promkit::kube::inventory');
    this.informer = buildInformer(options);
    this.started = new Promise((resolve) => (this.#markStarted = resolve));
    this.informer.on('add', this.#onUpsert);
    this.informer.on('update', this.#onUpsert);
    this.informer.on('delete', this.#onDelete);
    this.informer.on('error', this.#onError);
    if (options.start === false) {
      this.recount();
      this.#synced.set(1);
      this.#markStarted();
    } else {
      void this.#start();
    }
  }

  /** Informer errors seen so far. */
  get errors(): number {
    return this.#errorCount;
  }

  /** Current counts, including pairs that dropped to 0. */
  counts(): InventoryCount[] {
    return [...this.#counts].map(([key, count]) => {
      const [namespace, status] = key.split(SEP) as [string, string];
      return { namespace, status, count };
    });
  }

  /** Rebuilds the counts from the informer's cache (when it has one); pairs no longer present read 0. */
  recount(): void {
    if (typeof this.informer.list !== 'function') return;
    const seen = new Set<string>();
    for (const obj of this.informer.list()) {
      const meta = metaOf(obj);
      if (meta) seen.add(`${meta.namespace}/${meta.name}`);
      this.#onUpsert(obj);
    }
    for (const [key, entry] of this.#objects) {
      if (!seen.has(key)) {
        this.#objects.delete(key);
        this.#adjust(entry, -1);
      }
    }
  }

  /** Stops the informer (if the tracker started it) and any pending restart; the gauge keeps its values. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#restartTimer);
    this.#restartTimer = undefined;
    this.informer.off('add', this.#onUpsert);
    this.informer.off('update', this.#onUpsert);
    this.informer.off('delete', this.#onDelete);
    this.informer.off('error', this.#onError);
    if (this.#options.start !== false) await this.informer.stop();
  }

  async #start(): Promise<void> {
    const errorsBefore = this.#errorCount;
    try {
      await this.informer.start();
    } catch (error) {
      this.#onError(error);
      return;
    }
    // ListWatch reports a failed list or watch through 'error' and still resolves start().
    if (this.#errorCount === errorsBefore && !this.#stopped) {
      const attempts = this.#backoff.attempts;
      if (attempts > 0) this.#say('info', { resource_type: this.kind, failures: attempts }, 'inventory informer listing and watching again');
      this.#backoff.reset();
      this.#synced.set(1);
      this.#markStarted();
    }
  }

  #status(obj: T): string {
    try {
      const s = this.#statusOf(obj);
      return typeof s === 'string' && s !== '' ? s : UNKNOWN_STATUS;
    } catch {
      return UNKNOWN_STATUS;
    }
  }

  #adjust(entry: Entry, delta: number): void {
    const key = entry.namespace + SEP + entry.status;
    const count = Math.max(0, (this.#counts.get(key) ?? 0) + delta);
    this.#counts.set(key, count);
    this.#gauge.labels(this.kind, entry.namespace, entry.status).set(count);
  }

  readonly #onUpsert = (obj: T): void => {
    const meta = metaOf(obj);
    if (!meta) return;
    const key = `${meta.namespace}/${meta.name}`;
    const next: Entry = { namespace: meta.namespace, status: this.#status(obj) };
    const prev = this.#objects.get(key);
    if (prev && prev.status === next.status && prev.namespace === next.namespace) return;
    if (prev) this.#adjust(prev, -1);
    this.#objects.set(key, next);
    this.#adjust(next, +1);
  };

  readonly #onDelete = (obj: T): void => {
    const meta = metaOf(obj);
    if (!meta) return;
    const key = `${meta.namespace}/${meta.name}`;
    const prev = this.#objects.get(key);
    if (!prev) return;
    this.#objects.delete(key);
    this.#adjust(prev, -1);
  };

  readonly #onError = (error?: unknown): void => {
    // client-node's ListWatch reports its own stop() (the aborted watch) as an error.
    if ((error as { name?: unknown } | undefined)?.name === 'AbortError') return;
    this.#errorCount++;
    this.#errors.inc();
    this.#synced.set(0);
    try {
      this.#options.onError?.(error);
    } catch {
      // a failing log hook must not stop the restart
    }
    const fields = { resource_type: this.kind, error_type: classifyError(error), err: error };
    if (this.#stopped) return;
    if (this.#restartTimer !== undefined) {
      this.#say('warn', fields, 'inventory informer failed; a restart is already scheduled');
      return;
    }
    if (this.#options.restartOnError === false) {
      this.#say('warn', fields, 'inventory informer failed; not restarting (restartOnError: false)');
      return;
    }
    const delay = this.#backoff.next();
    this.#say(
      'warn',
      { ...fields, attempt: this.#backoff.attempts, restart_in_ms: Math.round(delay) },
      `inventory informer failed; restarting in ${Math.round(delay)} ms`,
    );
    this.#restartTimer = setTimeout(() => {
      this.#restartTimer = undefined;
      if (this.#stopped) return;
      this.#say('warn', { resource_type: this.kind, attempt: this.#backoff.attempts }, 'restarting inventory informer');
      void this.#start();
    }, delay);
  };

  /** Logging must not stop counting or restarting. */
  #say(level: 'info' | 'warn', fields: Record<string, unknown>, message: string): void {
    try {
      this.#log[level](fields, message);
    } catch {
      // a broken log destination is not the informer's failure
    }
  }
}
