import type { MetricFamily, SummaryFamily, SummarySeries } from '../exposition/model.js';
import type { LabelValue, LabelValues } from './label-values.js';
import { joinLabelText } from './label-text-parts.js';
import { Metric, nowWholeSeconds, type MetricConfiguration, type MetricValue, type SeriesBase } from './metric.js';
import { QuantileDigest, TimeWindowQuantiles } from './quantile-digest.js';
import { startTimerFor } from './timer.js';
import type { LabelTuple } from './typed-labels.js';

export interface SummaryConfiguration<T extends string> extends MetricConfiguration<T, SummaryImpl<T>> {
  /** Quantiles to report, each in [0, 1]. Default: prom-client's. */
  percentiles?: readonly number[];
  /** Window for quantiles; without it quantiles cover all observations since start. */
  maxAgeSeconds?: number;
  ageBuckets?: number;
  /** Drop label sets with no observation left in the window at scrape time. */
  pruneAgedBuckets?: boolean;
  /** Digest compression: higher is more precise and uses more memory. Default 200 (rank error under 1% at the median; 100 measured up to 2.5% on skewed data). */
  compressCount?: number;
}

export const DEFAULT_PERCENTILES: readonly number[] = [0.01, 0.05, 0.5, 0.9, 0.95, 0.99, 0.999];

type Estimator = Pick<QuantileDigest, 'add' | 'quantile' | 'count' | 'reset'>;

/** One summary series: cumulative sum and count, windowed quantiles. */
export class SummaryChild implements SeriesBase {
  sum = 0;
  count = 0;
  created = nowWholeSeconds();
  /** The owner's seriesEpoch at the last write, for the series TTL. */
  touched: number;
  private detached = false;

  constructor(
    readonly labelText: string,
    readonly estimator: Estimator,
    private readonly owner: SummaryImpl<string>,
  ) {
    this.touched = owner.seriesEpoch;
  }

  observe(value: number): void {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new RangeError(`summary '${this.owner.name}': observed value must be a finite number, got ${typeof value === 'number' ? value : typeof value}`);
    }
    if (this.detached) {
      this.owner.reattach(this).observe(value);
      return;
    }
    this.estimator.add(value);
    this.sum += value;
    this.count++;
    this.touched = this.owner.seriesEpoch;
  }

  startTimer(): () => number {
    return startTimerFor((seconds) => this.observe(seconds));
  }

  detach(): void {
    this.detached = true;
  }

  revive(): void {
    this.detached = false;
    this.sum = 0;
    this.count = 0;
    this.estimator.reset();
    this.created = nowWholeSeconds();
    this.touched = this.owner.seriesEpoch;
  }
}

/** Observations summarised as quantiles over a sliding window. API compatible with prom-client's Summary. */
export class SummaryImpl<T extends string = string, V extends readonly LabelValue[] = LabelValue[]> extends Metric<T, SummaryChild> {
  readonly type = 'summary' as const;
  readonly percentiles: readonly number[];
  private readonly maxAgeSeconds: number | undefined;
  private readonly ageBuckets: number;
  private readonly pruneAgedBuckets: boolean;
  private readonly compressCount: number | undefined;

  constructor(config: SummaryConfiguration<T>) {
    super(config, ['quantile'], 'sum');
    const percentiles = [...(config.percentiles ?? DEFAULT_PERCENTILES)];
    for (const p of percentiles) {
      if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new RangeError(`summary '${config.name}': percentile ${String(p)} is not in [0, 1]`);
    }
    if (config.maxAgeSeconds !== undefined && !(config.maxAgeSeconds > 0)) {
      throw new RangeError(`summary '${config.name}': maxAgeSeconds must be positive, got ${config.maxAgeSeconds}`);
    }
    const ageBuckets = config.ageBuckets ?? 5;
    if (!Number.isInteger(ageBuckets) || ageBuckets < 1)
      throw new RangeError(`summary '${config.name}': ageBuckets must be a positive integer, got ${ageBuckets}`);
    this.percentiles = Object.freeze(percentiles.sort((a, b) => a - b));
    this.maxAgeSeconds = config.maxAgeSeconds;
    this.ageBuckets = ageBuckets;
    this.pruneAgedBuckets = config.pruneAgedBuckets === true;
    this.compressCount = config.compressCount;
    this.finishConstruction(config);
  }

  protected createSeries(labelHead: string, labelLast?: string): SummaryChild {
    const estimator =
      this.maxAgeSeconds === undefined
        ? new QuantileDigest(this.compressCount)
        : new TimeWindowQuantiles(this.maxAgeSeconds, this.ageBuckets, this.compressCount);
    return new SummaryChild(joinLabelText(labelHead, labelLast), estimator, this as unknown as SummaryImpl<string>);
  }

  observe(value: number): void;
  observe(labels: LabelValues<T>, value: number): void;
  observe(a: number | LabelValues<T>, b?: number): void {
    if (typeof a === 'number') this.seriesFor(undefined).observe(a);
    else this.seriesFor(a).observe(b as number);
  }

  /** prom-client keeps a summary's label sets on reset, each back to zero observations. */
  override reset(): void {
    for (const s of this.series) s.revive();
  }

  startTimer(labels?: LabelValues<T>): (endLabels?: LabelValues<T>) => number {
    return this.timerFor(labels, (series, seconds) => series.observe(seconds));
  }

  labels(...values: V): SummaryChild;
  labels(labels: LabelValues<T>): SummaryChild;
  labels(...args: readonly unknown[]): SummaryChild {
    return this.childFor(args);
  }

  private livingSeries(): SummaryChild[] {
    const all = [...this.series];
    if (!this.pruneAgedBuckets) return all;
    return all.filter((s) => {
      if (s.estimator.count > 0) return true;
      // The unlabelled series cannot leave the metric: it starts over instead, and stays
      // hidden until it has an observation in the window (what prom-client exposes).
      if (this.labelNames.length === 0) s.revive();
      else this.remove(...this.valuesOf(s));
      return false;
    });
  }

  /** prom-client reports 0 for a quantile with nothing in the window. */
  private quantileOf(s: SummaryChild, q: number): number {
    const v = s.estimator.quantile(q);
    return Number.isNaN(v) ? 0 : v;
  }

  protected override toFamily(): MetricFamily {
    const series: SummarySeries[] = this.livingSeries().map((s) => ({
      labelText: s.labelText,
      quantiles: this.percentiles.map((q) => [q, this.quantileOf(s, q)] as const),
      sum: s.sum,
      count: s.count,
      created: s.created,
    }));
    const family: SummaryFamily = { type: 'summary', name: this.name, help: this.help, unit: this.unit, series };
    return family;
  }

  protected valuesForJson(): MetricValue[] {
    const out: MetricValue[] = [];
    for (const s of this.livingSeries()) {
      const labels = this.labelsOf(s);
      for (const q of this.percentiles) out.push({ labels: { quantile: q, ...labels }, value: this.quantileOf(s, q) });
      out.push({ value: s.sum, labels, metricName: `${this.name}_sum` });
      out.push({ value: s.count, labels, metricName: `${this.name}_count` });
    }
    return out;
  }
}

export interface SummaryConstructor {
  new <const N extends readonly string[]>(config: SummaryConfiguration<N[number]> & { labelNames: N }): SummaryImpl<N[number], LabelTuple<N>>;
  new <T extends string = string>(config: SummaryConfiguration<T>): SummaryImpl<T>;
  readonly prototype: SummaryImpl;
}

export const Summary = SummaryImpl as SummaryConstructor;
export type Summary<T extends string = string, V extends readonly LabelValue[] = LabelValue[]> = SummaryImpl<T, V>;

// prom-client's typings name a child `Summary.Internal<T>`; keep that spelling working.
export declare namespace Summary {
  type Internal<T extends string = string> = SummaryChild & { readonly __labels?: T };
  type Config<T extends string = string> = SummaryConfiguration<T>;
}
