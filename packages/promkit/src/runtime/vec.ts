import type { CounterChild } from '../core/counter.js';
import type { GaugeChild } from '../core/gauge.js';
import type { HistogramChild } from '../core/histogram.js';
import type { LabelValue } from '../core/label-values.js';
import type { LabelTuple } from '../core/typed-labels.js';

/** The part of a core metric a vec drives. */
export interface LabelledMetric<C> {
  readonly name: string;
  labels(...values: LabelValue[]): C;
  remove(...values: LabelValue[]): void;
  removeUnder(prefix: readonly string[]): void;
}

/**
 * A metric with variable labels, bound to one scope (its auto and const label values).
 * `withLabelValues(...)` returns the cached child: keep it to make updates one field add.
 */
export class MetricVec<C, L extends readonly string[] = readonly string[]> {
  constructor(
    private readonly metric: LabelledMetric<C>,
    private readonly bound: readonly string[],
    readonly labelNames: L,
  ) {}

  get name(): string {
    return this.metric.name;
  }

  /** The child for these values, given as arguments or as one array. */
  withLabelValues(...values: LabelTuple<L>): C;
  withLabelValues(values: LabelTuple<L>): C;
  withLabelValues(...args: unknown[]): C {
    return this.metric.labels(...this.fullValues('withLabelValues', args));
  }

  /** Drops one child (its series disappears from the exposition). */
  removeLabelValues(...values: LabelTuple<L>): void;
  removeLabelValues(values: LabelTuple<L>): void;
  removeLabelValues(...args: unknown[]): void {
    this.metric.remove(...this.fullValues('removeLabelValues', args));
  }

  /** Drops every child of this vec in its scope; other scopes' series stay. */
  reset(): void {
    this.metric.removeUnder(this.bound);
  }

  private fullValues(method: string, args: unknown[]): LabelValue[] {
    const values = args.length === 1 && Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
    if (values.length !== this.labelNames.length) {
      throw new TypeError(
        `${method}: metric '${this.metric.name}' has ${this.labelNames.length} variable label(s) [${this.labelNames.join(', ')}] but got ${values.length} value(s)`,
      );
    }
    return [...this.bound, ...(values as LabelValue[])];
  }
}

export type CounterVec<L extends readonly string[] = readonly string[]> = MetricVec<CounterChild, L>;
export type GaugeVec<L extends readonly string[] = readonly string[]> = MetricVec<GaugeChild, L>;
export type HistogramVec<L extends readonly string[] = readonly string[]> = MetricVec<HistogramChild, L>;
