import type { LabelValue, LabelValues } from '../label-values.js';
import { startTimerFor } from '../timer.js';
import { SharedMetric } from './shared-metric.js';
import type { SharedStore } from './shared-store.js';

/** Throws prom-client's kind of error for a value a histogram or summary cannot take. */
export function assertObservable(kind: string, metricName: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !(value - value === 0)) {
    throw new RangeError(`${kind} '${metricName}': observed value must be a finite number, got ${typeof value === 'number' ? value : typeof value}`);
  }
}

/**
 * A thread's handle on one series that takes observations (histogram, summary): its
 * numbers start at `offset` of the store; `layout` is what the kind needs to write them
 * (a histogram's bucket bounds, a summary's ring).
 */
export abstract class SharedObservingChild<L> {
  constructor(
    readonly labelText: string,
    protected readonly store: SharedStore,
    protected readonly offset: number,
    protected readonly layout: L,
  ) {}

  abstract observe(value: number): void;

  startTimer(): () => number {
    return startTimerFor((seconds) => this.observe(seconds));
  }
}

/** The write API histograms and summaries share: observe, startTimer and labels, as prom-client's. */
export abstract class SharedObservedMetric<T extends string, V extends readonly LabelValue[], C extends SharedObservingChild<unknown>> extends SharedMetric<
  T,
  C
> {
  observe(value: number): void;
  observe(labels: LabelValues<T>, value: number): void;
  observe(a: number | LabelValues<T>, b?: number): void {
    if (typeof a === 'number') this.seriesFor(undefined).observe(a);
    else this.seriesFor(a).observe(b as number);
  }

  /** prom-client's: the returned function observes the seconds since the call, on the series of the labels given at either end. */
  startTimer(labels?: LabelValues<T>): (endLabels?: LabelValues<T>) => number {
    return startTimerFor((seconds, endLabels?: LabelValues<T>) =>
      this.seriesFor(labels || endLabels ? { ...labels, ...endLabels } : undefined).observe(seconds),
    );
  }

  labels(...values: V): C;
  labels(labels: LabelValues<T>): C;
  labels(...args: readonly unknown[]): C {
    return this.childFor(args);
  }
}
