import type { ScalarSeries } from '../exposition/model.js';
import type { LabelValue, LabelValues } from './label-values.js';
import { Metric, type MetricConfiguration, type MetricValue } from './metric.js';
import { ScalarSlotChild } from './slot-child.js';
import { SlotStore } from './slot-store.js';
import { startTimerFor } from './timer.js';
import type { LabelTuple } from './typed-labels.js';

export type GaugeConfiguration<T extends string> = MetricConfiguration<T, GaugeImpl<T>>;

function assertNumber(metricName: string, op: string, value: unknown): asserts value is number {
  if (typeof value !== 'number') throw new TypeError(`gauge '${metricName}': ${op}() takes a number, got ${typeof value}`);
}

/** One gauge series; also the child `labels(...)` returns. Gauges may hold NaN and ±Inf. */
export class GaugeChild extends ScalarSlotChild implements ScalarSeries {
  set(value: number): void {
    assertNumber(this.store.metricName, 'set', value);
    const target = this.live();
    target.store.data[target.slot] = value;
    target.store.touch(target.slot);
  }

  inc(amount: number = 1): void {
    assertNumber(this.store.metricName, 'inc', amount);
    const target = this.live();
    target.store.data[target.slot] += amount;
    target.store.touch(target.slot);
  }

  dec(amount: number = 1): void {
    assertNumber(this.store.metricName, 'dec', amount);
    const target = this.live();
    target.store.data[target.slot] -= amount;
    target.store.touch(target.slot);
  }

  setToCurrentTime(): void {
    this.set(Date.now() / 1000);
  }

  /** Returns a function that sets the gauge to the seconds elapsed since this call. */
  startTimer(): () => number {
    return startTimerFor((seconds) => this.set(seconds));
  }
}

/** A value that goes up and down. API compatible with prom-client's Gauge. */
export class GaugeImpl<T extends string = string, V extends readonly LabelValue[] = LabelValue[]> extends Metric<T, GaugeChild> {
  readonly type = 'gauge' as const;
  private readonly store: SlotStore;

  constructor(config: GaugeConfiguration<T>) {
    super(config, [], 'sum');
    this.store = this.storage = new SlotStore(1, this.name, this);
    this.finishConstruction(config);
  }

  protected createSeries(labelHead: string, labelLast?: string): GaugeChild {
    return new GaugeChild(labelHead, labelLast, this.store);
  }

  set(value: number): void;
  set(labels: LabelValues<T>, value: number): void;
  set(a: number | LabelValues<T>, b?: number): void {
    if (typeof a === 'number') this.seriesFor(undefined).set(a);
    else this.seriesFor(a).set(b as number);
  }

  inc(value?: number): void;
  inc(labels: LabelValues<T>, value?: number): void;
  inc(a?: number | LabelValues<T>, b?: number): void {
    if (a === undefined || typeof a === 'number') this.seriesFor(undefined).inc(a === undefined ? 1 : a);
    else this.seriesFor(a).inc(b === undefined ? 1 : b);
  }

  dec(value?: number): void;
  dec(labels: LabelValues<T>, value?: number): void;
  dec(a?: number | LabelValues<T>, b?: number): void {
    if (a === undefined || typeof a === 'number') this.seriesFor(undefined).dec(a === undefined ? 1 : a);
    else this.seriesFor(a).dec(b === undefined ? 1 : b);
  }

  setToCurrentTime(labels?: LabelValues<T>): void {
    this.seriesFor(labels).setToCurrentTime();
  }

  /** Returns a function that sets the gauge to the elapsed seconds; labels may be given at either end. */
  startTimer(labels?: LabelValues<T>): (endLabels?: LabelValues<T>) => number {
    return this.timerFor(labels, (series, seconds) => series.set(seconds));
  }

  labels(...values: V): GaugeChild;
  labels(labels: LabelValues<T>): GaugeChild;
  labels(...args: readonly unknown[]): GaugeChild {
    return this.childFor(args);
  }

  protected valuesForJson(): MetricValue[] {
    return [...this.series].map((s) => ({ value: s.value, labels: this.labelsOf(s) }));
  }
}

export interface GaugeConstructor {
  new <const N extends readonly string[]>(config: GaugeConfiguration<N[number]> & { labelNames: N }): GaugeImpl<N[number], LabelTuple<N>>;
  new <T extends string = string>(config: GaugeConfiguration<T>): GaugeImpl<T>;
  readonly prototype: GaugeImpl;
}

export const Gauge = GaugeImpl as GaugeConstructor;
export type Gauge<T extends string = string, V extends readonly LabelValue[] = LabelValue[]> = GaugeImpl<T, V>;

// prom-client's typings name a child `Gauge.Internal<T>`; keep that spelling working.
export declare namespace Gauge {
  type Internal<T extends string = string> = GaugeChild & { readonly __labels?: T };
  type Config<T extends string = string> = GaugeConfiguration<T>;
}
