/**
 * Serves one watch over HTTP: newline-delimited JSON events on a chunked 200 response,
 * kept open until the client leaves, `timeoutSeconds` passes, or the server ends it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './status.js';
import type { KubeObject } from './store.js';
import { bookmarkEvent, type WatchEvent, type WatchHub, type WatchScope } from './watch-hub.js';

export interface WatchStreamOptions {
  hub: WatchHub;
  scope: WatchScope;
  /** Resume after this resourceVersion; undefined sends current objects as ADDED first. */
  fromRv: number | undefined;
  initial: () => KubeObject[];
  timeoutSeconds?: number;
  /** Period of BOOKMARK events when the client allows them. */
  bookmarkIntervalMs: number;
  currentRv: () => number;
}

/** Starts streaming; returns once the stream is set up (not when it ends). */
export function serveWatch(req: IncomingMessage, res: ServerResponse, options: WatchStreamOptions): void {
  const { hub, scope } = options;
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  res.flushHeaders();

  const timers: NodeJS.Timeout[] = [];
  let watcher: { close(): void } | undefined;
  let ended = false;
  const cleanup = (): void => {
    ended = true;
    for (const t of timers) clearTimeout(t);
    watcher?.close();
  };
  const sink = {
    send(event: WatchEvent): void {
      if (!ended && !res.writableEnded && !res.destroyed) res.write(`${JSON.stringify(event)}\n`);
    },
    end(): void {
      cleanup();
      if (!res.writableEnded) res.end();
    },
  };
  res.on('close', cleanup);
  req.on('error', cleanup);

  try {
    watcher = hub.open(scope, sink, options.fromRv, options.initial);
  } catch (err) {
    // Too old a resourceVersion: the real server answers 200, one ERROR event, then closes.
    if (err instanceof ApiError) {
      sink.send({ type: 'ERROR', object: err.status });
      sink.end();
      return;
    }
    throw err;
  }
  if (ended) {
    watcher.close();
    return;
  }
  if (options.timeoutSeconds !== undefined && options.timeoutSeconds > 0) {
    timers.push(setTimeout(() => sink.end(), options.timeoutSeconds * 1000));
  }
  if (scope.bookmarks && options.bookmarkIntervalMs > 0) {
    const tick = (): void => {
      sink.send(bookmarkEvent(scope, options.currentRv()));
      timers.push(setTimeout(tick, options.bookmarkIntervalMs));
    };
    timers.push(setTimeout(tick, options.bookmarkIntervalMs));
  }
}
