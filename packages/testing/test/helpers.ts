/** Shared helpers for the LocalApiServer tests: bounded waits and event recording. */
import type { TestContext } from 'node:test';
import { ApiException, Observable, type ObservableMiddleware } from '@kubernetes/client-node';
import { LocalApiServer, type LocalApiServerOptions, type ResourceDefinition } from '../src/index.js';

export const DGD: ResourceDefinition = {
  group: 'nvidia.com',
  version: 'v1alpha1',
  plural: 'dynamographdeployments',
  kind: 'DynamoGraphDeployment',
  namespaced: true,
};

export const DGD_API_VERSION = 'nvidia.com/v1alpha1';

/** The group/version/plural parameters CustomObjectsApi wants, for namespace `ns`. */
export function dgdParams(namespace = 'team-a') {
  return { group: DGD.group, version: DGD.version, plural: DGD.plural, namespace };
}

export function dgd(name: string, spec: Record<string, unknown> = {}, labels?: Record<string, string>) {
  return {
    apiVersion: DGD_API_VERSION,
    kind: DGD.kind,
    metadata: labels ? { name, labels } : { name },
    spec,
  };
}

/** Starts a server with the DGD CRD and closes it when the test ends. */
export async function startServer(t: TestContext, options: LocalApiServerOptions = {}): Promise<LocalApiServer> {
  const api = new LocalApiServer({ resources: [DGD], ...options });
  await api.start();
  t.after(() => api.close());
  return api;
}

/** Rejects with a message naming `what` if `promise` has not settled within `ms`. */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms}ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Records items as they arrive and lets a test await one that matches. */
export class Recorder<T> {
  readonly items: T[] = [];
  readonly #waiters: Array<{ pred: (item: T) => boolean; resolve: (item: T) => void }> = [];

  push = (item: T): void => {
    this.items.push(item);
    for (const w of [...this.#waiters]) {
      if (w.pred(item)) {
        this.#waiters.splice(this.#waiters.indexOf(w), 1);
        w.resolve(item);
      }
    }
  };

  /** The first recorded item (past or future) matching `pred`, within `ms`. */
  waitFor(pred: (item: T) => boolean, what: string, ms = 3000): Promise<T> {
    const seen = this.items.find(pred);
    if (seen !== undefined) return Promise.resolve(seen);
    return within(new Promise<T>((resolve) => this.#waiters.push({ pred, resolve })), ms, what);
  }
}

/** The Status object carried by an ApiException (client-node 1.x keeps the raw body text). */
export function statusOf(err: unknown): { code: number; reason?: string; message?: string; details?: Record<string, unknown>; kind?: string } {
  if (!(err instanceof ApiException)) throw new Error(`expected an ApiException, got ${String(err)}`);
  if (typeof err.body !== 'string') throw new Error(`expected ApiException.body to be the raw text, got ${typeof err.body}`);
  return JSON.parse(err.body);
}

/** Awaits `promise` and returns its ApiException, failing if it resolves or throws something else. */
export async function apiError(promise: Promise<unknown>): Promise<ApiException<unknown>> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ApiException) return err;
    throw err;
  }
  throw new Error('expected the request to fail with an ApiException, but it succeeded');
}

/** Per-request options that abort the request after `ms` (client-node has no timeout option of its own). */
export function timeoutOptions(ms: number): { middleware: ObservableMiddleware[]; middlewareMergeStrategy: 'append' } {
  const middleware: ObservableMiddleware = {
    pre: (ctx) => {
      ctx.setSignal(AbortSignal.timeout(ms));
      return new Observable(Promise.resolve(ctx));
    },
    post: (rsp) => new Observable(Promise.resolve(rsp)),
  };
  return { middleware: [middleware], middlewareMergeStrategy: 'append' };
}
