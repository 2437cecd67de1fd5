import type { HistogramSeries } from '../exposition/model.js';
import { DEFAULT_BUCKETS, normaliseBuckets } from './buckets.js';
import type { LabelValue, LabelValues } from './label-values.js';
import { exemplarToJson, makeExemplar, Metric, nowSeconds, type MetricConfiguration, type MetricValue, type RecordedExemplar, type SeriesBase } from './metric.js';
import { startClock } from './timer.js';
import type { LabelTuple } from './typed-labels.js';

export interface HistogramConfiguration<T extends string> extends MetricConfiguration<T> {
  /** Finite upper bounds, strictly increasing; +Inf is implied. Default: prom-client's. */
  buckets?: readonly number[];
}

export interface ObserveDataWithExemplar<T extends string> {
  labels?: LabelValues<T>;
  value: number;
  exemplarLabels?: Record<string, LabelValue>;
}

/** Linear scan beats binary search for the short bucket lists almost everyone uses. */
const LINEAR_SCAN_LIMIT = 24;

function bucketIndex(bounds: Float64Array, value: number): number {
  const n = bounds.length;
  if (n <= LINEAR_SCAN_LIMIT) {
    let i = 0;
    while (i < n && value > bounds[i]) i++;
    return i;
  }
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (value > bounds[mid]) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** One histogram series: per-bucket counts in a typed array, cumulated only at scrape time. */
export class HistogramChild implements SeriesBase, HistogramSeries {
  readonly counts: Float64Array;
  sum = 0;
  count = 0;
  created = nowSeconds();
  exemplars: Array<RecordedExemplar | undefined> | undefined = undefined;

  constructor(
    readonly labelValues: readonly string[],
    readonly labelText: string,
    private readonly bounds: Float64Array,
    private readonly metricName: string,
  ) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(value: number, exemplarLabels?: Record<string, LabelValue>): void {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new RangeError(`histogram '${this.metricName}': observed value must be a finite number, got ${typeof value === 'number' ? value : typeof value}`);
    }
    const i = bucketIndex(this.bounds, value);
    this.counts[i]++;
    this.sum += value;
    this.count++;
    if (exemplarLabels !== undefined) {
      this.exemplars ??= new Array(this.counts.length).fill(undefined);
      this.exemplars[i] = makeExemplar(this.metricName, exemplarLabels, value);
    }
  }

  /** Returns a function that observes the seconds elapsed since this call. */
  startTimer(): () => number {
    const elapsed = startClock();
    return () => {
      const seconds = elapsed();
      this.observe(seconds);
      return seconds;
    };
  }

  reset(): void {
    this.counts.fill(0);
    this.sum = 0;
    this.count = 0;
    this.exemplars = undefined;
    this.created = nowSeconds();
  }
}

/** Observations counted in buckets. API compatible with prom-client's Histogram. */
export class HistogramImpl<T extends string = string, V extends readonly LabelValue[] = LabelValue[]> extends Metric<T, HistogramChild> {
  readonly type = 'histogram' as const;
  readonly upperBounds: readonly number[];
  /** The same bounds as a typed array: comparisons against it are ~4x faster in V8. */
  private readonly boundsArray: Float64Array;

  constructor(config: HistogramConfiguration<T>) {
    super(config, ['le'], 'sum');
    this.upperBounds = Object.freeze(normaliseBuckets(config.name, config.buckets ?? DEFAULT_BUCKETS));
    this.boundsArray = Float64Array.from(this.upperBounds);
    this.finishConstruction(config);
  }

  protected createSeries(labelValues: readonly string[], labelText: string): HistogramChild {
    return new HistogramChild(labelValues, labelText, this.boundsArray, this.name);
  }

  private pick(labels: LabelValues<T> | undefined): HistogramChild {
    return labels === undefined ? (this.unlabelled ?? this.seriesForRecord({})) : this.seriesForRecord(labels);
  }

  observe(value: number): void;
  observe(labels: LabelValues<T>, value: number): void;
  observe(data: ObserveDataWithExemplar<T>): void;
  observe(a: number | LabelValues<T> | ObserveDataWithExemplar<T>, b?: number): void {
    if (typeof a === 'number') this.pick(undefined).observe(a);
    else if (this.enableExemplars && b === undefined) {
      const data = a as ObserveDataWithExemplar<T>;
      this.pick(data.labels ?? ({} as LabelValues<T>)).observe(data.value, data.exemplarLabels);
    } else this.pick(a as LabelValues<T>).observe(b as number);
  }

  /** Returns a function that observes elapsed seconds; labels may be given at either end. */
  startTimer(labels?: LabelValues<T>): (endLabels?: LabelValues<T>) => number {
    const elapsed = startClock();
    return (endLabels) => {
      const seconds = elapsed();
      this.pick(labels || endLabels ? ({ ...labels, ...endLabels } as LabelValues<T>) : undefined).observe(seconds);
      return seconds;
    };
  }

  /** Creates the series for these labels with zero counts, so it is exposed before the first observation. */
  zero(labels: LabelValues<T>): void {
    this.pick(labels).reset();
  }

  labels(...values: V): HistogramChild;
  labels(labels: LabelValues<T>): HistogramChild;
  labels(...args: readonly unknown[]): HistogramChild {
    if (args.length === 1 && args[0] !== null && typeof args[0] === 'object') return this.seriesForRecord(args[0] as Record<string, unknown>);
    return this.seriesForValues(args);
  }

  protected valuesForJson(): MetricValue[] {
    const out: MetricValue[] = [];
    for (const s of this.seriesSet) {
      const labels = this.labelsOf(s);
      let cumulative = 0;
      for (let i = 0; i < s.counts.length; i++) {
        cumulative += s.counts[i];
        const le = i < this.upperBounds.length ? this.upperBounds[i] : '+Inf';
        const exemplar = s.exemplars?.[i];
        out.push({ value: cumulative, labels: { ...labels, le }, metricName: this.name + '_bucket', ...(exemplar ? { exemplar: exemplarToJson(exemplar) } : {}) });
      }
      out.push({ value: s.sum, labels, metricName: this.name + '_sum' });
      out.push({ value: s.count, labels, metricName: this.name + '_count' });
    }
    return out;
  }
}

export interface HistogramConstructor {
  new <const N extends readonly string[]>(config: HistogramConfiguration<N[number]> & { labelNames: N }): HistogramImpl<N[number], LabelTuple<N>>;
  new <T extends string = string>(config: HistogramConfiguration<T>): HistogramImpl<T>;
  readonly prototype: HistogramImpl;
}

export const Histogram = HistogramImpl as HistogramConstructor;
export type Histogram<T extends string = string, V extends readonly LabelValue[] = LabelValue[]> = HistogramImpl<T, V>;
