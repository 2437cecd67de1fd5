import type { HistogramSeries, NativeHistogramBuckets } from '../exposition/model.js';
import { bucketIndex } from './bucket-index.js';
import { DEFAULT_BUCKETS, normaliseBuckets } from './buckets.js';
import type { LabelValue, LabelValues } from './label-values.js';
import { exemplarToJson, makeExemplar, Metric, type MetricConfiguration, type MetricValue, type RecordedExemplar } from './metric.js';
import { currentExemplar } from './exemplar-provider.js';
import { NativeHistogramSet, nativeSettingsOf, type NativeHistogramConfiguration } from './native-histogram.js';
import { SlotChild } from './slot-child.js';
import { SlotStore, type SeriesOwner } from './slot-store.js';
import { startClock, startTimerFor } from './timer.js';
import type { LabelTuple } from './typed-labels.js';

export interface HistogramConfiguration<T extends string> extends MetricConfiguration<T, HistogramImpl<T>>, NativeHistogramConfiguration {
  /** Finite upper bounds, strictly increasing; +Inf is implied. Default: prom-client's, or none (+Inf only) when native buckets are enabled. */
  buckets?: readonly number[];
}

export interface ObserveDataWithExemplar<T extends string> {
  labels?: LabelValues<T>;
  value: number;
  exemplarLabels?: Record<string, LabelValue>;
}

/** A histogram's slot store also knows the bucket bounds its children search. */
class HistogramStore extends SlotStore {
  /** Native buckets by slot, for histograms configured with a bucket factor. */
  readonly native: NativeHistogramSet | undefined;

  constructor(
    readonly bounds: Float64Array,
    metricName: string,
    owner: SeriesOwner,
    autoExemplars: boolean,
    native: NativeHistogramConfiguration,
  ) {
    // Per series: one count per bucket (+Inf included), then sum, then count.
    super(bounds.length + 3, metricName, owner, autoExemplars);
    const settings = nativeSettingsOf(metricName, native);
    this.native = settings === undefined ? undefined : new NativeHistogramSet(settings, this.width);
  }

  override alloc(): number {
    const slot = super.alloc();
    this.native?.clearSlot(slot);
    return slot;
  }

  override restart(slot: number): void {
    super.restart(slot);
    this.native?.clearSlot(slot);
  }

  override clear(): void {
    super.clear();
    this.native?.clearAll();
  }
}

/** One histogram series: bucket counts, sum and count in the metric's store, cumulated only at scrape time. */
export class HistogramChild extends SlotChild<HistogramStore> implements HistogramSeries {
  get values(): Float64Array {
    return this.store.data;
  }

  get offset(): number {
    return this.slot;
  }

  get exemplars(): Array<RecordedExemplar | undefined> | undefined {
    return this.store.exemplars?.get(this.slot) as Array<RecordedExemplar | undefined> | undefined;
  }

  /** Native buckets, when the histogram keeps them (read by the protobuf and remote-write encoders). */
  get native(): NativeHistogramBuckets | undefined {
    return this.slot < 0 ? undefined : this.store.native?.snapshot(this.slot);
  }

  /** Sum of observations (promkit extension). */
  get sum(): number {
    return this.slot < 0 ? 0 : this.store.data[this.slot + this.store.bounds.length + 1];
  }

  /** Number of observations (promkit extension). */
  get count(): number {
    return this.slot < 0 ? 0 : this.store.data[this.slot + this.store.bounds.length + 2];
  }

  observe(value: number, exemplarLabels?: Record<string, LabelValue>): void {
    if (typeof value !== 'number' || !(value - value === 0)) {
      throw new RangeError(
        `histogram '${this.store.metricName}': observed value must be a finite number, got ${typeof value === 'number' ? value : typeof value}`,
      );
    }
    const slot = this.slot;
    if (slot < 0) {
      (this.store.owner.reattach(this) as HistogramChild).observe(value, exemplarLabels);
      return;
    }
    const store = this.store;
    const bounds = store.bounds;
    const data = store.data;
    const i = bucketIndex(bounds, value);
    data[slot + i]++;
    data[slot + bounds.length + 1] += value;
    data[slot + bounds.length + 2]++;
    store.touch(slot);
    if (store.native !== undefined && !store.native.observe(slot, value)) {
      // client_golang's reset rule: start over, then count the latest observation again.
      store.restart(slot);
      this.observe(value, exemplarLabels);
      return;
    }
    const exemplar = exemplarLabels ?? (store.autoExemplars ? currentExemplar() : undefined);
    if (exemplar !== undefined) {
      store.exemplars ??= new Map();
      const map = store.exemplars;
      let perBucket = map.get(slot) as Array<RecordedExemplar | undefined> | undefined;
      if (perBucket === undefined) {
        perBucket = new Array(bounds.length + 1).fill(undefined);
        map.set(slot, perBucket);
      }
      perBucket[i] = makeExemplar(store.metricName, exemplar, value);
    }
  }

  /** Returns a function that observes the seconds elapsed since this call. */
  startTimer(): () => number {
    return startTimerFor((seconds) => this.observe(seconds));
  }

  /** Zeroes the counts (prom-client's `zero()` does this for a label set). */
  reset(): void {
    if (this.slot >= 0) this.store.restart(this.slot);
  }
}

/** Observations counted in buckets. API compatible with prom-client's Histogram. */
export class HistogramImpl<T extends string = string, V extends readonly LabelValue[] = LabelValue[]> extends Metric<T, HistogramChild> {
  readonly type = 'histogram' as const;
  readonly upperBounds: readonly number[];
  private readonly store: HistogramStore;

  constructor(config: HistogramConfiguration<T>) {
    super(config, ['le'], 'sum');
    // As client_golang: with native buckets and no classic buckets asked for, only +Inf.
    const classicOff = config.buckets === undefined && config.nativeHistogramBucketFactor !== undefined;
    this.upperBounds = Object.freeze(classicOff ? [] : normaliseBuckets(config.name, config.buckets ?? DEFAULT_BUCKETS));
    // Comparisons against a typed array are ~4x faster in V8 than against a JS array.
    this.store = this.storage = new HistogramStore(Float64Array.from(this.upperBounds), this.name, this, this.enableExemplars, config);
    this.finishConstruction(config);
  }

  protected createSeries(labelHead: string, labelLast?: string): HistogramChild {
    return new HistogramChild(labelHead, labelLast, this.store);
  }

  observe(value: number): void;
  observe(labels: LabelValues<T>, value: number): void;
  observe(data: ObserveDataWithExemplar<T>): void;
  observe(a: number | LabelValues<T> | ObserveDataWithExemplar<T>, b?: number): void {
    if (typeof a === 'number') this.seriesFor(undefined).observe(a);
    else if (this.enableExemplars && b === undefined) {
      const data = a as ObserveDataWithExemplar<T>;
      this.seriesFor(data.labels ?? ({} as LabelValues<T>)).observe(data.value, data.exemplarLabels);
    } else this.seriesFor(a as LabelValues<T>).observe(b as number);
  }

  /**
   * Returns a function that observes elapsed seconds; labels may be given at either end.
   * With `enableExemplars`, exemplar labels too (merged, as in prom-client).
   */
  startTimer(
    labels?: LabelValues<T>,
    exemplarLabels?: Record<string, LabelValue>,
  ): (endLabels?: LabelValues<T>, endExemplarLabels?: Record<string, LabelValue>) => number {
    if (!this.enableExemplars) return this.timerFor(labels, (series, seconds) => series.observe(seconds));
    const elapsed = startClock();
    return (endLabels, endExemplarLabels) => {
      const seconds = elapsed();
      const exemplar = { ...exemplarLabels, ...endExemplarLabels };
      const series = this.seriesFor(labels || endLabels ? { ...labels, ...endLabels } : undefined);
      series.observe(seconds, Object.keys(exemplar).length > 0 ? exemplar : undefined);
      return seconds;
    };
  }

  /** Creates the series for these labels with zero counts, so it is exposed before the first observation. */
  zero(labels: LabelValues<T>): void {
    const child = this.seriesFor(labels);
    child.reset();
  }

  labels(...values: V): HistogramChild;
  labels(labels: LabelValues<T>): HistogramChild;
  labels(...args: readonly unknown[]): HistogramChild {
    return this.childFor(args);
  }

  protected valuesForJson(): MetricValue[] {
    const out: MetricValue[] = [];
    for (const s of this.series) {
      const labels = this.labelsOf(s);
      let cumulative = 0;
      const data = s.values;
      for (let i = 0; i <= this.upperBounds.length; i++) {
        cumulative += data[s.offset + i];
        const le = i < this.upperBounds.length ? this.upperBounds[i] : '+Inf';
        const exemplar = s.exemplars?.[i];
        // prom-client's shape: null for "no exemplar", except the +Inf bucket of a histogram
        // with exemplars, whose slot it never initialises (undefined, so no key in JSON).
        const none = this.enableExemplars && i === this.upperBounds.length ? undefined : null;
        out.push({ value: cumulative, labels: { ...labels, le }, metricName: `${this.name}_bucket`, exemplar: exemplar ? exemplarToJson(exemplar) : none });
      }
      out.push({ value: s.sum, labels, metricName: `${this.name}_sum` });
      out.push({ value: s.count, labels, metricName: `${this.name}_count` });
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

// prom-client's typings name a child `Histogram.Internal<T>`; keep that spelling working.
export declare namespace Histogram {
  type Internal<T extends string = string> = HistogramChild & { readonly __labels?: T };
  type Config<T extends string = string> = HistogramConfiguration<T>;
}
