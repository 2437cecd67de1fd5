/**
 * Free TCP port discovery for tests.
 *
 * @packageDocumentation
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Ports below this are left alone (well-known and registered services crowd them). */
const LOWEST_PICKED = 20_000;
/** Where the OS's ephemeral range starts when /proc does not say (Linux's default). */
const DEFAULT_EPHEMERAL_LOW = 32_768;
/** Random picks tried before falling back to an OS-chosen port. */
const ATTEMPTS = 50;
/** Ports handed out by this process, not handed out again: the caller may not have bound one yet. */
const handedOut = new Set<number>();

/** The low end of the OS's ephemeral port range (Linux), where outgoing connections take local ports. */
function readEphemeralLow(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > LOWEST_PICKED + 1_000 ? low : DEFAULT_EPHEMERAL_LOW;
  } catch {
    return DEFAULT_EPHEMERAL_LOW;
  }
}

/** Read once: the range is a system setting. */
let ephemeralLow: number | undefined;

/** A port the OS chooses (bind port 0, close again). */
function osChosenPort(host: string): Promise<number> {
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
 * Returns a TCP port that is currently free on `host`.
 *
 * The port is picked at random below the OS's ephemeral range (20000 up to 32767 on
 * Linux's defaults), never twice in one process. A port the OS hands out for port 0 comes
 * from the ephemeral range, where every outgoing connection also takes its local port: on
 * a busy test machine one of those took such a port before the caller bound it. A small
 * race remains (another process may bind the port first), so callers that spawn servers
 * on it should still be ready to retry on `EADDRINUSE` ({@link startPrometheus} does this
 * when it picked the port itself). When no random pick is free, the OS chooses.
 *
 * @param host - interface to probe; defaults to `127.0.0.1`.
 * @returns the port number (1–65535).
 */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  ephemeralLow ??= readEphemeralLow();
  const span = ephemeralLow - LOWEST_PICKED;
  let port: number | undefined;
  for (let attempt = 0; attempt < ATTEMPTS && port === undefined; attempt++) {
    const candidate = LOWEST_PICKED + Math.floor(Math.random() * span);
    if (!handedOut.has(candidate) && (await isPortFree(candidate, host))) port = candidate;
  }
  port ??= await osChosenPort(host);
  handedOut.add(port);
  return port;
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
