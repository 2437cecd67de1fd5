import type { MetricFamily, SummaryFamily, SummarySeries } from '../../exposition/model.js';
import { parseLabelRecord } from '../../exposition/escape.js';
import { ExactQuantiles } from '../exact-quantiles.js';
import type { LabelValue } from '../label-values.js';
import type { MetricObjectWithValues } from '../metric.js';
import type { ColumnTable } from './column-table.js';
import type { SharedMetricDefinition } from './definition.js';
import { assertObservable, SharedObservedMetric, SharedObservingChild } from './shared-observed.js';
import { columnCreated, type SharedStore } from './shared-store.js';
import { COUNT, SUM, SummaryRing } from './summary-ring.js';

/** A thread's handle on one summary series: counts and sums the observation and keeps it in the thread's ring. */
export class SharedSummaryChild extends SharedObservingChild<SummaryRing> {
  observe(value: number): void {
    assertObservable('summary', this.store.metricName, value);
    this.layout.record(this.store.view, this.store.words, this.offset, value);
  }
}

/** One series of a scrape, refreshed in place each scrape. */
class ScrapedSummary implements SummarySeries {
  created = 0;
  sum = 0;
  count = 0;
  readonly quantiles: Array<[quantile: number, value: number]>;
  constructor(
    readonly labelText: string,
    percentiles: readonly number[],
  ) {
    this.quantiles = percentiles.map((q) => [q, 0]);
  }
}

/**
 * A summary every thread observes into. `_count` and `_sum` are the sums of the threads'
 * columns, exited threads included; quantiles are exact over the attached threads' latest
 * `windowSize` observations each (those younger than maxAgeSeconds, when it is set).
 */
export class SharedSummary<T extends string = string, V extends readonly LabelValue[] = LabelValue[]> extends SharedObservedMetric<T, V, SharedSummaryChild> {
  readonly type = 'summary' as const;
  readonly percentiles: readonly number[];
  declare private ring: SummaryRing | undefined;
  /** The merged sample of one series, reused from series to series. */
  private sample = new Float64Array(0);
  private readonly exact = new ExactQuantiles();
  private readonly scraped: ScrapedSummary[] = [];

  constructor(definition: SharedMetricDefinition, store: SharedStore, table: ColumnTable) {
    super(definition, store, table);
    this.percentiles = Object.freeze([...definition.percentiles]);
  }

  /** The base constructor creates the unlabelled child before this class's fields exist. */
  private summaryRing(): SummaryRing {
    this.ring ??= new SummaryRing(this.definition.windowSize, this.definition.maxAgeSeconds !== undefined);
    return this.ring;
  }

  protected createChild(labelText: string, offset: number): SharedSummaryChild {
    return new SharedSummaryChild(labelText, this.store, offset, this.summaryRing());
  }

  gatherFamily(): SummaryFamily {
    const count = this.store.sync();
    // A freed column's ring leaves the quantiles at once; its count and sum stay.
    const live: number[] = [];
    for (let c = 0; c < this.store.columns; c++) if (this.table.isLive(c)) live.push(c);
    const maxAge = this.definition.maxAgeSeconds;
    const since = maxAge === undefined ? 0 : Date.now() - maxAge * 1000;
    return { type: 'summary', name: this.name, help: this.help, series: { [Symbol.iterator]: () => this.read(count, live, since) } };
  }

  /** Sums counts and sums, merges the live rings and takes the quantiles, series by series as the encoder asks. */
  private *read(count: number, live: readonly number[], since: number): Generator<ScrapedSummary> {
    const { stride, width } = this.store;
    const ring = this.summaryRing();
    if (this.sample.length < live.length * ring.windowSize) this.sample = new Float64Array(live.length * ring.windowSize);
    for (let s = 0; s < count; s++) {
      const view = this.store.view;
      let created = Infinity;
      let observed = 0;
      let sum = 0;
      for (let o = s * stride, end = o + stride; o < end; o += width) {
        const t = columnCreated(view, o, width);
        if (t === 0) continue;
        if (t < created) created = t;
        observed += view[o + COUNT];
        sum += view[o + SUM];
      }
      if (created === Infinity) continue;
      let n = 0;
      for (const c of live) n = ring.collect(view, this.store.words, s * stride + c * width, since, this.sample, n);
      this.exact.load(this.sample.subarray(0, n).sort());
      this.scraped[s] ??= new ScrapedSummary(this.store.labelTexts[s], this.percentiles);
      const out = this.scraped[s];
      out.created = created;
      out.count = observed;
      out.sum = sum;
      // prom-client reports 0 for a quantile with nothing in the window.
      for (const pair of out.quantiles) pair[1] = n === 0 ? 0 : this.exact.quantile(pair[0]);
      yield out;
    }
  }

  protected jsonValues(family: MetricFamily): MetricObjectWithValues['values'] {
    const out: MetricObjectWithValues['values'] = [];
    for (const s of (family as SummaryFamily).series) {
      const labels = parseLabelRecord(s.labelText);
      for (const [quantile, value] of s.quantiles) out.push({ labels: { quantile, ...labels }, value });
      out.push({ value: s.sum, labels, metricName: `${this.name}_sum` });
      out.push({ value: s.count, labels, metricName: `${this.name}_count` });
    }
    return out;
  }
}
