/**
 * Reloads a TLS certificate and key when their files change, as controller-runtime's
 * certwatcher does: file-system events on the files' directories (a Kubernetes Secret
 * volume swaps a `..data` symlink there) plus a poll, for file systems without events.
 * The new pair goes to `apply` (e.g. `server.setSecureContext`), which affects new
 * handshakes only: open connections are never dropped. A pair that does not load (a key
 * written before its certificate, say) is not taken; the previous one stays in use.
 */
import { watch, type FSWatcher } from 'node:fs';
import { dirname } from 'node:path';
import { loadTlsFiles, type TlsFiles, type TlsMaterial } from './tls.js';

export interface CertWatcherLogger {
  info(message: string): void;
  error(message: string): void;
}

/** Default poll of the certificate files, beside file-system events (controller-runtime: 10 s). */
export const DEFAULT_CERT_WATCH_INTERVAL_MS = 10_000;
/** Events come in bursts (key, then certificate, then the symlink): read once they settle. */
const SETTLE_MS = 100;

export interface CertWatcher {
  /** Stops watching. Idempotent. */
  close(): void;
}

function sameMaterial(a: TlsMaterial, b: TlsMaterial): boolean {
  return a.cert.equals(b.cert) && a.key.equals(b.key);
}

export function watchCertificate(files: TlsFiles, initial: TlsMaterial, apply: (material: TlsMaterial) => void, logger: CertWatcherLogger): CertWatcher {
  const intervalMs = files.watchIntervalMs ?? DEFAULT_CERT_WATCH_INTERVAL_MS;
  if (!Number.isInteger(intervalMs) || intervalMs <= 0) {
    throw new TypeError(`tls.watchIntervalMs must be a positive integer (milliseconds), got ${String(files.watchIntervalMs)}`);
  }
  let current = initial;
  let closed = false;
  let running = false;
  let again = false;
  let lastProblem: string | undefined;
  let settle: NodeJS.Timeout | undefined;

  const reload = async (): Promise<void> => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        try {
          const material = await loadTlsFiles(files);
          lastProblem = undefined;
          if (closed || sameMaterial(material, current)) continue;
          apply(material);
          current = material;
          logger.info(`promkit: TLS certificate reloaded from ${files.certFile} and ${files.keyFile}; new connections use it`);
        } catch (error) {
          const problem = error instanceof Error ? error.message : String(error);
          // Logged once per distinct problem: the poll would repeat it every interval.
          if (!closed && problem !== lastProblem) logger.error(`promkit: TLS certificate not reloaded, keeping the previous one: ${problem}`);
          lastProblem = problem;
        }
      } while (again && !closed);
    } finally {
      running = false;
    }
  };

  const soon = (): void => {
    if (closed) return;
    clearTimeout(settle);
    settle = setTimeout(() => void reload(), SETTLE_MS);
    settle.unref();
  };

  const watchers: FSWatcher[] = [];
  for (const dir of new Set([dirname(files.certFile), dirname(files.keyFile)])) {
    try {
      const watcher = watch(dir, { persistent: false }, soon);
      watcher.on('error', () => {}); // the poll still covers this directory
      watchers.push(watcher);
    } catch {
      // No events here (e.g. some network file systems): the poll covers it.
    }
  }
  const poll = setInterval(() => void reload(), intervalMs);
  poll.unref();

  return {
    close() {
      closed = true;
      clearInterval(poll);
      clearTimeout(settle);
      for (const w of watchers) w.close();
    },
  };
}
