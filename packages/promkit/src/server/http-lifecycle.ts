import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Binds the server; rejects with an error naming the address when that fails. */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      const why =
        error.code === 'EADDRINUSE'
          ? 'the port is already in use'
          : error.code === 'EACCES'
            ? 'permission denied (ports below 1024 need privileges)'
            : error.message;
      reject(new Error(`cannot listen on ${formatHostPort(host, port)}: ${why}`, { cause: error }));
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ port, host });
  });
}

export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** The URL clients on this machine use: a wildcard listen address becomes loopback. */
export function localUrl(scheme: 'http' | 'https', host: string, port: number): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' || host === '[::]' ? '::1' : host;
  return `${scheme}://${formatHostPort(reachable, port)}`;
}

/**
 * Tracks responses in flight so `close()` can drain them: stop accepting, drop idle
 * keep-alive connections, let running responses finish for up to `drainTimeoutMs`, then
 * cut whatever is left, and resolve once the port is free.
 */
export class Drainer {
  private readonly active = new Set<object>();
  private idleWaiters: Array<() => void> = [];
  private closing: Promise<void> | undefined;

  constructor(private readonly server: Server) {}

  get isClosing(): boolean {
    return this.closing !== undefined;
  }

  get inFlight(): number {
    return this.active.size;
  }

  track(response: { once(event: 'close', listener: () => void): unknown }): void {
    this.active.add(response);
    response.once('close', () => {
      this.active.delete(response);
      if (this.active.size === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    });
  }

  close(drainTimeoutMs: number): Promise<void> {
    this.closing ??= this.drain(drainTimeoutMs);
    return this.closing;
  }

  private async drain(drainTimeoutMs: number): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    if (this.active.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => this.idleWaiters.push(resolve)),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, drainTimeoutMs);
        }),
      ]);
      clearTimeout(timer);
    }
    this.server.closeAllConnections();
    await closed;
  }
}
