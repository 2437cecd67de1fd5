import type { Exemplar, MetricFamily, MetricType } from '../exposition/model.js';
import { PROMETHEUS_CONTENT_TYPE } from '../exposition/content-types.js';
import { getLogger } from '../integration/logger.js';
import { escapeLabelValue, parseLabelRecord, renderLabelRecord } from '../exposition/escape.js';
import { labelValueToString, type LabelValue, type LabelValues } from './label-values.js';
import { SeriesIndex } from './series-index.js';
import { labelTextHead } from './label-text-parts.js';
import { DEFAULT_COLLECT_TIMEOUT_MS, withCollectTimeout } from './collect-guard.js';
import { seriesLimitOf, SeriesLimitError, seriesLimitWarning, SERIES_OVERFLOW_VALUE, type SeriesLimit, type SeriesLimitOptions } from './series-limit.js';
import { startTimerFor } from './timer.js';
import { assertHelp, assertLabelNames, assertMetricName } from './validation.js';
import { globalRegistry, type Registry } from './registry.js';

export type Aggregator = 'omit' | 'sum' | 'first' | 'min' | 'max' | 'average';

/** What `collect` callbacks receive as `this`, and may return a promise from. */
export type CollectFunction<M> = (this: M) => void | Promise<void>;

/**
 * `M` is what `this` is inside `collect`: each metric's configuration names its own class
 * (as prom-client's typings do). The default, never, accepts a collect of any metric.
 */
export interface MetricConfiguration<T extends string, M = never> extends SeriesLimitOptions {
  name: string;
  help: string;
  labelNames?: readonly T[];
  /** Registries to register with; defaults to the global `register`. Pass `[]` for none. */
  registers?: Registry[];
  aggregator?: Aggregator;
  /** Called before each scrape (and `get()`); may be async. Failures are isolated. */
  collect?: CollectFunction<M>;
  /**
   * prom-client's switch: `inc`/`observe` then take `{ labels, value, exemplarLabels }`.
   * As in prom-client, it throws for a registry whose content type is text 0.0.4.
   */
  enableExemplars?: boolean;
  /**
   * promkit: with `enableExemplars`, also accept text 0.0.4 registries. A promkit registry
   * can still be scraped as OpenMetrics (`metrics({ format: 'openmetrics' })`, or
   * negotiated by the status server), and those scrapes carry the exemplars.
   */
  exemplarsOnTextRegistry?: boolean;
  /** OpenMetrics unit (e.g. 'seconds'); the name must end with `_<unit>` (before `_total`). */
  unit?: string;
  /**
   * promkit: a labelled series not written for this many seconds is removed, checked
   * when the metric is collected (scrape, `get()`). Off by default.
   */
  seriesTtlSeconds?: number;
}

/** One entry of `get().values`, as prom-client returns it. */
export interface MetricValue<T extends string = string> {
  value: number;
  labels: LabelValues<T> & Record<string, LabelValue>;
  metricName?: string;
  exemplar?: { labelSet: Record<string, string>; value: number; timestamp: number } | null;
}

export interface MetricObjectWithValues<T extends string = string> {
  name: string;
  help: string;
  type: MetricType;
  aggregator: Aggregator;
  values: Array<MetricValue<T>>;
}

/** State every series carries: its pre-rendered label text and creation time. */
export interface SeriesBase {
  readonly labelText: string;
  readonly created: number;
  /** The owner's `seriesEpoch` at the last write (or creation). */
  readonly touched: number;
  /** Called when the series leaves its metric (remove, reset): frees storage; later writes reattach. */
  detach(): void;
  /** Gives a detached series fresh storage when it is put back (see Metric.reattach). */
  revive(): void;
}

/**
 * The labels as the caller first passed them, by series, kept only when they differ
 * from the stored strings (numbers, or labels left out), so `get()` returns what
 * prom-client does. A side table rather than a field: nearly every series has none, and
 * a field costs 8 bytes in each of them. Weak, so it never outlives its series.
 */
const passedLabelsOf = new WeakMap<SeriesBase, Record<string, LabelValue>>();

const EXEMPLAR_MAX_RUNES = 128;

/**
 * prom-client's rule: exemplars exist only in OpenMetrics, so `enableExemplars` on a
 * registry written as text 0.0.4 is a mistake and throws.
 */
function assertExemplarsFit(metricName: string, registry: Registry): void {
  if (registry.contentType !== PROMETHEUS_CONTENT_TYPE) return;
  throw new TypeError(
    `metric '${metricName}': enableExemplars needs an OpenMetrics registry, and this registry's content type is text 0.0.4 (which has no exemplars). ` +
      `Use new Registry(Registry.OPENMETRICS_CONTENT_TYPE), or promkit's exemplarsOnTextRegistry: true to keep them for the registry's OpenMetrics scrapes`,
  );
}

/** prom-client's JSON shape of an exemplar. */
export function exemplarToJson(e: RecordedExemplar): { labelSet: Record<string, string>; value: number; timestamp: number } {
  return { labelSet: { ...e.labels }, value: e.value, timestamp: e.timestamp };
}

export function nowSeconds(): number {
  return Date.now() / 1000;
}

/** Whole seconds: a small integer stays unboxed in an object field (a double would cost a heap number per series). */
export function nowWholeSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** Builds an exemplar; OpenMetrics caps its label set at 128 UTF-8 characters. */
export interface RecordedExemplar extends Exemplar {
  readonly labels: Readonly<Record<string, string>>;
}

export function makeExemplar(metricName: string, labels: Readonly<Record<string, LabelValue>>, value: number): RecordedExemplar {
  // An invalid exemplar would make Prometheus reject the whole OpenMetrics scrape.
  assertLabelNames(metricName, Object.keys(labels));
  let runes = 0;
  for (const k in labels) runes += [...k].length + [...String(labels[k])].length;
  if (runes > EXEMPLAR_MAX_RUNES) {
    throw new TypeError(`metric '${metricName}': exemplar labels are ${runes} characters long; OpenMetrics allows at most ${EXEMPLAR_MAX_RUNES}`);
  }
  const copy: Record<string, string> = {};
  for (const k in labels) copy[k] = labelValueToString(metricName, k, labels[k]);
  return { labelText: renderLabelRecord(copy), labels: copy, value, timestamp: nowSeconds() };
}

/**
 * Shared machinery of every metric type: configuration checks, the label-set index,
 * registration, removal and scrape-time collect callbacks. Subclasses add the value
 * updates and say how a series is created.
 */
export abstract class Metric<T extends string = string, S extends SeriesBase = SeriesBase> {
  abstract readonly type: MetricType;
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly T[];
  readonly unit: string | undefined;
  readonly aggregator: Aggregator;
  readonly enableExemplars: boolean;
  collect?: CollectFunction<this>;
  /** The cardinality guard (see series-limit.ts); undefined without `maxSeries`. */
  readonly seriesLimit: SeriesLimit | undefined;
  /** Label sets the series limit folded or refused so far. */
  seriesLimitHits = 0;
  /** Idle time after which a labelled series is removed; undefined: never. */
  readonly seriesTtlMs: number | undefined;
  /**
   * Advanced by each TTL sweep and stamped on a series at every write, so a write costs
   * one number store rather than a clock read; the sweep knows when each epoch began.
   */
  seriesEpoch = 1;
  private readonly epochStarts = new Map<number, number>();
  /** `get()` rejects when the collect callback takes longer than this. */
  collectTimeoutMs = DEFAULT_COLLECT_TIMEOUT_MS;

  protected readonly index: SeriesIndex<S>;
  /** The series of a metric without labels, created eagerly so it exposes 0 from the start. */
  protected unlabelled: S | undefined;

  constructor(config: MetricConfiguration<T>, reservedLabels: readonly string[], defaultAggregator: Aggregator) {
    if (config === null || typeof config !== 'object') throw new TypeError('metric configuration object is required');
    assertMetricName(config.name);
    assertHelp(config.name, config.help);
    const labelNames = config.labelNames ?? [];
    if (!Array.isArray(labelNames)) throw new TypeError(`metric '${config.name}': labelNames must be an array of strings`);
    assertLabelNames(config.name, labelNames, reservedLabels);
    if (config.unit !== undefined) {
      const base = config.name.endsWith('_total') ? config.name.slice(0, -6) : config.name;
      if (!/^[a-zA-Z0-9_]+$/.test(config.unit) || !base.endsWith(`_${config.unit}`)) {
        throw new TypeError(`metric '${config.name}': unit '${config.unit}' must be a word and the name must end with '_${config.unit}'`);
      }
    }
    if (config.collect !== undefined && typeof config.collect !== 'function') {
      throw new TypeError(`metric '${config.name}': collect must be a function`);
    }
    this.name = config.name;
    this.help = config.help;
    this.labelNames = Object.freeze([...labelNames]);
    this.unit = config.unit;
    this.aggregator = config.aggregator ?? defaultAggregator;
    this.enableExemplars = config.enableExemplars === true;
    // The subclass's configuration typed `this` as the subclass (see MetricConfiguration).
    this.collect = config.collect as CollectFunction<this> | undefined;
    this.seriesLimit = seriesLimitOf(config.name, config);
    const ttl = config.seriesTtlSeconds;
    if (ttl !== undefined && (typeof ttl !== 'number' || !(ttl > 0 && ttl < Infinity))) {
      throw new TypeError(`metric '${config.name}': seriesTtlSeconds must be a positive number of seconds, got ${String(ttl)}`);
    }
    this.seriesTtlMs = ttl === undefined ? undefined : ttl * 1000;
    this.epochStarts.set(this.seriesEpoch, Date.now());
    this.index = new SeriesIndex<S>(this.name, this.labelNames, (labels) => this.throwUnknownLabel(labels));
  }

  /** Called by subclasses once their own fields exist. */
  protected finishConstruction(config: MetricConfiguration<T>): void {
    if (this.labelNames.length === 0) this.unlabelled = this.addSeries([]);
    else {
      // An own `labels` with one parameter per label: no rest-array allocation per call.
      Object.defineProperty(this, 'labels', { value: this.index.compilePositionalLookup((args) => this.childFor(args)), writable: true, configurable: true });
    }
    const registers = config.registers ?? [globalRegistry()];
    // Checked before registering anywhere, so a refused metric is left in no registry.
    if (this.enableExemplars && config.exemplarsOnTextRegistry !== true) for (const registry of registers) assertExemplarsFit(this.name, registry);
    for (const registry of registers) registry.registerMetric(this);
  }

  /** A new series whose label text is `joinLabelText(labelHead, labelLast)`. */
  protected abstract createSeries(labelHead: string, labelLast?: string): S;

  private addSeries(values: readonly string[], passed?: Record<string, LabelValue>, labelText?: string): S {
    const limit = this.seriesLimit;
    if (limit !== undefined && values.length > 0 && this.atSeriesLimit(limit)) return this.overLimit(values, limit);
    return this.indexSeries(values, passed, labelText);
  }

  private indexSeries(values: readonly string[], passed?: Record<string, LabelValue>, labelText?: string): S {
    let series: S;
    if (values.length === 0) series = this.createSeries('');
    else if (labelText !== undefined) {
      series = this.createSeries(labelText);
      this.index.set(values, series);
    } else series = this.index.insert(values, (parent, lastKey) => this.createSeries(this.headUnder(parent, values), escapeLabelValue(lastKey)));
    if (passed !== undefined) passedLabelsOf.set(series, passed);
    return series;
  }

  /** Label text heads by index node: the series under one node share theirs. Weak, so a pruned node takes its head along. */
  private readonly heads = new WeakMap<object, string>();

  private headUnder(parent: object, values: readonly string[]): string {
    let head = this.heads.get(parent);
    if (head === undefined) {
      head = labelTextHead(this.labelNames, values.slice(0, -1).map(escapeLabelValue));
      this.heads.set(parent, head);
    }
    return head;
  }

  /** Whether the labelled series, not counting the overflow series, fill the limit. */
  private atSeriesLimit(limit: SeriesLimit): boolean {
    const size = this.index.size;
    if (size < limit.max) return false;
    return size - (this.index.getByValues(this.overflowValues()) !== undefined ? 1 : 0) >= limit.max;
  }

  private overflowValues(): string[] {
    return this.labelNames.map(() => SERIES_OVERFLOW_VALUE);
  }

  /** A new label set past `maxSeries`: the overflow series, or a SeriesLimitError. */
  private overLimit(values: readonly string[], limit: SeriesLimit): S {
    if (this.seriesLimitHits++ === 0) getLogger('promkit::core').warn(seriesLimitWarning(this.name, limit, this.labelNames));
    if (limit.action === 'refuse') {
      const labels = this.labelNames.map((n, i) => `${n}=${JSON.stringify(values[i])}`).join(',');
      throw new SeriesLimitError(`metric '${this.name}': limit of ${limit.max} series reached; the new label set {${labels}} is refused`);
    }
    const overflow = this.overflowValues();
    return this.index.getByValues(overflow) ?? this.indexSeries(overflow);
  }

  /**
   * A child kept across `remove()`/`reset()` was detached; on its next write it asks
   * here for a live series. prom-client users rely on this (`resetMetrics()` between
   * tests while holding children). If the label set was created again meanwhile, the
   * write goes to that series; otherwise the child itself is put back.
   * @internal
   */
  reattach(child: S): S {
    const values = this.valuesOf(child);
    const existing = values.length === 0 ? this.unlabelled : this.index.getByValues(values);
    if (existing !== undefined && existing !== child) return existing;
    const limit = this.seriesLimit;
    if (limit !== undefined && values.length > 0 && this.atSeriesLimit(limit)) return this.overLimit(values, limit);
    child.revive();
    if (values.length > 0) this.index.set(values, child);
    else this.unlabelled = child;
    return child;
  }

  /** `labels(...)` in both of prom-client's forms: positional values or one record. */
  protected childFor(args: ArrayLike<unknown>): S {
    const first = args[0];
    if (args.length === 1 && first !== null && typeof first === 'object') return this.seriesForRecord(first as Record<string, unknown>);
    return this.seriesForValues(args);
  }

  /** The series for positional label values (prom-client's `labels(...)`). */
  protected seriesForValues(values: ArrayLike<unknown>): S {
    if (values.length !== this.labelNames.length) {
      throw new TypeError(`metric '${this.name}' has ${this.labelNames.length} label(s) (${this.labelNames.join(', ')}) but got ${values.length} value(s)`);
    }
    if (this.unlabelled !== undefined) return this.unlabelled;
    const found = this.index.getByValues(values);
    if (found !== undefined) return found;
    const strings = Array.from(values, (v, i) => labelValueToString(this.name, this.labelNames[i], v));
    let passed: Record<string, LabelValue> | undefined;
    for (let i = 0; i < values.length; i++) {
      if (typeof values[i] !== 'string') {
        passed = {};
        this.labelNames.forEach((n, j) => {
          passed![n] = values[j] as LabelValue;
        });
        break;
      }
    }
    return this.addSeries(strings, passed);
  }

  /** The series for a labels record; missing labels read as ''. Unknown labels are an error. */
  protected seriesForRecord(labels: Readonly<Record<string, unknown>>): S {
    if (labels === null || typeof labels !== 'object') {
      throw new TypeError(`metric '${this.name}': labels must be an object, got ${labels === null ? 'null' : typeof labels}`);
    }
    const found = this.index.getByRecord(labels);
    // Without labels the lookup only checks the record for unknown keys.
    if (this.unlabelled !== undefined) return this.unlabelled;
    if (found !== undefined) return found;
    const strings = this.labelNames.map((n) => labelValueToString(this.name, n, labels[n]));
    let passed: Record<string, LabelValue> | undefined;
    if (this.labelNames.some((n) => typeof labels[n] !== 'string')) {
      passed = {};
      for (const key in labels) if (labels[key] !== undefined) passed[key] = labels[key] as LabelValue;
    }
    return this.addSeries(strings, passed, this.recordLabelText(labels, strings));
  }

  /**
   * prom-client writes a series' labels in the key order of the record that created it and
   * leaves out the labels the record did not name; so does promkit, byte for byte (users
   * snapshot /metrics). Undefined when that is the declared order with every label.
   */
  private recordLabelText(labels: Readonly<Record<string, unknown>>, strings: readonly string[]): string | undefined {
    const names = this.labelNames as readonly string[];
    let i = 0;
    let declaredOrder = true;
    for (const key in labels) {
      if (labels[key] === undefined || key !== names[i++]) {
        declaredOrder = false;
        break;
      }
    }
    if (declaredOrder && i === names.length) return undefined;
    let text = '';
    for (const key in labels) {
      if (labels[key] === undefined) continue;
      if (text !== '') text += ',';
      text += `${key}="${escapeLabelValue(strings[names.indexOf(key)])}"`;
    }
    return text;
  }

  /** A series' label values in declared order (a label its record left out reads ''). */
  protected valuesOf(series: SeriesBase): string[] {
    const record = parseLabelRecord(series.labelText);
    return this.labelNames.map((n) => record[n] ?? '');
  }

  private throwUnknownLabel(labels: Readonly<Record<string, unknown>>): void {
    for (const key in labels) {
      if (!(this.labelNames as readonly string[]).includes(key)) {
        const allowed = this.labelNames.length ? this.labelNames.join(', ') : 'none';
        throw new TypeError(`metric '${this.name}': unknown label '${key}' (declared labels: ${allowed})`);
      }
    }
  }

  /** Removes one series, by positional values or by a labels record. */
  remove(...args: LabelValue[] | [LabelValues<T>]): void {
    if (this.labelNames.length === 0) return;
    const first = args[0];
    const values =
      args.length === 1 && first !== null && typeof first === 'object'
        ? this.labelNames.map((n) => labelValueToString(this.name, n, (first as Record<string, unknown>)[n]))
        : (() => {
            if (args.length !== this.labelNames.length) {
              throw new TypeError(`metric '${this.name}': remove() needs ${this.labelNames.length} label value(s), got ${args.length}`);
            }
            return args.map((v, i) => labelValueToString(this.name, this.labelNames[i], v));
          })();
    const removed = this.index.delete(values);
    if (removed !== undefined) removed.detach();
  }

  /** Drops every labelled series; a metric without labels goes back to zero. */
  reset(): void {
    for (const s of this.series) s.detach();
    this.index.clear();
    this.storage?.clear();
    if (this.labelNames.length === 0) this.unlabelled = this.addSeries([]);
  }

  /** Shared storage of the series, released on reset once every series is detached. */
  protected storage: { clear(): void; epoch?: number } | undefined;

  /** The series for an optional labels record (no labels: the unlabelled series). */
  protected seriesFor(labels: Readonly<Record<string, unknown>> | undefined): S {
    return labels === undefined ? (this.unlabelled ?? this.seriesForRecord({})) : this.seriesForRecord(labels);
  }

  /**
   * prom-client's `startTimer(labels?)`: the returned function measures seconds since
   * the call and records them on the series for the labels given at either end.
   */
  protected timerFor(
    labels: Readonly<Record<string, unknown>> | undefined,
    record: (series: S, seconds: number) => void,
  ): (endLabels?: Readonly<Record<string, unknown>>) => number {
    return startTimerFor((seconds, endLabels?: Readonly<Record<string, unknown>>) =>
      record(this.seriesFor(labels || endLabels ? { ...labels, ...endLabels } : undefined), seconds),
    );
  }

  /** Series whose leading label values equal `prefix` (all series for an empty prefix). @internal */
  seriesUnder(prefix: readonly string[]): Iterable<S> {
    if (prefix.length === 0) return this.series;
    if (prefix.length > this.labelNames.length) return [];
    return this.index.under(prefix);
  }

  /** Removes every series whose leading label values equal `prefix`. @internal */
  removeUnder(prefix: readonly string[]): void {
    for (const s of [...this.seriesUnder(prefix)]) this.remove(...this.valuesOf(s));
  }

  /** Series in creation order, for the encoders. */
  get series(): Iterable<S> {
    return this.unlabelled !== undefined ? [this.unlabelled] : this.index.all();
  }

  /** Runs the collect callback (if any), then returns what the encoder reads. */
  async gatherFamily(): Promise<MetricFamily> {
    if (this.collect) await this.collect.call(this);
    this.sweepIdleSeries();
    return this.toFamily();
  }

  /**
   * Removes labelled series not written for `seriesTtlSeconds`. A series stamped with
   * epoch e was last written before epoch e + 1 began, so it has been idle at least
   * since then: it goes once that start is a TTL ago. A series therefore leaves between
   * one TTL and one TTL plus two collect intervals after its last write.
   */
  protected sweepIdleSeries(): void {
    const ttl = this.seriesTtlMs;
    if (ttl === undefined || this.labelNames.length === 0) return;
    const now = Date.now();
    const expired = (epoch: number): boolean => {
      const ended = this.epochStarts.get(epoch + 1);
      return ended !== undefined && now - ended >= ttl;
    };
    for (const s of [...this.series]) if (expired(s.touched)) this.remove(...this.valuesOf(s));
    for (const epoch of [...this.epochStarts.keys()]) if (expired(epoch)) this.epochStarts.delete(epoch);
    this.seriesEpoch++;
    if (this.storage !== undefined) this.storage.epoch = this.seriesEpoch;
    this.epochStarts.set(this.seriesEpoch, now);
  }

  /** The family view of this metric; the engine's metrics are their own family views. */
  protected toFamily(): MetricFamily {
    return this as unknown as MetricFamily;
  }

  protected labelsOf(series: SeriesBase): Record<string, LabelValue> {
    const passed = passedLabelsOf.get(series);
    if (passed !== undefined) return { ...passed };
    return parseLabelRecord(series.labelText);
  }

  /**
   * prom-client's `get()`: runs collect, then returns the values as plain objects. A
   * collect that throws or rejects rejects `get()`; one that outlives
   * `collectTimeoutMs` rejects it with an error naming the metric.
   */
  async get(): Promise<MetricObjectWithValues<T>> {
    const collect = this.collect;
    if (collect) await withCollectTimeout(this.name, () => collect.call(this), this.collectTimeoutMs);
    this.sweepIdleSeries();
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values: this.valuesForJson() as Array<MetricValue<T>> };
  }

  protected abstract valuesForJson(): MetricValue[];
}
