import type { HistogramFamily, HistogramSeries, MetricFamily } from '../../exposition/model.js';
import { bucketIndex } from '../bucket-index.js';
import { parseLabelRecord } from '../../exposition/escape.js';
import type { LabelValue } from '../label-values.js';
import type { MetricObjectWithValues } from '../metric.js';
import type { ColumnTable } from './column-table.js';
import type { SharedMetricDefinition } from './definition.js';
import { assertObservable, SharedObservedMetric, SharedObservingChild } from './shared-observed.js';
import { columnCreated, type SharedStore } from './shared-store.js';

/**
 * A thread's handle on one histogram series. Its column holds one count per bucket and
 * the sum (no separate count: at scrape the count is the sum of the buckets, so `_count`
 * and the `+Inf` bucket always agree even while other threads are mid-observation).
 */
export class SharedHistogramChild extends SharedObservingChild<Float64Array> {
  observe(value: number): void {
    assertObservable('histogram', this.store.metricName, value);
    const view = this.store.view;
    const offset = this.offset;
    const bounds = this.layout;
    view[offset + bucketIndex(bounds, value)]++;
    view[offset + bounds.length + 1] += value;
  }
}

/** Scrape-time numbers of one series: buckets, sum, count from `offset` in the scrape's aggregate array. */
class ScrapedHistogram implements HistogramSeries {
  created = 0;
  /** Set at every read: a concurrent scrape may have moved to a larger array. */
  values: Float64Array = new Float64Array(0);
  constructor(
    readonly labelText: string,
    readonly offset: number,
  ) {}
}

/** A histogram every thread observes into; a scrape sums the threads' bucket counts and sums. */
export class SharedHistogram<T extends string = string, V extends readonly LabelValue[] = LabelValue[]> extends SharedObservedMetric<
  T,
  V,
  SharedHistogramChild
> {
  readonly type = 'histogram' as const;
  readonly upperBounds: readonly number[];
  declare private bounds: Float64Array;
  /** Per scraped series: buckets, sum, count (the exposition model's layout). */
  aggregate = new Float64Array(0);
  private readonly scraped: ScrapedHistogram[] = [];

  constructor(definition: SharedMetricDefinition, store: SharedStore, table: ColumnTable) {
    super(definition, store, table);
    this.upperBounds = Object.freeze([...definition.buckets]);
  }

  protected createChild(labelText: string, offset: number): SharedHistogramChild {
    // The base constructor creates the unlabelled child before this class's fields exist.
    this.bounds ??= Float64Array.from(this.definition.buckets);
    return new SharedHistogramChild(labelText, this.store, offset, this.bounds);
  }

  gatherFamily(): HistogramFamily {
    const count = this.store.sync();
    const outWidth = this.definition.buckets.length + 3;
    if (this.aggregate.length < count * outWidth) this.aggregate = new Float64Array(Math.max(count * outWidth, this.aggregate.length * 2));
    return { type: 'histogram', name: this.name, help: this.help, upperBounds: this.upperBounds, series: { [Symbol.iterator]: () => this.read(count) } };
  }

  /** Sums the columns of each series as the encoder reaches it (see SharedCounter.read). */
  private *read(count: number): Generator<ScrapedHistogram> {
    const { stride, width } = this.store;
    const buckets = this.definition.buckets.length + 1;
    const outWidth = buckets + 2;
    const agg = this.aggregate;
    for (let s = 0; s < count; s++) {
      const view = this.store.view;
      const base = s * outWidth;
      agg.fill(0, base, base + outWidth);
      let created = Infinity;
      for (let o = s * stride, end = o + stride; o < end; o += width) {
        const t = columnCreated(view, o, width);
        if (t === 0) continue;
        if (t < created) created = t;
        let n = 0;
        for (let b = 0; b < buckets; b++) {
          const x = view[o + b];
          agg[base + b] += x;
          n += x;
        }
        agg[base + buckets] += view[o + buckets];
        agg[base + buckets + 1] += n;
      }
      if (created === Infinity) continue;
      this.scraped[s] ??= new ScrapedHistogram(this.store.labelTexts[s], base);
      const out = this.scraped[s];
      out.created = created;
      out.values = agg;
      yield out;
    }
  }

  protected jsonValues(family: MetricFamily): MetricObjectWithValues['values'] {
    const out: MetricObjectWithValues['values'] = [];
    for (const s of (family as HistogramFamily).series) {
      const labels = parseLabelRecord(s.labelText);
      let cumulative = 0;
      for (let i = 0; i <= this.upperBounds.length; i++) {
        cumulative += s.values[s.offset + i];
        out.push({
          value: cumulative,
          labels: { ...labels, le: i < this.upperBounds.length ? this.upperBounds[i] : '+Inf' },
          metricName: `${this.name}_bucket`,
        });
      }
      out.push({ value: s.values[s.offset + this.upperBounds.length + 1], labels, metricName: `${this.name}_sum` });
      out.push({ value: s.values[s.offset + this.upperBounds.length + 2], labels, metricName: `${this.name}_count` });
    }
    return out;
  }
}
