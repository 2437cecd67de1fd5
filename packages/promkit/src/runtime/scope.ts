import type { CounterChild } from '../core/counter.js';
import type { GaugeChild } from '../core/gauge.js';
import type { HistogramChild } from '../core/histogram.js';
import { labelValueToString, type LabelValue } from '../core/label-values.js';
import type { NativeHistogramConfiguration } from '../core/native-histogram.js';
import type { Registry } from '../core/registry.js';
import type { ExpositionFormat } from '../exposition/content-types.js';
import { encodeProtobuf } from '../exposition/protobuf-encoder.js';
import { exposeToString, type FamilyToEncode } from '../exposition/write-exposition.js';
import type { HealthState } from '../server/health-state.js';
import type { FamilyKind, FamilyRegistry } from './family-registry.js';
import { familyUnderScope } from './family-view.js';
import { runUpdateCallbacks, type ScopedCallback, type UpdateCallback } from './update-callbacks.js';
import { MetricVec, type CounterVec, type GaugeVec, type HistogramVec, type LabelledMetric } from './vec.js';
import { fullMetricName } from './naming.js';

export type ScopeLevel = 'runtime' | 'namespace' | 'component' | 'endpoint';

/** Labels fixed at creation: a record, or `[name, value]` pairs as in the Rust API. */
export type ConstLabels = Readonly<Record<string, LabelValue>> | ReadonlyArray<readonly [string, LabelValue]>;

export interface ExpositionOptions {
  /** Default 'prometheus' (text 0.0.4). */
  format?: ExpositionFormat;
  /**
   * Bound on the whole gather, update callbacks included (the status server passes what
   * the scraper's X-Prometheus-Scrape-Timeout-Seconds leaves). Default: the registry's
   * `collectTimeoutMs`.
   */
  timeoutMs?: number;
}

/**
 * A histogram factory's last argument: classic buckets and the native-histogram settings
 * of the Histogram config (same names). With `nativeHistogramBucketFactor` and no
 * `buckets`, the histogram is native only (classic `+Inf` bucket alone), as the core Histogram.
 */
export interface RuntimeHistogramOptions extends NativeHistogramConfiguration {
  /** Classic bucket upper bounds; default Prometheus' (0.005 … 10) unless native only. */
  buckets?: readonly number[];
}

const HISTOGRAM_OPTION_KEYS = new Set([
  'buckets',
  'nativeHistogramBucketFactor',
  'nativeHistogramZeroThreshold',
  'nativeHistogramMaxBucketNumber',
  'nativeHistogramMaxZeroThreshold',
  'nativeHistogramMinResetDurationMs',
]);

/** Splits buckets-or-options into the buckets and the native settings, naming a bad argument. */
function histogramOptions(
  name: string,
  arg: readonly number[] | RuntimeHistogramOptions | undefined,
): { buckets?: readonly number[]; native?: NativeHistogramConfiguration } {
  if (arg === undefined) return {};
  if (Array.isArray(arg)) return { buckets: arg };
  if (arg === null || typeof arg !== 'object')
    throw new TypeError(
      `histogram '${name}': the last argument must be a buckets array or an options object {buckets?, nativeHistogramBucketFactor?, ...}, got ${String(arg)}`,
    );
  const { buckets, ...native } = arg as RuntimeHistogramOptions;
  for (const key of Object.keys(native)) {
    if (!HISTOGRAM_OPTION_KEYS.has(key)) throw new TypeError(`histogram '${name}': unknown option '${key}' (known: ${[...HISTOGRAM_OPTION_KEYS].join(', ')})`);
  }
  return { buckets, native: Object.keys(native).length === 0 ? undefined : native };
}

/** What every scope of one runtime shares. */
export interface RuntimeContext {
  readonly registry: Registry;
  readonly families: FamilyRegistry;
  readonly prefix: string;
  /** Auto label names for namespace, component, endpoint, in that order. */
  readonly autoLabelNames: readonly string[];
  readonly health: HealthState;
  readonly callbackTimeoutMs: number;
  reportCallbackError(error: unknown, scope: string): void;
}

/**
 * A level of the hierarchy (runtime, namespace, component or endpoint) with the metric
 * factories of Dynamo's MetricsRegistry. Metrics are registered on creation, named
 * `<prefix>_<name>`, and carry one auto label per level down to this one.
 */
export abstract class MetricsScope {
  abstract readonly level: ScopeLevel;
  private readonly children = new Map<string, MetricsScope>();
  private readonly callbacks = new Set<UpdateCallback>();

  protected constructor(
    protected readonly context: RuntimeContext,
    /** Names from the namespace down to this scope; empty for the runtime. */
    readonly names: readonly string[],
  ) {}

  /** `namespace/component/endpoint` as far as this scope goes ('' for the runtime). */
  get path(): string {
    return this.names.join('/');
  }

  /** The auto labels this scope's metrics carry, e.g. `{namespace: 'dynamo', component: 'backend'}`. */
  get autoLabels(): Record<string, string> {
    const labels: Record<string, string> = {};
    this.names.forEach((v, i) => {
      labels[this.context.autoLabelNames[i]] = v;
    });
    return labels;
  }

  protected childScope<T extends MetricsScope>(name: string, make: () => T): T {
    let child = this.children.get(name) as T | undefined;
    if (child === undefined) {
      child = make();
      this.children.set(name, child);
    }
    return child;
  }

  private describe(): string {
    return this.level === 'runtime' ? 'the runtime' : `${this.level} '${this.path}'`;
  }

  private obtain(
    kind: FamilyKind,
    name: string,
    help: string,
    constLabels: ConstLabels | undefined,
    userLabelNames: readonly string[],
    histogram?: readonly number[] | RuntimeHistogramOptions,
  ) {
    const { buckets, native } = histogramOptions(name, histogram);
    const fullName = fullMetricName(this.context.prefix, name);
    return this.context.families.obtain(
      {
        kind,
        name: fullName,
        help,
        autoLabelNames: this.context.autoLabelNames.slice(0, this.names.length),
        constLabels: normaliseConstLabels(fullName, constLabels),
        userLabelNames: normaliseLabelNames(fullName, userLabelNames),
        buckets,
        native,
        where: this.describe(),
      },
      this.names,
    );
  }

  private vec<C, const L extends readonly string[]>(
    kind: FamilyKind,
    name: string,
    help: string,
    labelNames: L,
    constLabels?: ConstLabels,
    histogram?: readonly number[] | RuntimeHistogramOptions,
  ): MetricVec<C, L> {
    const { family, boundValues } = this.obtain(kind, name, help, constLabels, labelNames, histogram);
    return new MetricVec<C, L>(family.metric as unknown as LabelledMetric<C>, boundValues, Object.freeze([...labelNames]) as unknown as L);
  }

  createCounter(name: string, help: string, constLabels?: ConstLabels): CounterChild {
    return this.vec<CounterChild, []>('counter', name, help, [], constLabels).withLabelValues();
  }

  createGauge(name: string, help: string, constLabels?: ConstLabels): GaugeChild {
    return this.vec<GaugeChild, []>('gauge', name, help, [], constLabels).withLabelValues();
  }

  /**
   * Buckets default to prometheus' (0.005 … 10). The last argument is the buckets, or
   * options with `buckets` and the native-histogram settings (`nativeHistogramBucketFactor`, ...).
   */
  createHistogram(name: string, help: string, constLabels?: ConstLabels, buckets?: readonly number[] | RuntimeHistogramOptions): HistogramChild {
    return this.vec<HistogramChild, []>('histogram', name, help, [], constLabels, buckets).withLabelValues();
  }

  createCounterVec<const L extends readonly string[]>(name: string, help: string, labelNames: L, constLabels?: ConstLabels): CounterVec<L> {
    return this.vec<CounterChild, L>('counter', name, help, labelNames, constLabels);
  }

  createGaugeVec<const L extends readonly string[]>(name: string, help: string, labelNames: L, constLabels?: ConstLabels): GaugeVec<L> {
    return this.vec<GaugeChild, L>('gauge', name, help, labelNames, constLabels);
  }

  createHistogramVec<const L extends readonly string[]>(
    name: string,
    help: string,
    labelNames: L,
    constLabels?: ConstLabels,
    buckets?: readonly number[] | RuntimeHistogramOptions,
  ): HistogramVec<L> {
    return this.vec<HistogramChild, L>('histogram', name, help, labelNames, constLabels, buckets);
  }

  /** Runs `callback` before each scrape of this scope or an ancestor; returns a function that removes it. */
  addUpdateCallback(callback: UpdateCallback): () => void {
    if (typeof callback !== 'function') throw new TypeError(`addUpdateCallback on ${this.describe()}: callback must be a function`);
    this.callbacks.add(callback);
    return () => void this.callbacks.delete(callback);
  }

  /** Runs the update callbacks of this scope and every scope below it, each bounded by `timeoutMs` at most. */
  protected runUpdateCallbacks(timeoutMs = Infinity): Promise<void> {
    const entries: ScopedCallback[] = [];
    const visit = (scope: MetricsScope): void => {
      for (const callback of scope.callbacks) entries.push({ callback, scope: scope.path });
      for (const child of scope.children.values()) visit(child);
    };
    visit(this);
    if (entries.length === 0) return Promise.resolve();
    return runUpdateCallbacks(entries, Math.min(this.context.callbackTimeoutMs, timeoutMs), (error, scope) => this.context.reportCallbackError(error, scope));
  }

  /** This scope's families, restricted to its series and its descendants'. */
  private familiesUnderScope(): FamilyToEncode[] {
    const families: FamilyToEncode[] = [];
    for (const family of this.context.families) {
      const view = familyUnderScope(family, this.names);
      if (view !== undefined) families.push({ family: view, extraLabelText: '' });
    }
    return families;
  }

  /** The exposition of this scope and its descendants only (text 0.0.4 unless `format` says otherwise). */
  async prometheusMetricsFmt(options: ExpositionOptions = {}): Promise<string> {
    await this.runUpdateCallbacks(options.timeoutMs);
    return exposeToString(this.familiesUnderScope(), options.format ?? 'prometheus');
  }

  /**
   * The same exposition in the protobuf format (delimited MetricFamily messages), the one
   * that carries native histograms; what the status server sends a scraper that asks for it.
   */
  async metricsProtobuf(options: { timeoutMs?: number } = {}): Promise<Uint8Array> {
    await this.runUpdateCallbacks(options.timeoutMs);
    return encodeProtobuf(this.familiesUnderScope());
  }

  /** Same as prometheusMetricsFmt: lets a scope be served by metricsHandler/startMetricsServer. */
  metrics(options: ExpositionOptions = {}): Promise<string> {
    return this.prometheusMetricsFmt(options);
  }
}

function normaliseConstLabels(metricName: string, constLabels: ConstLabels | undefined): Record<string, string> {
  if (constLabels === undefined) return {};
  if (constLabels === null || typeof constLabels !== 'object') {
    throw new TypeError(`metric '${metricName}': const labels must be a record {name: value} or [name, value] pairs`);
  }
  const entries = Array.isArray(constLabels) ? (constLabels as ReadonlyArray<readonly [string, LabelValue]>) : Object.entries(constLabels);
  const out: Record<string, string> = {};
  for (const entry of entries) {
    if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string') {
      throw new TypeError(`metric '${metricName}': const label pairs must be [name, value], got ${JSON.stringify(entry)}`);
    }
    const [name, value] = entry;
    if (name in out) throw new TypeError(`metric '${metricName}': const label '${name}' is given twice`);
    out[name] = labelValueToString(metricName, name, value);
  }
  return out;
}

function normaliseLabelNames(metricName: string, labelNames: readonly string[]): string[] {
  if (!Array.isArray(labelNames)) throw new TypeError(`metric '${metricName}': label names must be an array of strings`);
  const seen = new Set<string>();
  for (const n of labelNames) {
    if (typeof n !== 'string') throw new TypeError(`metric '${metricName}': label names must be strings, got ${typeof n}`);
    if (seen.has(n)) throw new TypeError(`metric '${metricName}': label '${n}' is declared twice`);
    seen.add(n);
  }
  return [...labelNames];
}
