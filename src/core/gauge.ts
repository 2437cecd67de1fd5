import type { ScalarSeries } from '../exposition/model.js';
import type { LabelValue, LabelValues } from './label-values.js';
import { Metric, type MetricConfiguration, type MetricValue, type SeriesBase } from './metric.js';
import { SlotStore } from './slot-store.js';
import { startClock } from './timer.js';
import type { LabelTuple } from './typed-labels.js';

export type GaugeConfiguration<T extends string> = MetricConfiguration<T>;

function assertNumber(metricName: string, op: string, value: unknown): asserts value is number {
  if (typeof value !== 'number') throw new TypeError(`gauge '${metricName}': ${op}() takes a number, got ${typeof value}`);
}

/** One gauge series; also the child `labels(...)` returns. Gauges may hold NaN and ±Inf. */
export class GaugeChild implements SeriesBase, ScalarSeries {
  slot: number;

  constructor(
    readonly labelText: string,
    private readonly store: SlotStore,
  ) {
    this.slot = store.alloc();
  }

  get value(): number {
    return this.slot < 0 ? 0 : this.store.data[this.slot];
  }

  private live(): GaugeChild {
    return this.slot < 0 ? (this.store.owner.reattach(this) as GaugeChild) : this;
  }

  set(value: number): void {
    assertNumber(this.store.metricName, 'set', value);
    const target = this.live();
    target.store.data[target.slot] = value;
  }

  inc(amount: number = 1): void {
    assertNumber(this.store.metricName, 'inc', amount);
    const target = this.live();
    target.store.data[target.slot] += amount;
  }

  dec(amount: number = 1): void {
    assertNumber(this.store.metricName, 'dec', amount);
    const target = this.live();
    target.store.data[target.slot] -= amount;
  }

  setToCurrentTime(): void {
    this.set(Date.now() / 1000);
  }

  /** Returns a function that sets the gauge to the seconds elapsed since this call. */
  startTimer(): () => number {
    const elapsed = startClock();
    return () => {
      const seconds = elapsed();
      this.set(seconds);
      return seconds;
    };
  }

  get(): number {
    return this.value;
  }

  detach(): void {
    if (this.slot >= 0) this.store.free(this.slot);
    this.slot = -1;
  }

  revive(): void {
    this.slot = this.store.alloc();
  }

  get created(): number {
    return this.store.createdOf(this.slot);
  }
}

/** A value that goes up and down. API compatible with prom-client's Gauge. */
export class GaugeImpl<T extends string = string, V extends readonly LabelValue[] = LabelValue[]> extends Metric<T, GaugeChild> {
  readonly type = 'gauge' as const;
  private readonly store: SlotStore;

  constructor(config: GaugeConfiguration<T>) {
    super(config, [], 'sum');
    this.store = new SlotStore(1, this.name, this);
    this.finishConstruction(config);
  }

  protected createSeries(labelText: string): GaugeChild {
    return new GaugeChild(labelText, this.store);
  }

  protected revive(child: GaugeChild): void {
    child.revive();
  }

  protected clearStorage(): void {
    this.store.clear();
  }

  private pick(labels: LabelValues<T> | undefined): GaugeChild {
    return labels === undefined ? (this.unlabelled ?? this.seriesForRecord({})) : this.seriesForRecord(labels);
  }

  set(value: number): void;
  set(labels: LabelValues<T>, value: number): void;
  set(a: number | LabelValues<T>, b?: number): void {
    if (typeof a === 'number') this.pick(undefined).set(a);
    else this.pick(a).set(b as number);
  }

  inc(value?: number): void;
  inc(labels: LabelValues<T>, value?: number): void;
  inc(a?: number | LabelValues<T>, b?: number): void {
    if (a === undefined || typeof a === 'number') this.pick(undefined).inc(a === undefined ? 1 : a);
    else this.pick(a).inc(b === undefined ? 1 : b);
  }

  dec(value?: number): void;
  dec(labels: LabelValues<T>, value?: number): void;
  dec(a?: number | LabelValues<T>, b?: number): void {
    if (a === undefined || typeof a === 'number') this.pick(undefined).dec(a === undefined ? 1 : a);
    else this.pick(a).dec(b === undefined ? 1 : b);
  }

  setToCurrentTime(labels?: LabelValues<T>): void {
    this.pick(labels).setToCurrentTime();
  }

  /** Returns a function that sets the gauge to the elapsed seconds; labels may be given at either end. */
  startTimer(labels?: LabelValues<T>): (endLabels?: LabelValues<T>) => number {
    const elapsed = startClock();
    return (endLabels) => {
      const seconds = elapsed();
      this.pick(labels || endLabels ? ({ ...labels, ...endLabels } as LabelValues<T>) : undefined).set(seconds);
      return seconds;
    };
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
