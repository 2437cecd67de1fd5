/**
 * Runs the `prometheus` binary found on PATH (or PROMETHEUS_BIN) with the demo's config,
 * its data under the state dir and its log in `<state dir>/prometheus.log`; waits until it
 * is ready, and stops it (SIGTERM, then SIGKILL) on the way out.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { findPrometheusBinary, PrometheusBinaryNotFoundError } from '@promkit/testing';
import { PortInUseError } from './port-in-use.js';

export interface RunningPrometheusProcess {
  readonly url: string;
  readonly port: number;
  readonly binary: string;
  readonly logFile: string;
  readonly dataDir: string;
  readonly pid: number | undefined;
  /** Resolves when the process exits (for whatever reason). */
  readonly exited: Promise<void>;
  stop(): Promise<void>;
}

/** The prometheus binary (PROMETHEUS_BIN, else PATH), or undefined when there is none. */
export function findPrometheus(): string | undefined {
  try {
    return findPrometheusBinary('prometheus');
  } catch (error) {
    if (error instanceof PrometheusBinaryNotFoundError) return undefined;
    throw error;
  }
}

/** Binds and releases host:port; false when something already listens there. */
function portFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/** A port that is free now (for --prometheus-port 0: Prometheus cannot report the port it bound). */
function anyFreePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen({ host, port: 0, exclusive: true }, () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function ready(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1_000) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

function waitForExit(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

export async function startPrometheusProcess(options: {
  binary: string;
  configPath: string;
  stateDir: string;
  host: string;
  port: number;
  startTimeoutMs?: number;
}): Promise<RunningPrometheusProcess> {
  const { binary, host } = options;
  const port = options.port === 0 ? await anyFreePort(host) : options.port;
  if (!(await portFree(host, port))) throw new PortInUseError(port, '--prometheus-port');
  const dataDir = join(options.stateDir, 'prometheus-data');
  const logFile = join(options.stateDir, 'prometheus.log');
  await mkdir(dataDir, { recursive: true });
  const log = createWriteStream(logFile);
  await new Promise<void>((resolve, reject) => log.once('open', () => resolve()).once('error', reject));
  const child = spawn(
    binary,
    [`--config.file=${options.configPath}`, `--storage.tsdb.path=${dataDir}`, `--web.listen-address=${host}:${port}`, '--web.enable-lifecycle', '--storage.tsdb.retention.time=2d'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout!.pipe(log, { end: false });
  child.stderr!.pipe(log, { end: false });
  const exited = waitForExit(child).then(() => new Promise<void>((resolve) => log.end(() => resolve())));
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      await exited;
    })());

  const deadline = Date.now() + (options.startTimeoutMs ?? 20_000);
  let done = false;
  void exited.then(() => (done = true));
  while (!(await ready(url))) {
    if (done || Date.now() > deadline) {
      await stop();
      const tail = (await readFile(logFile, 'utf8').catch(() => '')).trim().split('\n').slice(-5).join('\n');
      if (/address already in use/i.test(tail)) throw new PortInUseError(port, '--prometheus-port');
      throw new Error(`prometheus ${done ? 'exited' : 'was not ready'} (see ${logFile}):\n${tail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  return { url, port, binary, logFile, dataDir, pid: child.pid, exited, stop };
}
