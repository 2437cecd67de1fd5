import type { LabelValue, LabelValues } from '../label-values.js';
import { startClock } from '../timer.js';
import { SharedMetric } from './shared-metric.js';

/** Throws prom-client's kind of error for a value a histogram or summary cannot take. */
export function assertObservable(kind: string, metricName: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !(value - value === 0)) {
    throw new RangeError(`${kind} '${metricName}': observed value must be a finite number, got ${typeof value === 'number' ? value : typeof value}`);
  }
}

/** A thread's handle on one series that takes observations (histogram, summary). */
export abstract class SharedObservingChild {
  abstract observe(value: number): void;

  startTimer(): () => number {
    const elapsed = startClock();
    return () => {
      const seconds = elapsed();
      this.observe(seconds);
      return seconds;
    };
  }
}

/** The write API histograms and summaries share: observe, startTimer and labels, as prom-client's. */
export abstract class SharedObservedMetric<T extends string, V extends readonly LabelValue[], C extends SharedObservingChild> extends SharedMetric<T, C> {
  observe(value: number): void;
  observe(labels: LabelValues<T>, value: number): void;
  observe(a: number | LabelValues<T>, b?: number): void {
    if (typeof a === 'number') this.seriesFor(undefined).observe(a);
    else this.seriesFor(a).observe(b as number);
  }

  startTimer(labels?: LabelValues<T>): () => number {
    const elapsed = startClock();
    return () => {
      const seconds = elapsed();
      this.seriesFor(labels).observe(seconds);
      return seconds;
    };
  }

  labels(...values: V): C;
  labels(labels: LabelValues<T>): C;
  labels(...args: readonly unknown[]): C {
    return this.childFor(args);
  }
}
