/**
 * Informers (client-node's list + watch with a cache) for the kinds the controllers watch,
 * kept running: client-node's ListWatch stops for good after an error, so it is restarted
 * with backoff. The Dynamo kinds are started by the kit's inventory tracker instead, which
 * does the same and also counts the errors.
 */
import { makeInformer, type KubeConfig, type KubernetesListObject, type KubernetesObject } from '@kubernetes/client-node';
import type { ResourceDefinition } from '@promkit/testing';
import type { Log } from '../log.js';

/**
 * The object shape controllers rely on. (client-node's KubernetesObject types timestamps as
 * Date, but custom objects arrive as parsed JSON, with strings.)
 */
export interface ObjectLike {
  metadata?: { name?: string; namespace?: string; uid?: string; ownerReferences?: Array<{ kind: string; name: string; uid: string }> };
}

/** client-node's informer with its cache (`makeInformer`), typed by the objects it holds. */
export interface CachedInformer<T> {
  on(verb: 'add' | 'update' | 'delete', cb: (obj: T) => void): void;
  on(verb: 'error', cb: (err?: unknown) => void): void;
  off(verb: 'add' | 'update' | 'delete', cb: (obj: T) => void): void;
  off(verb: 'error', cb: (err?: unknown) => void): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  get(name: string, namespace?: string): T | undefined;
  list(namespace?: string): T[];
}

export function pathOf(resource: Pick<ResourceDefinition, 'group' | 'version' | 'plural'>): string {
  return resource.group === '' ? `/api/${resource.version}/${resource.plural}` : `/apis/${resource.group}/${resource.version}/${resource.plural}`;
}

export function informerFor<T extends ObjectLike>(
  kubeConfig: KubeConfig,
  resource: Pick<ResourceDefinition, 'group' | 'version' | 'plural'>,
  list: () => Promise<{ items: T[] }>,
  /** Must be the selector `list` uses, so the watch sees the same objects. */
  labelSelector?: string,
): CachedInformer<T> {
  const listFn = list as unknown as () => Promise<KubernetesListObject<KubernetesObject>>;
  return makeInformer<KubernetesObject>(kubeConfig, pathOf(resource), listFn, labelSelector) as unknown as CachedInformer<T>;
}

export interface RunningInformer {
  /** Resolves after the first successful list. */
  readonly started: Promise<void>;
  stop(): Promise<void>;
}

/** Starts `informer` and restarts it after errors (1 s, doubling to 30 s). */
export function runInformer<T>(informer: CachedInformer<T>, name: string, log: Log): RunningInformer {
  let stopped = false;
  let delay = 1_000;
  let timer: NodeJS.Timeout | undefined;
  let markStarted!: () => void;
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  let failedSinceStart = false;

  const start = async (): Promise<void> => {
    failedSinceStart = false;
    try {
      await informer.start();
    } catch (error) {
      onError(error);
      return;
    }
    if (!failedSinceStart && !stopped) {
      delay = 1_000;
      markStarted();
    }
  };
  const onError = (error?: unknown): void => {
    if (stopped || (error as { name?: string } | undefined)?.name === 'AbortError') return;
    failedSinceStart = true;
    log('warn', `informer ${name}: ${error instanceof Error ? error.message : String(error)}; restarting in ${delay} ms`);
    if (timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      if (!stopped) void start();
    }, delay);
    delay = Math.min(delay * 2, 30_000);
  };
  informer.on('error', onError);
  void start();
  return {
    started,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      informer.off('error', onError);
      await informer.stop();
    },
  };
}
