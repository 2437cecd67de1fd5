/**
 * Free TCP port discovery for tests.
 *
 * @packageDocumentation
 */
import { createServer } from 'node:net';

/**
 * Returns a TCP port that is currently free on `host`.
 *
 * The port is found by binding an ephemeral port (port 0) and closing the
 * listener again, so there is an unavoidable (small) race: another process may
 * grab the port before the caller binds it. Callers that spawn servers on the
 * returned port should be ready to retry on `EADDRINUSE`
 * ({@link startPrometheus} does this when it picked the port itself).
 *
 * @param host - interface to probe; defaults to `127.0.0.1`.
 * @returns the port number (1–65535).
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error(`freePort: unexpected listener address ${String(address)}`));
        return;
      }
      const { port } = address;
      server.close((err) => (err ? reject(err) : resolve(port)));
    });
  });
}

/**
 * Resolves `true` when a TCP listener can be bound on `host:port` right now
 * (i.e. nobody is listening there), `false` on `EADDRINUSE`/`EACCES`.
 *
 * Useful to assert that a server released its port after shutdown.
 */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise<boolean>((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE' || err.code === 'EACCES') resolve(false);
      else reject(err);
    });
    server.listen({ port, host, exclusive: true }, () => {
      server.close((err) => (err ? reject(err) : resolve(true)));
    });
  });
}
