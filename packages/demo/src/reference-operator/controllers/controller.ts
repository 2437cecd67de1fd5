/**
 * A controller in controller-runtime's shape: informer events (of its kind, and of the
 * objects it owns) enqueue `namespace/name` keys; workers call `reconcile({namespace, name})`;
 * an error re-queues the key with backoff, `requeueAfter` re-queues it later, and a key is
 * never reconciled by two workers at once.
 */
import type { ReconcileResult } from '@promkit/kube';
import type { Log } from '../log.js';
import type { CachedInformer, ObjectLike } from './informers.js';
import { WorkQueue, type Backoff } from './work-queue.js';

export interface ReconcileRequest {
  namespace: string;
  name: string;
}

export type Reconciler = (request: ReconcileRequest) => Promise<ReconcileResult | undefined>;

export interface ControllerOptions<T extends ObjectLike> {
  kind: string;
  informer: CachedInformer<T>;
  reconcile: Reconciler;
  log: Log;
  /** Default 2. */
  workers?: number;
  /** Backoff after errors; default 200 ms doubling to 5 s (modest, so a demo recovers quickly). */
  backoff?: Backoff;
}

export function keyOf(obj: ObjectLike): string | undefined {
  const name = obj.metadata?.name;
  return name ? `${obj.metadata?.namespace ?? ''}/${name}` : undefined;
}

function requestOf(key: string): ReconcileRequest {
  const slash = key.indexOf('/');
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

export class Controller<T extends ObjectLike> {
  readonly kind: string;
  readonly informer: CachedInformer<T>;
  readonly #queue: WorkQueue;
  readonly #options: ControllerOptions<T>;
  readonly #workers: Promise<void>[] = [];
  readonly #unsubscribe: Array<() => void> = [];

  constructor(options: ControllerOptions<T>) {
    this.kind = options.kind;
    this.informer = options.informer;
    this.#options = options;
    this.#queue = new WorkQueue(options.backoff ?? { baseMs: 200, maxMs: 5_000 });
    this.#watch(options.informer, (obj) => [keyOf(obj)]);
  }

  /** The cached object, if the informer has it. */
  cached(namespace: string, name: string): T | undefined {
    return this.informer.get(name, namespace);
  }

  enqueue(namespace: string, name: string): void {
    this.#queue.add(`${namespace}/${name}`);
  }

  /** Reconciles the owner (of this controller's kind) whenever an owned object changes. */
  watchOwned<C extends ObjectLike>(informer: CachedInformer<C>): void {
    this.#watch(informer, (obj) =>
      (obj.metadata?.ownerReferences ?? []).filter((ref) => ref.kind === this.kind).map((ref) => `${obj.metadata?.namespace ?? ''}/${ref.name}`),
    );
  }

  /** Reconciles the keys `map` names whenever an object of another kind changes. */
  watchMapped<C extends ObjectLike>(informer: CachedInformer<C>, map: (obj: C) => Array<string | undefined>): void {
    this.#watch(informer, map);
  }

  #watch<C extends ObjectLike>(informer: CachedInformer<C>, keys: (obj: C) => Array<string | undefined>): void {
    const handler = (obj: C): void => {
      for (const key of keys(obj)) if (key) this.#queue.add(key);
    };
    for (const verb of ['add', 'update', 'delete'] as const) {
      informer.on(verb, handler);
      this.#unsubscribe.push(() => informer.off(verb, handler));
    }
  }

  start(): void {
    for (let i = 0; i < (this.#options.workers ?? 2); i++) this.#workers.push(this.#work());
  }

  async stop(): Promise<void> {
    for (const off of this.#unsubscribe.splice(0)) off();
    this.#queue.shutDown();
    await Promise.all(this.#workers.splice(0));
  }

  async #work(): Promise<void> {
    for (;;) {
      const key = await this.#queue.get();
      if (key === undefined) return;
      try {
        const result = await this.#options.reconcile(requestOf(key));
        this.#queue.forget(key);
        if (result?.requeueAfter && result.requeueAfter > 0) this.#queue.addAfter(key, result.requeueAfter);
        else if (result?.requeue) this.#queue.addRateLimited(key);
      } catch (error) {
        this.#options.log('debug', `${this.kind} ${key}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
        this.#queue.addRateLimited(key);
      } finally {
        this.#queue.done(key);
      }
    }
  }
}
