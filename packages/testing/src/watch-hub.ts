/**
 * Watch fan-out and the bounded event history that lets a watch resume from a
 * resourceVersion — or fail with 410 Expired when that version has been compacted away,
 * which is what makes informers relist.
 */
import type { ResolvedResource } from './resources.js';
import { expired, failureStatus, type KubeStatus } from './status.js';
import type { KubeObject, StoreChange } from './store.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/** One line of a watch stream. */
export interface WatchEvent {
  type: WatchEventType;
  object: KubeObject | KubeStatus;
}

/** What a watch selects: one resource, optionally one namespace, plus selectors. */
export interface WatchScope {
  resource: ResolvedResource;
  namespace?: string;
  /** Label/field/name selection. */
  matches(obj: KubeObject): boolean;
  /** Shapes a stored object for this client (e.g. the requested apiVersion). */
  present(obj: KubeObject): KubeObject;
  /** Whether the client asked for BOOKMARK events. */
  bookmarks: boolean;
}

/** Where a watch's events go (an HTTP response, in the server). */
export interface WatchSink {
  send(event: WatchEvent): void;
  end(): void;
}

/** An open watch; `close()` ends it without telling the client anything more. */
export interface Watcher {
  readonly scope: WatchScope;
  close(): void;
}

function sameResource(a: ResolvedResource, b: ResolvedResource): boolean {
  return a.group === b.group && a.plural === b.plural;
}

/** Translates a store change into what a scoped watcher sees (or nothing). */
export function eventFor(scope: WatchScope, change: StoreChange): WatchEvent | undefined {
  if (!sameResource(scope.resource, change.resource)) return undefined;
  const selected = (o: KubeObject | undefined): boolean =>
    o !== undefined && (scope.namespace === undefined || o.metadata.namespace === scope.namespace) && scope.matches(o);
  const now = selected(change.object);
  const before = selected(change.previous);
  const object = scope.present(change.object);
  switch (change.type) {
    case 'ADDED':
      return now ? { type: 'ADDED', object } : undefined;
    case 'DELETED':
      return now || before ? { type: 'DELETED', object } : undefined;
    case 'MODIFIED':
      // Moving into or out of a selector looks like a create or delete to that watcher.
      if (now && before) return { type: 'MODIFIED', object };
      if (now) return { type: 'ADDED', object };
      if (before) return { type: 'DELETED', object };
      return undefined;
  }
}

/** The BOOKMARK event for `scope` at `rv`: only kind, apiVersion and resourceVersion. */
export function bookmarkEvent(scope: WatchScope, rv: number): WatchEvent {
  const r = scope.resource;
  return {
    type: 'BOOKMARK',
    object: {
      kind: r.kind,
      apiVersion: r.group ? `${r.group}/${r.version}` : r.version,
      metadata: { resourceVersion: String(rv) },
    },
  };
}

interface OpenWatch {
  scope: WatchScope;
  sink: WatchSink;
}

export class WatchHub {
  readonly #history: StoreChange[] = [];
  readonly #limit: number;
  readonly #watchers = new Set<OpenWatch>();
  /** The newest resourceVersion whose change is no longer in the history. */
  #compactedThrough = 0;

  constructor(historyLimit: number) {
    if (!Number.isInteger(historyLimit) || historyLimit < 1) {
      throw new Error(`historyLimit must be a positive integer, got ${historyLimit}`);
    }
    this.#limit = historyLimit;
  }

  /** Number of open watches. */
  get size(): number {
    return this.#watchers.size;
  }

  /** The oldest resourceVersion a watch may still resume from. */
  get oldestResumable(): number {
    return this.#compactedThrough;
  }

  /** Records a committed change and delivers it to matching watches. */
  record(change: StoreChange): void {
    this.#history.push(change);
    while (this.#history.length > this.#limit) this.#compactedThrough = this.#history.shift()!.rv;
    for (const w of this.#watchers) {
      const event = eventFor(w.scope, change);
      if (event) w.sink.send(event);
    }
  }

  /**
   * Opens a watch. With `fromRv` it first replays the changes after that version (throwing
   * a 410 ApiError when they are no longer held); without it, `initial` objects are sent as
   * ADDED, like a watch without resourceVersion on the real server.
   */
  open(scope: WatchScope, sink: WatchSink, fromRv: number | undefined, initial: () => KubeObject[]): Watcher {
    if (fromRv === undefined) {
      for (const obj of initial()) sink.send({ type: 'ADDED', object: scope.present(obj) });
    } else {
      if (fromRv < this.#compactedThrough) throw expired(String(fromRv), this.#compactedThrough);
      for (const change of this.#history) {
        if (change.rv <= fromRv) continue;
        const event = eventFor(scope, change);
        if (event) sink.send(event);
      }
    }
    const open: OpenWatch = { scope, sink };
    this.#watchers.add(open);
    return {
      scope,
      close: () => {
        this.#watchers.delete(open);
      },
    };
  }

  /** Sends a BOOKMARK at `rv` to every watch that asked for bookmarks. */
  bookmark(rv: number): void {
    for (const w of this.#watchers) {
      if (w.scope.bookmarks) w.sink.send(bookmarkEvent(w.scope, rv));
    }
  }

  /**
   * Forgets all history up to `currentRv`, and ends every open watch with an ERROR event
   * carrying a 410 Expired Status — what a client sees when the server's watch cache has
   * moved past it. Clients must then relist.
   */
  compact(currentRv: number): void {
    this.#history.length = 0;
    this.#compactedThrough = currentRv;
    const status = expired('(watch)', currentRv).status;
    status.message = `The resourceVersion for the provided watch is too old.`;
    for (const w of [...this.#watchers]) {
      this.#watchers.delete(w);
      w.sink.send({ type: 'ERROR', object: status });
      w.sink.end();
    }
  }

  /** Ends every open watch cleanly (the client sees the stream close and re-watches). */
  closeAll(): void {
    for (const w of [...this.#watchers]) {
      this.#watchers.delete(w);
      w.sink.end();
    }
  }

  /** Ends every open watch with an ERROR event carrying `code`/`reason`. */
  failAll(code: number, reason?: string, message?: string): void {
    const status = failureStatus(code, message, reason);
    for (const w of [...this.#watchers]) {
      this.#watchers.delete(w);
      w.sink.send({ type: 'ERROR', object: status });
      w.sink.end();
    }
  }
}
