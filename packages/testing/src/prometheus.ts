/**
 * Runs a **real** Prometheus server for tests: exposition, rules and queries
 * are proven against Prometheus itself, not against mocks.
 *
 * ```ts
 * import { startPrometheus } from 'promkit/testing';
 *
 * const prom = await startPrometheus({ targets: [{ job: 'app', url: `http://127.0.0.1:${port}/metrics` }] });
 * try {
 *   await prom.waitForTargetsUp();
 *   await prom.waitForScrapes(1);
 *   assert.equal(await prom.queryValue('up{job="app"}'), 1);
 * } finally {
 *   await prom.close();
 * }
 * ```
 *
 * Requirements: the `prometheus` binary (Debian/Ubuntu:
 * `apt-get install -y prometheus`; or `PROMETHEUS_BIN=/path/to/prometheus`).
 * A missing binary is an error ({@link PrometheusBinaryNotFoundError}), never
 * a silent skip.
 *
 * Quirks of Prometheus 2.42 worth knowing when writing tests:
 * - Discovered targets (even `static_configs`) reach the scrape manager only
 *   after the discovery manager's fixed 5 s update tick, so the **first scrape
 *   happens ~5–6 s after start** whatever `scrape_interval` is. Prefer one
 *   Prometheus per test file with several jobs over one per test.
 * - Before its first scrape a target has `health: "unknown"` and an empty
 *   `lastError`.
 * - Scrapes of a target are spread over the interval by a per-target offset;
 *   wait with {@link RunningPrometheus.waitForScrapes}, never with sleeps.
 * - The exposition format is chosen by the response `Content-Type`; see
 *   `prometheus-config.ts` for the `Accept` header and how to force a format.
 *
 * @packageDocumentation
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, rmSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { freePort } from './free-port.js';
import { PrometheusClient, type ActiveTarget, type InstantSample } from './prometheus-api.js';
import { findPrometheusBinary } from './prometheus-binaries.js';
import { buildPrometheusConfig, jobNamesOf, type PrometheusConfigInput } from './prometheus-config.js';

export * from './free-port.js';
export * from './prometheus-api.js';
export * from './prometheus-binaries.js';
export * from './prometheus-config.js';
export * from './promtool.js';

/** Options of {@link startPrometheus}. */
export interface StartPrometheusOptions extends PrometheusConfigInput {
  /**
   * Inline rule groups (the `groups:` list of a rule file), written to
   * `rules.yml` in the temp dir and added to `rule_files`.
   */
  ruleGroups?: readonly Record<string, unknown>[];
  /** Feature flags, passed as `--enable-feature=a,b` (e.g. `'exemplar-storage'`). */
  features?: readonly string[];
  /** Port to listen on; default: a free port (retried if it gets taken meanwhile). */
  port?: number;
  /** Interface to listen on (default `127.0.0.1`). */
  host?: string;
  /** TSDB directory; default: `data/` in the temp dir. A directory given here is not deleted by `close()`. */
  dataDir?: string;
  /** Extra command-line arguments, appended last. */
  extraArgs?: readonly string[];
  /** Path of the prometheus binary (default: `PROMETHEUS_BIN` or `prometheus` on `PATH`). */
  binary?: string;
  /** How long to wait for `/-/ready` (default 20 000 ms). */
  startTimeoutMs?: number;
  /** Timeout of each HTTP API request (default 10 000 ms). */
  requestTimeoutMs?: number;
  /** `--log.level` (default `info`). */
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /**
   * A prometheus.yml to run as it is, instead of one generated from the options
   * (`targets`, `ruleGroups`... are then ignored; the jobs are read from the file).
   */
  configFile?: string;
  /** Also append everything Prometheus logs to this file. */
  logFile?: string;
  /**
   * Kill Prometheus when this process gets SIGINT, SIGTERM or SIGHUP (default true, for
   * test runs). An application that handles its own signals and calls `close()` passes
   * false, so no process-wide signal handler is installed. It is killed on exit either way.
   */
  killOnSignals?: boolean;
}

/** Options of the polling helpers. */
export interface WaitOptions {
  /** Give up after this many milliseconds. */
  timeoutMs?: number;
  /** Delay between polls (default 100 ms). */
  intervalMs?: number;
}

/** Options of {@link RunningPrometheus.waitForTargetsUp} and {@link RunningPrometheus.waitForScrapes}. */
export interface TargetWaitOptions extends WaitOptions {
  /** Restrict to these jobs (`job_name`s); default: every configured job. */
  job?: string | readonly string[];
}

/** Prometheus could not be started (bad config, port in use, crashed, not ready in time). */
export class PrometheusStartError extends Error {
  override readonly name = 'PrometheusStartError';
  constructor(
    message: string,
    /** Last lines Prometheus wrote to stderr/stdout. */
    readonly logTail: string,
    /** Exit code, if the process exited. */
    readonly exitCode: number | null = null,
  ) {
    super(logTail ? `${message}\n--- prometheus log (tail) ---\n${logTail}` : message);
  }

  /** `true` when Prometheus reported that its listen address is taken. */
  get addressInUse(): boolean {
    return /address already in use/i.test(this.logTail);
  }
}

/** A polling helper gave up. */
export class PrometheusTimeoutError extends Error {
  override readonly name = 'PrometheusTimeoutError';
  constructor(
    message: string,
    /** Target states at the time of the timeout, when relevant. */
    readonly targets: ActiveTarget[] = [],
  ) {
    super(message);
  }
}

/** The Prometheus process exited while it was being used. */
export class PrometheusExitedError extends Error {
  override readonly name = 'PrometheusExitedError';
}

/**
 * Polls `probe` until it returns a value other than `undefined`/`false`/`null`
 * and resolves with that value. Errors thrown by `probe` are remembered and
 * polling continues; on timeout the last error and `describe()` are included.
 * The first poll happens immediately.
 */
export async function waitUntil<T>(
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  options: WaitOptions & { description?: string; describe?: () => Promise<string> | string } = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 100;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== null && value !== false) return value;
    } catch (err) {
      if (err instanceof PrometheusExitedError) throw err;
      lastError = err;
    }
    if (Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, Math.min(intervalMs, Math.max(0, deadline - Date.now()))));
  }
  let message = `timed out after ${timeoutMs} ms waiting for ${options.description ?? 'condition'}`;
  if (options.describe) {
    try {
      message += `\n${await options.describe()}`;
    } catch (err) {
      message += `\n(could not describe state: ${String(err)})`;
    }
  }
  if (lastError !== undefined) message += `\nlast error: ${lastError instanceof Error ? lastError.message : String(lastError)}`;
  throw new PrometheusTimeoutError(message);
}

// ---------------------------------------------------------------------------
// Child process bookkeeping: never leave a Prometheus behind.

const live = new Set<RunningPrometheus>();
const signalHandlers = new Map<NodeJS.Signals, () => void>();

function killAllSync(): void {
  for (const prom of live) prom.killSync();
}

function onExit(): void {
  killAllSync();
}

function installCleanupHandlers(onSignals: boolean): void {
  if (!process.listeners('exit').includes(onExit)) process.on('exit', onExit);
  if (!onSignals || signalHandlers.size > 0) return;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const handler = (): void => {
      killAllSync();
      // Only re-raise when we are the sole listener, so the default action
      // (terminate) still happens; otherwise the other listeners decide.
      if (process.listenerCount(signal) === 1) {
        uninstallCleanupHandlers();
        process.kill(process.pid, signal);
      }
    };
    signalHandlers.set(signal, handler);
    process.on(signal, handler);
  }
}

function uninstallCleanupHandlers(): void {
  process.removeListener('exit', onExit);
  for (const [signal, handler] of signalHandlers) process.removeListener(signal, handler);
  signalHandlers.clear();
}

const LOG_LIMIT = 256 * 1024;

function escapeRegex(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}

function jobSelector(jobs: readonly string[]): string {
  if (jobs.length === 1) return `job=${JSON.stringify(jobs[0])}`;
  return `job=~${JSON.stringify(jobs.map(escapeRegex).join('|'))}`;
}

function describeTarget(t: ActiveTarget): string {
  const lastScrape = t.lastScrape.startsWith('0001-') ? 'never' : t.lastScrape;
  return `  job ${JSON.stringify(t.scrapePool)} ${t.scrapeUrl}: health=${t.health}` + ` lastError=${JSON.stringify(t.lastError)} lastScrape=${lastScrape}`;
}

/**
 * A running Prometheus started by {@link startPrometheus}: the full
 * {@link PrometheusClient} API plus lifecycle and wait helpers.
 */
export class RunningPrometheus extends PrometheusClient {
  /** TCP port of the web/API listener. */
  readonly port: number;
  /** Listen host. */
  readonly host: string;
  /** Generated `prometheus.yml`. */
  readonly configPath: string;
  /** Temporary directory (config, rules, default data dir); removed by `close()`. */
  readonly tempDir: string;
  /** TSDB directory. */
  readonly dataDir: string;
  /** `job_name`s of all configured scrape configs. */
  readonly jobs: readonly string[];
  /** When the process was spawned. */
  readonly startedAt: Date;
  /** The generated configuration object. */
  readonly config: Readonly<Record<string, unknown>>;

  readonly #child: ChildProcess;
  readonly #exitPromise: Promise<void>;
  #log = '';
  #exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  #closing: Promise<void> | undefined;

  /** @internal Use {@link startPrometheus}. */
  constructor(init: {
    child: ChildProcess;
    port: number;
    host: string;
    configPath: string;
    tempDir: string;
    dataDir: string;
    jobs: string[];
    config: Record<string, unknown>;
    requestTimeoutMs?: number;
  }) {
    super(`http://${init.host.includes(':') ? `[${init.host}]` : init.host}:${init.port}`, {
      requestTimeoutMs: init.requestTimeoutMs,
    });
    this.#child = init.child;
    this.port = init.port;
    this.host = init.host;
    this.configPath = init.configPath;
    this.tempDir = init.tempDir;
    this.dataDir = init.dataDir;
    this.jobs = init.jobs;
    this.config = init.config;
    this.startedAt = new Date();
    const append = (chunk: string): void => {
      this.#log += chunk;
      if (this.#log.length > LOG_LIMIT) this.#log = this.#log.slice(-LOG_LIMIT / 2);
    };
    init.child.stdout?.setEncoding('utf8').on('data', append);
    init.child.stderr?.setEncoding('utf8').on('data', append);
    this.#exitPromise = new Promise<void>((resolvePromise) => {
      init.child.once('exit', (code, signal) => {
        this.#exit = { code, signal };
        resolvePromise();
      });
      init.child.once('error', (err) => {
        append(`\n[promkit] spawn error: ${err.message}\n`);
        this.#exit ??= { code: null, signal: null };
        resolvePromise();
      });
    });
  }

  /** Process id of Prometheus. */
  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** Everything Prometheus logged so far (last 128–256 KiB). */
  get logs(): string {
    return this.#log;
  }

  /** The last `lines` lines of the log. */
  logTail(lines = 25): string {
    return this.#log.trimEnd().split('\n').slice(-lines).join('\n');
  }

  /** Whether the process has exited. */
  get exited(): boolean {
    return this.#exit !== undefined;
  }

  /** Resolves when the process exits (for whatever reason). */
  whenExited(): Promise<void> {
    return this.#exitPromise;
  }

  #assertAlive(): void {
    if (this.#exit) {
      const { code, signal } = this.#exit;
      throw new PrometheusExitedError(`Prometheus exited (code ${code}, signal ${signal})\n--- prometheus log (tail) ---\n${this.logTail()}`);
    }
  }

  #jobsFor(job: TargetWaitOptions['job']): string[] {
    if (job === undefined) return [...this.jobs];
    return typeof job === 'string' ? [job] : [...job];
  }

  /**
   * Waits until every target of the selected jobs reports `health: "up"` (and
   * each selected job has at least one active target). Resolves with those targets.
   *
   * On timeout rejects with {@link PrometheusTimeoutError} listing each
   * target's health and `lastError` (e.g. `connection refused`).
   * Default timeout 15 000 ms (the first scrape takes ~5 s in 2.42).
   */
  async waitForTargetsUp(options: TargetWaitOptions = {}): Promise<ActiveTarget[]> {
    const jobs = this.#jobsFor(options.job);
    const timeoutMs = options.timeoutMs ?? 15_000;
    let last: ActiveTarget[] = [];
    try {
      return await waitUntil(
        async () => {
          this.#assertAlive();
          const { activeTargets } = await this.targets('active');
          last = activeTargets.filter((t) => jobs.includes(t.scrapePool));
          const allJobsPresent = jobs.every((j) => last.some((t) => t.scrapePool === j));
          return allJobsPresent && last.every((t) => t.health === 'up') ? last : undefined;
        },
        { timeoutMs, intervalMs: options.intervalMs },
      );
    } catch (err) {
      if (!(err instanceof PrometheusTimeoutError)) throw err;
      const lines = last.filter((t) => t.health !== 'up').map(describeTarget);
      for (const j of jobs) {
        if (!last.some((t) => t.scrapePool === j)) {
          lines.push(`  job ${JSON.stringify(j)}: no active target yet (Prometheus 2.42 publishes targets ~5 s after start)`);
        }
      }
      throw new PrometheusTimeoutError(
        `waitForTargetsUp: timed out after ${timeoutMs} ms; targets not up:\n${lines.join('\n')}` +
          (err.message.includes('last error:') ? `\n${err.message.slice(err.message.indexOf('last error:'))}` : ''),
        last,
      );
    }
  }

  /**
   * Waits until **every** target of the selected jobs has been scraped
   * successfully at least `n` times since this Prometheus started, i.e. its
   * data from `n` scrapes is queryable.
   *
   * Counts with `sum_over_time(up{job=...}[<since start>])`: `up` is 1 for
   * each successful scrape and is committed together with the scraped samples.
   * Relies on the `job` label being the `job_name` (no relabelling of `job`).
   * Default timeout 20 000 ms.
   */
  async waitForScrapes(n: number, options: TargetWaitOptions = {}): Promise<void> {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`waitForScrapes: n must be a positive integer, got ${n}`);
    const jobs = this.#jobsFor(options.job);
    if (jobs.length === 0) throw new Error('waitForScrapes: no scrape jobs configured');
    const timeoutMs = options.timeoutMs ?? 20_000;
    let counts: InstantSample[] = [];
    const satisfied = (): boolean => jobs.every((j) => counts.some((s) => s.metric.job === j)) && counts.every((s) => s.value >= n);
    try {
      await waitUntil(
        async () => {
          this.#assertAlive();
          const rangeSeconds = Math.ceil((Date.now() - this.startedAt.getTime()) / 1000) + 60;
          counts = await this.queryVector(`sum_over_time(up{${jobSelector(jobs)}}[${rangeSeconds}s])`);
          return satisfied();
        },
        { timeoutMs, intervalMs: options.intervalMs },
      );
    } catch (err) {
      if (!(err instanceof PrometheusTimeoutError)) throw err;
      const seen = counts.map((s) => `  ${s.metric.job} ${s.metric.instance}: ${s.value} successful scrape(s)`);
      let targets: ActiveTarget[] = [];
      try {
        targets = (await this.targets('active')).activeTargets.filter((t) => jobs.includes(t.scrapePool));
      } catch {
        // Best effort diagnostics only.
      }
      throw new PrometheusTimeoutError(
        `waitForScrapes(${n}): timed out after ${timeoutMs} ms for jobs ${JSON.stringify(jobs)}\n` +
          `counts:\n${seen.join('\n') || '  (no up series yet)'}\ntargets:\n${targets.map(describeTarget).join('\n') || '  (none)'}`,
        targets,
      );
    }
  }

  /**
   * Reloads the configuration from {@link configPath} (`POST /-/reload`;
   * `--web.enable-lifecycle` is always set). Rewrite the file first to change targets.
   */
  async reload(): Promise<void> {
    this.#assertAlive();
    const response = await fetch(`${this.url}/-/reload`, { method: 'POST', signal: AbortSignal.timeout(10_000) });
    const body = await response.text();
    if (!response.ok) throw new Error(`Prometheus reload failed: HTTP ${response.status}: ${body}`);
  }

  /**
   * Stops Prometheus (SIGTERM, SIGKILL after `graceMs`, default 10 000 ms),
   * waits for the process to exit (its port is then free) and removes the temp
   * directory. Idempotent: later calls return the same promise.
   */
  close(graceMs = 10_000): Promise<void> {
    this.#closing ??= this.#doClose(graceMs);
    return this.#closing;
  }

  async #doClose(graceMs: number): Promise<void> {
    if (!this.#exit) {
      this.#child.ref();
      this.#child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        this.#exitPromise.then(() => false),
        new Promise<boolean>((r) => {
          timer = setTimeout(() => r(true), graceMs);
        }),
      ]);
      clearTimeout(timer);
      if (timedOut && !this.#exit) {
        this.#child.kill('SIGKILL');
        await this.#exitPromise;
      }
    }
    live.delete(this);
    if (live.size === 0) uninstallCleanupHandlers();
    await rm(this.tempDir, { recursive: true, force: true, maxRetries: 3 });
  }

  /** @internal Synchronous last-resort cleanup (process `exit` / signals). */
  killSync(): void {
    if (!this.#exit) {
      try {
        this.#child.kill('SIGKILL');
      } catch {
        // ignore
      }
    }
    try {
      rmSync(this.tempDir, { recursive: true, force: true, maxRetries: 3, retryDelay: 20 });
    } catch {
      // ignore
    }
  }
}

/**
 * `GET /-/ready` on a fresh connection (no keep-alive pool), destroyed on
 * timeout or abort: if another process holds the port and never answers, the
 * probe must not leave a dangling connection behind.
 */
function probeReady(host: string, port: number, signal: AbortSignal): Promise<boolean> {
  return new Promise<boolean>((resolvePromise) => {
    const req = httpGet({ host, port, path: '/-/ready', agent: false, timeout: 2_000, signal }, (res) => {
      res.resume();
      res.once('end', () => resolvePromise(res.statusCode === 200));
      res.once('error', () => resolvePromise(false));
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolvePromise(false));
  });
}

/**
 * Starts a real Prometheus (`prometheus` binary) with a generated config in a
 * fresh temp directory, and resolves once `/-/ready` answers 200.
 *
 * Command line: `--config.file=<tmp>/prometheus.yml --storage.tsdb.path=<dataDir>
 * --web.listen-address=127.0.0.1:<port> --web.enable-lifecycle
 * [--enable-feature=...] [--log.level=...] ...extraArgs`.
 *
 * Rejects with {@link PrometheusStartError} (including the tail of
 * Prometheus' log) when the process exits early (invalid config, port in
 * use...) or is not ready within `startTimeoutMs`; with
 * {@link PrometheusBinaryNotFoundError} when the binary is missing.
 *
 * The process is killed on `close()`, and as a last resort on process
 * `exit`/SIGINT/SIGTERM/SIGHUP. It does not keep the event loop alive, so a
 * forgotten `close()` does not hang the test run.
 */
export async function startPrometheus(options: StartPrometheusOptions = {}): Promise<RunningPrometheus> {
  const binary = findPrometheusBinary('prometheus', options.binary);
  const host = options.host ?? '127.0.0.1';
  const autoPort = options.port === undefined;
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort(host));
    try {
      return await startOnce(binary, host, port, options);
    } catch (err) {
      if (autoPort && attempt < 3 && err instanceof PrometheusStartError && err.addressInUse) continue;
      throw err;
    }
  }
}

async function startOnce(binary: string, host: string, port: number, options: StartPrometheusOptions): Promise<RunningPrometheus> {
  const tempDir = await mkdtemp(join(tmpdir(), 'promkit-prometheus-'));
  try {
    const dataDir = resolve(options.dataDir ?? join(tempDir, 'data'));
    await mkdir(dataDir, { recursive: true });
    const ruleFiles = [...(options.ruleFiles ?? [])];
    if (options.ruleGroups && options.ruleGroups.length > 0) {
      const rulesPath = join(tempDir, 'rules.yml');
      await writeFile(rulesPath, toYaml({ groups: options.ruleGroups }));
      ruleFiles.push(rulesPath);
    }
    let config: Record<string, unknown>;
    let configPath: string;
    if (options.configFile !== undefined) {
      configPath = resolve(options.configFile);
      config = (parseYaml(await readFile(configPath, 'utf8')) ?? {}) as Record<string, unknown>;
    } else {
      config = buildPrometheusConfig({ ...options, ruleFiles });
      configPath = join(tempDir, 'prometheus.yml');
      await writeFile(configPath, toYaml(config));
    }

    const listen = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    const args = [`--config.file=${configPath}`, `--storage.tsdb.path=${dataDir}`, `--web.listen-address=${listen}`, '--web.enable-lifecycle'];
    if (options.features && options.features.length > 0) args.push(`--enable-feature=${options.features.join(',')}`);
    if (options.logLevel) args.push(`--log.level=${options.logLevel}`);
    args.push(...(options.extraArgs ?? []));

    const child = spawn(binary, args, { cwd: tempDir, stdio: ['ignore', 'pipe', 'pipe'] });
    if (options.logFile !== undefined) {
      const log = createWriteStream(options.logFile, { flags: 'a' });
      child.stdout?.pipe(log, { end: false });
      child.stderr?.pipe(log, { end: false });
      child.once('exit', () => log.end());
    }
    const prom = new RunningPrometheus({
      child,
      port,
      host,
      configPath,
      tempDir,
      dataDir,
      jobs: jobNamesOf((config.scrape_configs ?? []) as Record<string, unknown>[]),
      config,
      requestTimeoutMs: options.requestTimeoutMs,
    });
    live.add(prom);
    installCleanupHandlers(options.killOnSignals ?? true);

    const startTimeoutMs = options.startTimeoutMs ?? 20_000;
    // Rejects as soon as the process exits, so that a request hanging on a
    // foreign listener (port taken by something else) does not delay the error.
    const abort = new AbortController();
    const exited = prom.whenExited().then(() => {
      abort.abort();
      throw new PrometheusExitedError('exited');
    });
    exited.catch(() => {});
    try {
      await waitUntil(() => Promise.race([probeReady(host, port, abort.signal), exited]), {
        timeoutMs: startTimeoutMs,
        intervalMs: 50,
      });
      // Make sure the server answering is ours and not another process on the same port.
      const flags = await Promise.race([prom.flags(), exited]);
      if (flags['storage.tsdb.path'] !== dataDir) {
        throw new PrometheusStartError(`another server answers on ${prom.url} (storage.tsdb.path=${flags['storage.tsdb.path']})`, prom.logTail());
      }
      if (prom.exited) throw new PrometheusExitedError('exited');
    } catch (err) {
      await prom.close();
      if (err instanceof PrometheusStartError) throw err;
      if (err instanceof PrometheusExitedError || prom.exited) {
        throw new PrometheusStartError(`Prometheus exited during startup (${binary} ${args.join(' ')})`, prom.logTail(), child.exitCode);
      }
      if (err instanceof PrometheusTimeoutError) {
        throw new PrometheusStartError(`Prometheus was not ready within ${startTimeoutMs} ms on ${prom.url}`, prom.logTail());
      }
      throw err;
    }
    // Do not keep the event loop alive; the exit handler kills the process.
    child.unref();
    (child.stdout as unknown as { unref?: () => void } | null)?.unref?.();
    (child.stderr as unknown as { unref?: () => void } | null)?.unref?.();
    return prom;
  } catch (err) {
    await rm(tempDir, { recursive: true, force: true });
    throw err;
  }
}
