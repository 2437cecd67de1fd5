import { formatOfContentType, OPENMETRICS_CONTENT_TYPE, PROMETHEUS_CONTENT_TYPE, type ExpositionFormat } from '../exposition/content-types.js';
import { getLogger } from '../integration/logger.js';
import type { ChunkSink, ChunkTarget } from '../exposition/chunk-writer.js';
import { parseLabelPairs, renderLabelRecord } from '../exposition/escape.js';
import type { MetricFamily, MetricType, ScalarFamily } from '../exposition/model.js';
import { encodeProtobuf } from '../exposition/protobuf-encoder.js';
import { ScratchBuffer, TextCollector } from '../exposition/text-collector.js';
import { exposeToString, writeExposition, type FamilyToEncode, type WriteOptions } from '../exposition/write-exposition.js';
import type { Aggregator, MetricObjectWithValues } from './metric.js';
import { familyFromJson } from './json-family.js';
import { labelValueToString } from './label-values.js';
import { DEFAULT_COLLECT_TIMEOUT_MS, withCollectTimeout } from './collect-guard.js';
import { SERIES_LIMITED_METRIC } from './series-limit.js';
import { NameClaims } from './name-claims.js';
import { assertLabelNames } from './validation.js';

/** Anything a registry can hold: the engine's metrics, or custom collectors of the same shape. */
export interface Collector {
  readonly name: string;
  readonly help: string;
  readonly type: MetricType;
  readonly labelNames: readonly string[];
  /** Runs scrape-time callbacks and returns the family to encode. */
  gatherFamily(): Promise<MetricFamily> | MetricFamily;
  get(): Promise<MetricObjectWithValues>;
  reset(): void;
  /** Label sets its series limit folded or refused (see series-limit.ts). */
  readonly seriesLimitHits?: number;
}

/**
 * prom-client's plain form of a custom collector: `registry.registerMetric({ name, help,
 * type, get() })`, where `get()` returns what a metric's `get()` returns. Encoded from
 * the returned values at every scrape.
 */
export interface CustomCollector {
  readonly name: string;
  readonly help?: string;
  readonly type?: MetricType | string;
  readonly labelNames?: readonly string[];
  readonly aggregator?: Aggregator;
  get(): CustomMetricJson | Promise<CustomMetricJson>;
  reset?(): void;
}

/** What a custom collector's `get()` returns: a metric's `get()` shape, loosely typed as users write it. */
export interface CustomMetricJson {
  name: string;
  help?: string;
  type?: string;
  aggregator?: string;
  values: Array<{ value: number; labels: Partial<Record<string, string | number>>; metricName?: string; exemplar?: unknown }>;
}

/** Whatever a registry holds. */
export type RegisteredMetric = Collector | CustomCollector;

function isEngineCollector(c: RegisteredMetric): c is Collector {
  return typeof (c as Collector).gatherFamily === 'function';
}

/** The content types a registry takes, spelled exactly as prom-client's constants. */
export type PrometheusContentType = typeof PROMETHEUS_CONTENT_TYPE;
export type OpenMetricsContentType = typeof OPENMETRICS_CONTENT_TYPE;
export type RegistryContentType = PrometheusContentType | OpenMetricsContentType;

function assertRegistryContentType(contentType: unknown): asserts contentType is RegistryContentType {
  if (contentType !== PROMETHEUS_CONTENT_TYPE && contentType !== OPENMETRICS_CONTENT_TYPE) {
    throw new TypeError(`unsupported content type '${String(contentType)}': use '${PROMETHEUS_CONTENT_TYPE}' or '${OPENMETRICS_CONTENT_TYPE}'`);
  }
}

export type CollectErrorHandler = (error: unknown, metricName: string) => void;

export interface ScrapeOptions extends WriteOptions {
  /** Overrides the registry's content type for this call. */
  format?: ExpositionFormat;
  /**
   * Bound on the gather of this call (e.g. what is left of the scraper's deadline): collect
   * callbacks still running then are left out. Only shortens `collectTimeoutMs`.
   */
  timeoutMs?: number;
}

/** Name of the family that counts failed collect callbacks; present once one has failed. */
export const COLLECT_ERRORS_METRIC = 'promkit_collect_errors_total';

/** Names promkit exposes itself, so no user metric may claim them. */
const RESERVED_NAMES: ReadonlyMap<string, string> = new Map(
  [COLLECT_ERRORS_METRIC, COLLECT_ERRORS_METRIC.slice(0, -6), `${COLLECT_ERRORS_METRIC.slice(0, -6)}_created`].map((n) => [
    n,
    `promkit's own counter of failed collect callbacks (${COLLECT_ERRORS_METRIC})`,
  ]),
);

const defaultCollectErrorHandler: CollectErrorHandler = (error, metricName) => {
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  getLogger('promkit::core').error(`collect() of metric '${metricName}' failed; the metric is left out of this scrape: ${detail}`);
};

/**
 * Holds metrics and writes their exposition. API compatible with prom-client's Registry;
 * additionally streams large scrapes in chunks and shares one gather between concurrent
 * scrapes.
 */
export class Registry<T extends RegistryContentType = RegistryContentType> {
  static readonly PROMETHEUS_CONTENT_TYPE: PrometheusContentType = PROMETHEUS_CONTENT_TYPE;
  static readonly OPENMETRICS_CONTENT_TYPE: OpenMetricsContentType = OPENMETRICS_CONTENT_TYPE;

  private readonly collectors = new Map<string, RegisteredMetric>();
  private readonly claims = new NameClaims<RegisteredMetric>(RESERVED_NAMES);
  private defaultLabels: Record<string, string> = {};
  private defaultLabelNames: string[] = [];
  private contentTypeValue: T;
  private readonly inflight = new Map<string, Promise<string>>();
  /** Size of the last exposition per format (text keys as `metrics()`'s, and 'protobuf'), to size the next one's buffer. */
  private readonly lastScrapeBytes = new Map<string, number>();
  /** The last `metrics()` buffer, for the next one to reuse (see ScratchBuffer). */
  private readonly scratch = new ScratchBuffer();
  private readonly collectErrorCounts = new Map<string, number>();
  private collectErrorHandler: CollectErrorHandler = defaultCollectErrorHandler;
  /** A collect callback slower than this is abandoned for the scrape (and counted as failed). */
  collectTimeoutMs = DEFAULT_COLLECT_TIMEOUT_MS;
  private readonly createdAt = Math.floor(Date.now() / 1000);

  constructor(contentType: T = PROMETHEUS_CONTENT_TYPE as T) {
    assertRegistryContentType(contentType);
    this.contentTypeValue = contentType;
  }

  get contentType(): T {
    return this.contentTypeValue;
  }

  /**
   * Takes either content type whatever `T` says: the global `register` is typed text 0.0.4
   * (as in prom-client's typings), and switching it to OpenMetrics is legitimate.
   */
  setContentType(contentType: RegistryContentType): void {
    assertRegistryContentType(contentType);
    this.contentTypeValue = contentType as T;
    if (this === (theGlobalRegistry as unknown)) globalContentType = contentType;
  }

  registerMetric(metric: RegisteredMetric): void {
    if (metric === null || typeof metric !== 'object' || typeof metric.name !== 'string' || typeof metric.get !== 'function') {
      throw new TypeError('registerMetric: expected a metric or a collector object with a name and a get() method');
    }
    const existing = this.collectors.get(metric.name);
    if (existing === metric) return;
    if (existing !== undefined) {
      const labelsOf = (m: RegisteredMetric) => (Array.isArray(m.labelNames) ? m.labelNames : []).join(', ');
      const sameShape = existing.type === metric.type && labelsOf(existing) === labelsOf(metric);
      const detail = sameShape
        ? 'reuse the registered one (registry.getSingleMetric(name)) instead of creating it again'
        : `it is a ${existing.type ?? 'collector'} with labels [${labelsOf(existing)}], the new one a ${metric.type ?? 'collector'} with labels [${labelsOf(metric)}]`;
      throw new Error(`A metric with the name ${metric.name} has already been registered: ${detail}`);
    }
    const clash = this.claims.conflict(metric);
    if (clash !== undefined) {
      const what = `${metric.type ?? 'collector'} '${metric.name}'`;
      if (clash.owner === undefined) throw new Error(`cannot register ${what}: the name '${clash.name}' is ${clash.reservedFor}`);
      throw new Error(
        `cannot register ${what}: it would expose '${clash.name}', which ${clash.owner.type ?? 'collector'} '${clash.owner.name}' already exposes; ` +
          'Prometheus rejects a scrape with duplicate series, so rename one of them',
      );
    }
    this.collectors.set(metric.name, metric);
    this.claims.claim(metric);
  }

  getSingleMetric(name: string): RegisteredMetric | undefined {
    return this.collectors.get(name);
  }

  removeSingleMetric(name: string): void {
    const metric = this.collectors.get(name);
    if (metric === undefined) return;
    this.collectors.delete(name);
    this.claims.release(metric);
  }

  clear(): void {
    this.collectors.clear();
    this.claims.clear();
    this.collectErrorCounts.clear();
    this.defaultLabels = {};
    this.defaultLabelNames = [];
  }

  resetMetrics(): void {
    for (const c of this.collectors.values()) if (typeof c.reset === 'function') c.reset();
  }

  getMetricsAsArray(): RegisteredMetric[] {
    return [...this.collectors.values()];
  }

  /** Labels added to every series at scrape time (a metric's own label of the same name wins). */
  setDefaultLabels(labels: Record<string, string | number>): void {
    // le and quantile would duplicate the labels histograms and summaries generate.
    assertLabelNames('default labels', Object.keys(labels), ['le', 'quantile']);
    const copy: Record<string, string> = {};
    for (const [k, v] of Object.entries(labels)) copy[k] = labelValueToString('default labels', k, v);
    this.defaultLabels = copy;
    this.defaultLabelNames = Object.keys(copy);
  }

  /** Where collect failures are reported; the default writes one line to stderr. */
  setCollectErrorHandler(handler: CollectErrorHandler): void {
    this.collectErrorHandler = handler;
  }

  /** Failed collect callbacks so far, by metric name. */
  collectErrors(): ReadonlyMap<string, number> {
    return this.collectErrorCounts;
  }

  private extraLabelTextFor(labelNames: readonly string[]): string {
    if (this.defaultLabelNames.length === 0) return '';
    const extra: Record<string, string> = {};
    for (const n of this.defaultLabelNames) if (!labelNames.includes(n)) extra[n] = this.defaultLabels[n];
    return renderLabelRecord(extra);
  }

  /** The family to encode; custom collectors' `get()` results get the default labels folded in. */
  private familyOf(c: RegisteredMetric): Promise<MetricFamily> | MetricFamily {
    if (isEngineCollector(c)) return c.gatherFamily();
    const json = c.get();
    return json instanceof Promise ? json.then((j) => familyFromJson(j, this.defaultLabels)) : familyFromJson(json, this.defaultLabels);
  }

  private extraLabelTextOf(c: RegisteredMetric): string {
    return isEngineCollector(c) ? this.extraLabelTextFor(c.labelNames) : '';
  }

  private async gatherOne(c: RegisteredMetric, timeoutMs: number): Promise<MetricFamily | undefined> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const result = this.familyOf(c);
      if (!(result instanceof Promise)) return result;
      const timeout = new Promise<never>((_, reject) => {
        // Not unref()'d: a script awaiting metrics() must see the timeout, not exit early.
        timer = setTimeout(() => reject(new Error(`collect() did not finish within ${timeoutMs} ms`)), timeoutMs);
      });
      return await Promise.race([result, timeout]);
    } catch (error) {
      this.collectErrorCounts.set(c.name, (this.collectErrorCounts.get(c.name) ?? 0) + 1);
      try {
        this.collectErrorHandler(error, c.name);
      } catch {
        // A broken error handler must not break the scrape either.
      }
      return undefined;
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  /** Runs every collect callback concurrently; a failing one is reported and left out. */
  async gather(options: { timeoutMs?: number } = {}): Promise<FamilyToEncode[]> {
    const given = options.timeoutMs;
    if (given !== undefined && !(given >= 0)) throw new TypeError(`registry: timeoutMs must be a number of milliseconds >= 0, got ${String(given)}`);
    const timeoutMs = Math.min(this.collectTimeoutMs, given ?? Infinity);
    const collectors = [...this.collectors.values()];
    const families = await Promise.all(collectors.map((c) => this.gatherOne(c, timeoutMs)));
    const out: FamilyToEncode[] = [];
    families.forEach((family, i) => {
      if (family !== undefined) out.push({ family, extraLabelText: this.extraLabelTextOf(collectors[i]) });
    });
    if (this.collectErrorCounts.size > 0) out.push({ family: this.collectErrorsFamily(), extraLabelText: this.extraLabelTextFor(['metric']) });
    const limited = this.seriesLimitedFamily(collectors);
    if (limited !== undefined) out.push({ family: limited, extraLabelText: this.extraLabelTextFor(['metric']) });
    return out;
  }

  /** promkit_series_limited_total{metric}, once some metric's series limit has turned a label set away. */
  private seriesLimitedFamily(collectors: readonly RegisteredMetric[]): ScalarFamily | undefined {
    const created = this.createdAt;
    const series = collectors
      .filter(isEngineCollector)
      .filter((c) => (c.seriesLimitHits ?? 0) > 0)
      .map((c) => ({ labelText: renderLabelRecord({ metric: c.name }), value: c.seriesLimitHits!, created }));
    if (series.length === 0) return undefined;
    return {
      type: 'counter',
      name: SERIES_LIMITED_METRIC,
      help: 'New label sets folded into the overflow series or refused because the metric reached its maxSeries, by metric.',
      series,
    };
  }

  private collectErrorsFamily(): ScalarFamily {
    const created = this.createdAt;
    const series = [...this.collectErrorCounts].map(([metric, value]) => ({ labelText: renderLabelRecord({ metric }), value, created }));
    return {
      type: 'counter',
      name: COLLECT_ERRORS_METRIC,
      help: 'Collect callbacks that threw, rejected or timed out, by metric; the metric was left out of that scrape.',
      series,
    };
  }

  private collectErrorsJson(): MetricObjectWithValues {
    const family = this.collectErrorsFamily();
    const values = [...this.collectErrorCounts].map(([metric, value]) => ({ value, labels: { metric } }));
    return { name: family.name, help: family.help, type: 'counter', aggregator: 'sum', values };
  }

  private formatOf(options: ScrapeOptions): ExpositionFormat {
    return options.format ?? formatOfContentType(this.contentTypeValue);
  }

  /** Streams the exposition into `sink` in chunks, yielding to the event loop between them. */
  async writeMetrics(sink: ChunkSink | ChunkTarget, options: ScrapeOptions = {}): Promise<void> {
    await writeExposition(await this.gather(options), this.formatOf(options), sink, options);
  }

  /**
   * The exposition as a string, in the registry's content type unless `format` says
   * otherwise. Concurrent calls with the same options share one gather and encode (a call
   * joining a running gather accepts its deadline).
   */
  metrics(options: ScrapeOptions = {}): Promise<string> {
    const format = this.formatOf(options);
    const key = `${format}|${options.created === true}|${options.exemplars !== false}`;
    const running = this.inflight.get(key);
    if (running) return running;
    // Taken, not shared: a concurrent metrics() of another format gets a buffer of its own.
    const collector = new TextCollector(this.lastScrapeBytes.get(key), this.scratch.take());
    const promise = this.writeMetrics(collector, { ...options, format })
      .then(() => {
        this.lastScrapeBytes.set(key, collector.byteLength);
        const text = collector.text();
        this.scratch.give(collector.reusableBuffer);
        return text;
      })
      .finally(() => this.inflight.delete(key));
    this.inflight.set(key, promise);
    return promise;
  }

  /** The exposition as delimited protobuf MetricFamily messages (what Prometheus asks for with native histograms). */
  async metricsProtobuf(options: { timeoutMs?: number } = {}): Promise<Uint8Array> {
    const bytes = await encodeProtobuf(await this.gather(options), { expectedBytes: this.lastScrapeBytes.get('protobuf') });
    this.lastScrapeBytes.set('protobuf', bytes.length);
    return bytes;
  }

  /**
   * Runs `work` for collector `c` within `collectTimeoutMs`. A failure (throw, reject,
   * timeout) is counted and reported as in a scrape, then rethrown.
   */
  private async guarded<R>(c: RegisteredMetric, work: () => R | PromiseLike<R>): Promise<R> {
    try {
      return await withCollectTimeout(c.name, work, this.collectTimeoutMs);
    } catch (error) {
      this.collectErrorCounts.set(c.name, (this.collectErrorCounts.get(c.name) ?? 0) + 1);
      try {
        this.collectErrorHandler(error, c.name);
      } catch {
        // A broken error handler must not change what the caller sees.
      }
      throw error;
    }
  }

  /**
   * One metric's exposition. Its collect callback is bounded by `collectTimeoutMs`; when
   * it fails the call rejects (the caller asked for this metric alone), after the
   * failure is counted and reported like in a scrape.
   */
  async getSingleMetricAsString(name: string, options: ScrapeOptions = {}): Promise<string> {
    const c = this.collectors.get(name);
    if (c === undefined) throw new Error(`no metric named '${name}' is registered`);
    const family = await this.guarded(c, () => this.familyOf(c));
    return exposeToString([{ family, extraLabelText: this.extraLabelTextOf(c) }], this.formatOf(options), options);
  }

  /**
   * prom-client's JSON view. As in a scrape, a metric whose collect (or `get()`) throws,
   * rejects or outlives `collectTimeoutMs` is reported and left out, and
   * promkit_collect_errors_total is included once any collect has failed.
   */
  async getMetricsAsJSON(): Promise<MetricObjectWithValues[]> {
    const settled = await Promise.all(
      [...this.collectors.values()].map((c) =>
        this.guarded(c, () => c.get()).then(
          (metric) => metric,
          () => undefined,
        ),
      ),
    );
    const all = settled.filter((m): m is MetricObjectWithValues => m !== undefined);
    if (this.collectErrorCounts.size > 0) all.push(this.collectErrorsJson());
    const limited = this.seriesLimitedFamily([...this.collectors.values()]);
    if (limited !== undefined) {
      const values = [...limited.series].map((s) => ({ value: s.value, labels: { metric: parseLabelPairs(s.labelText)[0] } }));
      all.push({ name: limited.name, help: limited.help, type: 'counter', aggregator: 'sum', values });
    }
    if (this.defaultLabelNames.length === 0) return all;
    for (const metric of all) {
      for (const v of metric.values) v.labels = { ...this.defaultLabels, ...v.labels };
    }
    return all;
  }

  /** A new registry holding every metric of the given ones; a name in two of them is an error. */
  static merge<T extends RegistryContentType = RegistryContentType>(registries: Array<Registry<T>>): Registry<T> {
    const types = new Set(registries.map((r) => formatOfContentType(r.contentType)));
    if (types.size > 1) throw new Error('Registry.merge: registries must all have the same content type');
    const merged = new Registry<T>(registries[0]?.contentType ?? (PROMETHEUS_CONTENT_TYPE as T));
    for (const r of registries) for (const c of r.collectors.values()) merged.registerMetric(c);
    return merged;
  }
}

let theGlobalRegistry: Registry | undefined;

/** The global registry's content type, kept current for the root `contentType` export. */
export let globalContentType: RegistryContentType = PROMETHEUS_CONTENT_TYPE;

/** The default registry metrics join when no `registers` option is given. */
export function globalRegistry(): Registry {
  theGlobalRegistry ??= new Registry();
  return theGlobalRegistry;
}
