import { Registry } from '../core/registry.js';
import type { ChunkSink, ChunkTarget } from '../exposition/chunk-writer.js';
import { getLogger, type Logger } from '../integration/logger.js';
import { HealthState } from '../server/health-state.js';
import type { RunningMetricsServer, ServerLogger } from '../server/status-server.js';
import { FamilyRegistry } from './family-registry.js';
import { Namespace } from './levels.js';
import { assertScopeName, resolveAutoLabelNames, resolvePrefix, type AutoLabelOption } from './naming.js';
import { MetricsScope, type ExpositionOptions, type RuntimeContext } from './scope.js';
import { startRuntimeSystemServer, type SystemServerOptions } from './system-server.js';
import type { CounterVec } from './vec.js';

/** Where the runtime logs by default (promkit/logging). */
export const RUNTIME_LOG_TARGET = 'promkit::runtime';

export interface DistributedRuntimeOptions {
  /** Metric name prefix; names become `<prefix>_<name>`. Default 'dynamo'; '' for none. */
  prefix?: string;
  /** Names of the namespace/component/endpoint auto labels. Default 'plain'. */
  autoLabelNames?: AutoLabelOption;
  /** The runtime's own namespace, which labels `dynamo_system_uptime_seconds`. Default 'dynamo'. */
  namespace?: string;
  /** Registry to hold the metrics; default a new one (one registry per runtime). */
  registry?: Registry;
  /**
   * An update callback slower than this is abandoned for the scrape. Default 2 500 ms: with
   * the registry's collects it must fit in the scraper's deadline (10 s by default).
   */
  updateCallbackTimeoutMs?: number;
  /**
   * Where the runtime reports problems (failed update callbacks) and, unless the system
   * server is given its own, where the system server logs. Default: the `promkit::runtime`
   * logger of promkit/logging (the system server then logs under `promkit::server`).
   */
  logger?: ServerLogger;
}

/**
 * The root of the hierarchy: `runtime.namespace(n).component(c).endpoint(e)`. Its own
 * metrics carry no auto labels; its exposition covers every scope, and every metric
 * registered in its registry.
 */
export class DistributedRuntime extends MetricsScope {
  readonly level = 'runtime' as const;
  readonly registry: Registry;
  readonly health: HealthState;
  readonly prefix: string;
  readonly systemNamespace: string;
  readonly logger: ServerLogger;
  /** The `logger` option as given (undefined: promkit/logging's loggers are used). */
  readonly customLogger: ServerLogger | undefined;
  private callbackErrors: CounterVec<readonly ['scope']> | undefined;
  private systemServer: RunningMetricsServer | undefined;

  constructor(options: DistributedRuntimeOptions = {}) {
    const prefix = resolvePrefix(options.prefix);
    const auto = resolveAutoLabelNames(options.autoLabelNames, prefix);
    const registry = options.registry ?? new Registry();
    const timeout = options.updateCallbackTimeoutMs ?? 2_500;
    if (!Number.isFinite(timeout) || timeout <= 0)
      throw new TypeError(`DistributedRuntime: updateCallbackTimeoutMs must be a positive number, got ${String(timeout)}`);
    const systemNamespace = options.namespace ?? 'dynamo';
    assertScopeName('DistributedRuntime: namespace', systemNamespace);
    const reserved = new Map([
      [auto.namespace, 'namespace'],
      [auto.component, 'component'],
      [auto.endpoint, 'endpoint'],
    ]);
    const hint = prefix === '' ? 'set autoLabelNames to other names' : `set autoLabelNames: 'prefixed' (${prefix}_namespace, ...) or other names`;
    const context: RuntimeContext = {
      registry,
      families: new FamilyRegistry(registry, reserved, hint),
      prefix,
      autoLabelNames: [auto.namespace, auto.component, auto.endpoint],
      health: new HealthState(),
      callbackTimeoutMs: timeout,
      reportCallbackError: (error, scope) => this.reportCallbackError(error, scope),
    };
    super(context, []);
    this.registry = registry;
    this.health = context.health;
    this.prefix = prefix;
    this.systemNamespace = systemNamespace;
    this.customLogger = options.logger;
    // Taken at construction, not module load, so a setDefaultLogging() made before applies.
    this.logger = options.logger ?? getLogger(RUNTIME_LOG_TARGET);
  }

  namespace(name: string): Namespace {
    assertScopeName('namespace', name);
    return this.childScope(name, () => new Namespace(this.context, name));
  }

  uptimeSeconds(): number {
    return this.health.uptimeSeconds();
  }

  /**
   * The whole runtime: every scope's metrics plus anything registered directly in
   * `runtime.registry` (e.g. `new Counter({..., registers: [runtime.registry]})`).
   */
  override async prometheusMetricsFmt(options: ExpositionOptions = {}): Promise<string> {
    const deadline = await this.runCallbacksWithinBudget(options.timeoutMs);
    return this.registry.metrics({ format: options.format ?? 'prometheus', timeoutMs: Math.max(0, deadline - Date.now()) });
  }

  /** The same exposition streamed in chunks (what the status server uses for large registries). */
  async writeMetrics(sink: ChunkSink | ChunkTarget, options: ExpositionOptions = {}): Promise<void> {
    const deadline = await this.runCallbacksWithinBudget(options.timeoutMs);
    await this.registry.writeMetrics(sink, { format: options.format ?? 'prometheus', timeoutMs: Math.max(0, deadline - Date.now()) });
  }

  /** The whole runtime's exposition in the protobuf format (native histograms included), under the same deadline. */
  override async metricsProtobuf(options: { timeoutMs?: number } = {}): Promise<Uint8Array> {
    const deadline = await this.runCallbacksWithinBudget(options.timeoutMs);
    return this.registry.metricsProtobuf({ timeoutMs: Math.max(0, deadline - Date.now()) });
  }

  /**
   * One deadline for the whole gather: update callbacks get at most half of it, so a hung
   * callback still leaves the registry's collects their share. Returns the deadline.
   */
  private async runCallbacksWithinBudget(timeoutMs: number | undefined): Promise<number> {
    if (timeoutMs !== undefined && !(timeoutMs >= 0))
      throw new TypeError(`runtime metrics: timeoutMs must be a number of milliseconds >= 0, got ${String(timeoutMs)}`);
    const budget = Math.min(timeoutMs ?? Infinity, this.registry.collectTimeoutMs);
    const deadline = Date.now() + budget;
    await this.runUpdateCallbacks(budget / 2);
    return deadline;
  }

  /**
   * Starts the system status server when DYN_SYSTEM_ENABLED (or `enabled`) says so:
   * /metrics, /health, /live. Returns null when disabled. Options override the environment.
   */
  async startSystemServer(options: SystemServerOptions = {}): Promise<RunningMetricsServer | null> {
    if (this.systemServer !== undefined)
      throw new Error(`the system status server of this runtime is already running on ${this.systemServer.url}; close() it first`);
    const server = await startRuntimeSystemServer(this, options);
    if (server === null) return null;
    const close = server.close;
    this.systemServer = server;
    return {
      ...server,
      close: () => {
        if (this.systemServer === server) this.systemServer = undefined;
        return close();
      },
    };
  }

  private reportCallbackError(error: unknown, scope: string): void {
    this.callbackErrors ??= this.createCounterVec('update_callback_errors_total', 'Update callbacks that threw, rejected or timed out, by scope', ['scope']);
    this.callbackErrors.withLabelValues(scope === '' ? '/' : scope).inc();
    const name = scope === '' ? '/' : scope;
    const detail = error instanceof Error ? error.message : String(error);
    try {
      if (this.customLogger !== undefined) {
        this.customLogger.error(`promkit: update callback of scope '${name}' failed; the scrape goes on with the current values: ${detail}`);
      } else {
        (this.logger as Logger).error(
          { scope: name, err: error },
          `update callback of scope '${name}' failed; the scrape goes on with the current values: ${detail}`,
        );
      }
    } catch {
      // a broken logger must not fail the scrape
    }
  }
}
