import { formatOfContentType, OPENMETRICS_CONTENT_TYPE, PROMETHEUS_CONTENT_TYPE, type ExpositionFormat } from '../exposition/content-types.js';
import type { ChunkSink } from '../exposition/chunk-writer.js';
import { renderLabelRecord } from '../exposition/escape.js';
import type { MetricFamily, MetricType, ScalarFamily } from '../exposition/model.js';
import { exposeToString, writeExposition, type FamilyToEncode, type WriteOptions } from '../exposition/write-exposition.js';
import type { MetricObjectWithValues } from './metric.js';
import { labelValueToString } from './label-values.js';
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

const defaultCollectErrorHandler: CollectErrorHandler = (error, metricName) => {
  const detail = error instanceof Error ? error.stack ?? error.message : String(error);
  console.error(`promkit: collect() of metric '${metricName}' failed; the metric is left out of this scrape: ${detail}`);
};

/**
 * Holds metrics and writes their exposition. API compatible with prom-client's Registry;
 * additionally streams large scrapes in chunks and shares one gather between concurrent
 * scrapes.
 */
export class Registry {
  static readonly PROMETHEUS_CONTENT_TYPE = PROMETHEUS_CONTENT_TYPE;
  static readonly OPENMETRICS_CONTENT_TYPE = OPENMETRICS_CONTENT_TYPE;

  private readonly collectors = new Map<string, Collector>();
  private defaultLabels: Record<string, string> = {};
  private defaultLabelNames: string[] = [];
  private contentTypeValue: string;
  private readonly inflight = new Map<string, Promise<string>>();
  private readonly collectErrorCounts = new Map<string, number>();
  private collectErrorHandler: CollectErrorHandler = defaultCollectErrorHandler;
  /**
   * A collect callback slower than this is abandoned for the scrape (and counted as failed).
   * Well under Prometheus' default 10 s scrape_timeout, so the healthy rest still arrives.
   */
  collectTimeoutMs = 5_000;
  private readonly createdAt = Math.floor(Date.now() / 1000);

  constructor(contentType: string = PROMETHEUS_CONTENT_TYPE) {
    formatOfContentType(contentType);
    this.contentTypeValue = contentType;
  }

  get contentType(): string {
    return this.contentTypeValue;
  }

  setContentType(contentType: string): void {
    formatOfContentType(contentType);
    this.contentTypeValue = contentType;
  }

  registerMetric(metric: Collector): void {
    const existing = this.collectors.get(metric.name);
    if (existing === metric) return;
    if (existing !== undefined) {
      const sameShape = existing.type === metric.type && existing.labelNames.join(',') === metric.labelNames.join(',');
      const detail = sameShape
        ? 'reuse the registered one (registry.getSingleMetric(name)) instead of creating it again'
        : `it is a ${existing.type} with labels [${existing.labelNames.join(', ')}], the new one a ${metric.type} with labels [${metric.labelNames.join(', ')}]`;
      throw new Error(`A metric with the name ${metric.name} has already been registered: ${detail}`);
    }
    this.collectors.set(metric.name, metric);
  }

  getSingleMetric(name: string): Collector | undefined {
    return this.collectors.get(name);
  }

  removeSingleMetric(name: string): void {
    this.collectors.delete(name);
  }

  clear(): void {
    this.collectors.clear();
    this.collectErrorCounts.clear();
    this.defaultLabels = {};
    this.defaultLabelNames = [];
  }

  resetMetrics(): void {
    for (const c of this.collectors.values()) c.reset();
  }

  getMetricsAsArray(): Collector[] {
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

  private async gatherOne(c: Collector, timeoutMs: number): Promise<MetricFamily | undefined> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const result = c.gatherFamily();
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
      if (family !== undefined) out.push({ family, extraLabelText: this.extraLabelTextFor(collectors[i].labelNames) });
    });
    if (this.collectErrorCounts.size > 0) out.push({ family: this.collectErrorsFamily(), extraLabelText: this.extraLabelTextFor(['metric']) });
    return out;
  }

  private collectErrorsFamily(): ScalarFamily {
    const created = this.createdAt;
    const series = [...this.collectErrorCounts].map(([metric, value]) => ({ labelText: renderLabelRecord({ metric }), value, created }));
    return { type: 'counter', name: COLLECT_ERRORS_METRIC, help: 'Collect callbacks that threw, rejected or timed out, by metric; the metric was left out of that scrape.', series };
  }

  private formatOf(options: ScrapeOptions): ExpositionFormat {
    return options.format ?? formatOfContentType(this.contentTypeValue);
  }

  /** Streams the exposition into `sink` in chunks, yielding to the event loop between them. */
  async writeMetrics(sink: ChunkSink, options: ScrapeOptions = {}): Promise<void> {
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
    const parts: string[] = [];
    const promise = this.writeMetrics((chunk) => void parts.push(chunk), { ...options, format })
      .then(() => parts.join(''))
      .finally(() => this.inflight.delete(key));
    this.inflight.set(key, promise);
    return promise;
  }

  async getSingleMetricAsString(name: string, options: ScrapeOptions = {}): Promise<string> {
    const c = this.collectors.get(name);
    if (c === undefined) throw new Error(`no metric named '${name}' is registered`);
    const family = await c.gatherFamily();
    return exposeToString([{ family, extraLabelText: this.extraLabelTextFor(c.labelNames) }], this.formatOf(options), options);
  }

  async getMetricsAsJSON(): Promise<MetricObjectWithValues[]> {
    const all = await Promise.all([...this.collectors.values()].map((c) => c.get()));
    if (this.defaultLabelNames.length === 0) return all;
    for (const metric of all) {
      for (const v of metric.values) v.labels = { ...this.defaultLabels, ...v.labels };
    }
    return all;
  }

  /** A new registry holding every metric of the given ones; a name in two of them is an error. */
  static merge(registries: Registry[]): Registry {
    const types = new Set(registries.map((r) => formatOfContentType(r.contentType)));
    if (types.size > 1) throw new Error('Registry.merge: registries must all have the same content type');
    const merged = new Registry(registries[0]?.contentType ?? PROMETHEUS_CONTENT_TYPE);
    for (const r of registries) for (const c of r.collectors.values()) merged.registerMetric(c);
    return merged;
  }
}

let theGlobalRegistry: Registry | undefined;

/** The default registry metrics join when no `registers` option is given. */
export function globalRegistry(): Registry {
  theGlobalRegistry ??= new Registry();
  return theGlobalRegistry;
}
