import { threadId } from 'node:worker_threads';
import { globalRegistry, type Collector, type Registry } from '../registry.js';
import type { LabelTuple } from '../typed-labels.js';
import { ColumnTable } from './column-table.js';
import {
  defineShared,
  inheritedRange,
  mismatch,
  widthOf,
  type SharedGaugeConfiguration,
  type SharedHistogramConfiguration,
  type SharedMetricConfiguration,
  type SharedMetricDefinition,
  type SharedSummaryConfiguration,
} from './definition.js';
import { SharedHistogram } from './shared-histogram.js';
import type { SharedMetric } from './shared-metric.js';
import { SharedCounter, SharedGauge } from './shared-scalar.js';
import { SharedStore, type StoreBuffers } from './shared-store.js';
import { SharedSummary } from './shared-summary.js';

const HANDLE_KIND = 'promkit.shared-metrics/1';
const DEFAULT_MAX_THREADS = 16;
const DEFAULT_MAX_SERIES = 1 << 20;

/** What a worker needs to attach: plain data and SharedArrayBuffers, so `workerData` and `postMessage` carry it as is. */
export interface SharedMetricsHandle {
  readonly kind: typeof HANDLE_KIND;
  readonly columns: SharedArrayBuffer;
  readonly metrics: ReadonlyArray<{ readonly definition: SharedMetricDefinition } & StoreBuffers>;
}

export interface SharedRegistryOptions {
  /** Registries the shared metrics join (their scrapes read every thread); default the global `register`. */
  registers?: Registry[];
  /** Threads that may write at once, this one included (one column of numbers per thread per series). Default 16. */
  maxThreads?: number;
  /** Series per metric the shared memory may grow to (address space is reserved up front, memory is used as series come). Default 1048576. */
  maxSeries?: number;
}

export interface AttachWorkerOptions {
  /** Registries the worker's view of the shared metrics joins, to scrape from the worker too. Default none. */
  registers?: Registry[];
}

/** Anything with a threadId and an 'exit' event: a node:worker_threads Worker. */
export interface WatchableWorker {
  readonly threadId: number;
  once(event: 'exit', listener: (...args: unknown[]) => void): unknown;
}

/** A worker pool such as piscina's. */
export interface WatchablePool {
  readonly threads: readonly WatchableWorker[];
  on(event: 'workerCreate', listener: () => void): unknown;
}

type AnyShared = SharedMetric<string, unknown>;

/**
 * Metrics whose numbers live in SharedArrayBuffers, written by the main thread and any
 * worker without a message per update; a scrape on any thread reads them all.
 *
 * Create it with `sharedRegistry()` on the thread that serves `/metrics`, declare the
 * metrics, pass `handle()` to workers (`workerData`), and in each worker call
 * `attachWorker(handle)` and declare the same metrics (same module, same calls).
 */
export class SharedMetrics {
  private readonly declared = new Map<string, AnyShared>();
  private readonly watched = new WeakSet<object>();
  private readonly definitions: Map<string, { readonly definition: SharedMetricDefinition } & StoreBuffers>;
  private released = false;

  private constructor(
    private readonly table: ColumnTable,
    /** This thread's column (0 for the thread that created the registry). */
    readonly column: number,
    private readonly role: 'owner' | 'worker',
    private readonly registers: readonly Registry[],
    private readonly maxSeries: number,
    handle: SharedMetricsHandle | undefined,
  ) {
    this.definitions = new Map((handle?.metrics ?? []).map((m) => [m.definition.name, m]));
  }

  /** @internal Use sharedRegistry(). */
  static createOwner(options: SharedRegistryOptions): SharedMetrics {
    const maxThreads = options.maxThreads ?? DEFAULT_MAX_THREADS;
    const maxSeries = options.maxSeries ?? DEFAULT_MAX_SERIES;
    if (!Number.isInteger(maxThreads) || maxThreads < 1 || maxThreads > 1024)
      throw new RangeError(`sharedRegistry: maxThreads must be an integer from 1 to 1024, got ${String(maxThreads)}`);
    if (!Number.isInteger(maxSeries) || maxSeries < 1) throw new RangeError(`sharedRegistry: maxSeries must be a positive integer, got ${String(maxSeries)}`);
    const table = ColumnTable.create(maxThreads);
    const column = table.claim();
    table.publish(column);
    return new SharedMetrics(table, column, 'owner', options.registers ?? [globalRegistry()], maxSeries, undefined);
  }

  /** @internal Use attachWorker(). */
  static attach(handle: SharedMetricsHandle, options: AttachWorkerOptions): SharedMetrics {
    if (
      handle === null ||
      typeof handle !== 'object' ||
      handle.kind !== HANDLE_KIND ||
      !(handle.columns instanceof SharedArrayBuffer) ||
      !Array.isArray(handle.metrics)
    ) {
      throw new TypeError('attachWorker: expected the object returned by sharedRegistry().handle() (pass it through workerData or postMessage)');
    }
    const table = new ColumnTable(handle.columns);
    const column = claimWithGrace(table);
    if (column < 0)
      throw new Error(
        `attachWorker: all ${table.columns} thread columns are taken; raise maxThreads of sharedRegistry(), or watch() workers so exited ones free theirs`,
      );
    const shared = new SharedMetrics(table, column, 'worker', options.registers ?? [], 0, handle);
    // A column left by an exited thread must not lend its gauge levels or summary window
    // to the new owner; counts and sums stay, so they keep adding up. Cleared before the
    // column goes live, so no scrape sees a half-cleared column.
    for (const m of handle.metrics) {
      const range = inheritedRange(m.definition);
      if (range !== undefined) SharedStore.attach(m.definition.name, widthOf(m.definition), table.columns, column, m).clearColumn(...range);
    }
    table.publish(column);
    // Frees the column on a normal exit, process.exit() and an uncaught exception; a
    // terminate() runs no JavaScript, which is what watch() on the owning side is for.
    process.once('exit', () => shared.release());
    return shared;
  }

  /** Structured-cloneable: pass it to workers in `workerData` or a message. Carries the metrics declared so far. */
  handle(): SharedMetricsHandle {
    return { kind: HANDLE_KIND, columns: this.table.buffer, metrics: [...this.definitions.values()] };
  }

  counter<const N extends readonly string[] = []>(config: SharedMetricConfiguration<N[number]> & { labelNames?: N }): SharedCounter<N[number], LabelTuple<N>> {
    return this.declare(defineShared('counter', config), (d, s) => new SharedCounter(d, s, this.table)) as unknown as SharedCounter<N[number], LabelTuple<N>>;
  }

  gauge<const N extends readonly string[] = []>(config: SharedGaugeConfiguration<N[number]> & { labelNames?: N }): SharedGauge<N[number], LabelTuple<N>> {
    return this.declare(defineShared('gauge', config), (d, s) => new SharedGauge(d, s, this.table)) as unknown as SharedGauge<N[number], LabelTuple<N>>;
  }

  histogram<const N extends readonly string[] = []>(
    config: SharedHistogramConfiguration<N[number]> & { labelNames?: N },
  ): SharedHistogram<N[number], LabelTuple<N>> {
    return this.declare(defineShared('histogram', config), (d, s) => new SharedHistogram(d, s, this.table)) as unknown as SharedHistogram<
      N[number],
      LabelTuple<N>
    >;
  }

  summary<const N extends readonly string[] = []>(config: SharedSummaryConfiguration<N[number]> & { labelNames?: N }): SharedSummary<N[number], LabelTuple<N>> {
    return this.declare(defineShared('summary', config), (d, s) => new SharedSummary(d, s, this.table)) as unknown as SharedSummary<N[number], LabelTuple<N>>;
  }

  /** The metric declared under this name in this thread, if any. */
  getSingleMetric(name: string): AnyShared | undefined {
    return this.declared.get(name);
  }

  private declare(definition: SharedMetricDefinition, make: (d: SharedMetricDefinition, s: SharedStore) => AnyShared): AnyShared {
    const existing = this.declared.get(definition.name);
    if (existing !== undefined) {
      const why = mismatch(existing.definition, definition);
      if (why !== undefined) throw new Error(`shared metric '${definition.name}' is already declared and ${why}`);
      return existing;
    }
    let store: SharedStore;
    const known = this.definitions.get(definition.name);
    if (known !== undefined) {
      const why = mismatch(known.definition, definition);
      if (why !== undefined) throw new Error(`shared metric '${definition.name}' differs from the registry's declaration: ${why}`);
      store = SharedStore.attach(definition.name, widthOf(definition), this.table.columns, this.column, known);
    } else if (this.role === 'worker') {
      throw new Error(`shared metric '${definition.name}' is not in this handle: declare it with the registry before taking handle() for the worker`);
    } else {
      store = SharedStore.create(definition.name, widthOf(definition), this.table.columns, this.maxSeries);
      this.definitions.set(definition.name, { definition, data: store.buffers.data, log: store.buffers.log });
    }
    const metric = make(definition, store);
    this.declared.set(definition.name, metric);
    // An 'omit' gauge is kept out of the exposition, as prom-client's aggregation omits it.
    if (definition.aggregator !== 'omit') for (const r of this.registers) r.registerMetric(metric as unknown as Collector);
    return metric;
  }

  /**
   * Frees the column of a worker when it exits, however it ends (terminate() included),
   * so a later worker can take it. Call it for each worker you start; a pool's workers
   * can be watched as the pool creates them (see docs/workers.md).
   */
  watch(worker: WatchableWorker): void {
    if (this.watched.has(worker)) return;
    this.watched.add(worker);
    const id = worker.threadId;
    worker.once('exit', () => this.releaseThread(id));
  }

  /**
   * Watches every worker of a pool that exposes its threads and announces new ones
   * (piscina: `threads` and the 'workerCreate' event), so exited pool workers free their columns.
   */
  watchPool(pool: WatchablePool): void {
    const watchAll = (): void => {
      for (const worker of pool.threads) this.watch(worker);
    };
    pool.on('workerCreate', watchAll);
    watchAll();
  }

  /** Frees the column leased by this thread id, and any creation lock it died holding. */
  releaseThread(id: number): void {
    if (id === threadId) return;
    const column = this.table.columnOf(id);
    if (column < 0) return;
    for (const m of this.definitions.values()) SharedStore.attach(m.definition.name, widthOf(m.definition), this.table.columns, column, m).breakLockOf(column);
    this.table.release(column);
  }

  /** Gives this worker's column back (done automatically at exit); its counts stay in the totals. */
  release(): void {
    if (this.released || this.role === 'owner') return;
    this.released = true;
    this.table.release(this.column);
  }

  /** Threads currently attached, this one included. */
  get threadCount(): number {
    return this.table.liveCount();
  }

  get isOwner(): boolean {
    return this.role === 'owner';
  }
}

/**
 * A pool can start a thread's replacement before the owning thread has handled the old
 * thread's 'exit' event, which is when watch() frees its column (seen with piscina sized to
 * maxThreads - 1). So a full table is retried for a short while before attach gives up.
 */
const CLAIM_GRACE_MS = 1_000;
const sleepCell = new Int32Array(new SharedArrayBuffer(4));

function claimWithGrace(table: ColumnTable): number {
  let column = table.claim();
  const deadline = Date.now() + CLAIM_GRACE_MS;
  while (column < 0 && Date.now() < deadline) {
    Atomics.wait(sleepCell, 0, 0, 5);
    column = table.claim();
  }
  return column;
}

/**
 * Creates the shared metrics on the thread that serves `/metrics` (usually the main
 * thread). Its metrics register with `registers` (default: the global registry).
 */
export function sharedRegistry(options: SharedRegistryOptions = {}): SharedMetrics {
  return SharedMetrics.createOwner(options);
}

/** In a worker: takes a thread column of the shared metrics whose `handle()` it was given. */
export function attachWorker(handle: SharedMetricsHandle, options: AttachWorkerOptions = {}): SharedMetrics {
  return SharedMetrics.attach(handle, options);
}
