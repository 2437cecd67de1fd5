/**
 * The data model the encoders read. It is deliberately structural and owned by the
 * exposition layer, so encoders stay free of engine internals: the core engine's
 * metrics implement these interfaces directly (no per-scrape snapshot objects).
 */

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

/** An exemplar attached to a counter sample or a histogram bucket (OpenMetrics only). */
export interface Exemplar {
  /** Pre-rendered label text without braces, e.g. `trace_id="abc"`. */
  readonly labelText: string;
  readonly value: number;
  /** Seconds since the epoch. */
  readonly timestamp: number;
}

/** One series of a counter, gauge or untyped family. */
export interface ScalarSeries {
  /** Pre-rendered, escaped label pairs without braces (`a="x",b="y"`), or ''. */
  readonly labelText: string;
  /**
   * Optionally the same text in two pieces, `labelHead + labelLast + '"'` (e.g. `a="x",b="`
   * and `y`), which the engine's series keep instead of the whole text: the text encoder
   * writes the pieces rather than joining them first.
   */
  readonly labelHead?: string;
  readonly labelLast?: string | undefined;
  readonly value: number;
  /** Creation time in seconds since the epoch (for OpenMetrics `_created`). */
  readonly created: number;
  readonly exemplar?: Exemplar | undefined;
}

/**
 * One series of a histogram family. Its numbers live in `values` from `offset` on:
 * one count per bucket (not cumulative; upperBounds.length + 1 of them, the last for
 * +Inf), then the sum, then the count. A shared array with offsets lets the engine
 * keep every series of a family in one typed array.
 */
export interface HistogramSeries {
  readonly labelText: string;
  /** As ScalarSeries.labelHead and labelLast. */
  readonly labelHead?: string;
  readonly labelLast?: string | undefined;
  readonly values: ArrayLike<number>;
  readonly offset: number;
  readonly created: number;
  /** Optional exemplar per bucket, indexed like the bucket counts. */
  readonly exemplars?: ReadonlyArray<Exemplar | undefined> | undefined;
  /** The native (sparse exponential) buckets, for histograms that keep them. */
  readonly native?: NativeHistogramBuckets | undefined;
}

/** A run of consecutive native buckets: `offset` from the end of the previous span (or from 0), `length` buckets. */
export interface BucketSpan {
  readonly offset: number;
  readonly length: number;
}

/**
 * Native histogram buckets as both exposition protobuf and remote write carry them:
 * bucket i of schema s has upper bound 2^(i * 2^-s); counts as deltas to the previous
 * bucket. Count and sum are the histogram's own (shared with the classic buckets).
 */
export interface NativeHistogramBuckets {
  readonly schema: number;
  readonly zeroThreshold: number;
  readonly zeroCount: number;
  readonly positiveSpans: readonly BucketSpan[];
  readonly positiveDeltas: readonly number[];
  readonly negativeSpans: readonly BucketSpan[];
  readonly negativeDeltas: readonly number[];
}

/** One series of a summary family, with quantiles computed for this scrape. */
export interface SummarySeries {
  readonly labelText: string;
  readonly quantiles: ReadonlyArray<readonly [quantile: number, value: number]>;
  readonly sum: number;
  readonly count: number;
  readonly created: number;
}

interface FamilyBase {
  /** Family name; for counters, without the `_total` suffix. */
  readonly name: string;
  readonly help: string;
  readonly unit?: string | undefined;
}

export interface ScalarFamily extends FamilyBase {
  readonly type: 'counter' | 'gauge' | 'untyped';
  readonly series: Iterable<ScalarSeries>;
}

export interface HistogramFamily extends FamilyBase {
  readonly type: 'histogram';
  /** Finite upper bounds, ascending; +Inf is implied. */
  readonly upperBounds: readonly number[];
  readonly series: Iterable<HistogramSeries>;
}

export interface SummaryFamily extends FamilyBase {
  readonly type: 'summary';
  readonly series: Iterable<SummarySeries>;
}

export type MetricFamily = ScalarFamily | HistogramFamily | SummaryFamily;
