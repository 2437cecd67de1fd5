import type { ScalarSeries } from '../exposition/model.js';
import type { LabelValue, LabelValues } from './label-values.js';
import { exemplarToJson, makeExemplar, Metric, type MetricConfiguration, type MetricValue, type RecordedExemplar } from './metric.js';
import { currentExemplar } from './exemplar-provider.js';
import { ScalarSlotChild } from './slot-child.js';
import { SlotStore } from './slot-store.js';
import type { LabelTuple } from './typed-labels.js';

export type CounterConfiguration<T extends string> = MetricConfiguration<T, CounterImpl<T>>;

export interface IncreaseDataWithExemplar<T extends string> {
  labels?: LabelValues<T>;
  value?: number;
  exemplarLabels?: Record<string, LabelValue>;
}

function badIncrement(metricName: string, amount: unknown): RangeError {
  const why = typeof amount !== 'number' ? `a ${typeof amount}` : String(amount);
  return new RangeError(`counter '${metricName}': increment must be a finite number >= 0, got ${why}`);
}

/**
 * One counter series; also the child `labels(...)` returns. Its value lives in the
 * metric's slot store, so a bound `inc()` is one typed-array add.
 */
export class CounterChild extends ScalarSlotChild implements ScalarSeries {
  get exemplar(): RecordedExemplar | undefined {
    return this.store.exemplars?.get(this.slot) as RecordedExemplar | undefined;
  }

  inc(amount: number = 1, exemplarLabels?: Record<string, LabelValue>): void {
    if (typeof amount !== 'number' || !(amount >= 0 && amount < Infinity)) throw badIncrement(this.store.metricName, amount);
    const slot = this.slot;
    if (slot < 0) {
      (this.store.owner.reattach(this) as CounterChild).inc(amount, exemplarLabels);
      return;
    }
    const store = this.store;
    store.data[slot] += amount;
    store.touch(slot);
    const exemplar = exemplarLabels ?? (store.autoExemplars ? currentExemplar() : undefined);
    if (exemplar !== undefined) {
      store.exemplars ??= new Map();
      store.exemplars.set(slot, makeExemplar(store.metricName, exemplar, amount));
    }
  }
}

/** A monotonically increasing count. API compatible with prom-client's Counter. */
export class CounterImpl<T extends string = string, V extends readonly LabelValue[] = LabelValue[]> extends Metric<T, CounterChild> {
  readonly type = 'counter' as const;
  private readonly store: SlotStore;

  constructor(config: CounterConfiguration<T>) {
    super(config, [], 'sum');
    this.store = this.storage = new SlotStore(1, this.name, this, this.enableExemplars);
    this.finishConstruction(config);
  }

  protected createSeries(labelHead: string, labelLast?: string): CounterChild {
    return new CounterChild(labelHead, labelLast, this.store);
  }

  inc(value?: number): void;
  inc(labels: LabelValues<T>, value?: number): void;
  inc(data: IncreaseDataWithExemplar<T>): void;
  inc(a?: number | LabelValues<T> | IncreaseDataWithExemplar<T>, b?: number): void {
    if (a === undefined || typeof a === 'number') {
      (this.unlabelled ?? this.seriesForRecord({})).inc(a === undefined ? 1 : a);
    } else if (this.enableExemplars) {
      const data = a as IncreaseDataWithExemplar<T>;
      this.seriesForRecord(data.labels ?? {}).inc(data.value === undefined ? 1 : data.value, data.exemplarLabels);
    } else {
      this.seriesForRecord(a as Record<string, unknown>).inc(b === undefined ? 1 : b);
    }
  }

  /** The child for these label values, cached: keep it to make `inc()` a single add. */
  labels(...values: V): CounterChild;
  labels(labels: LabelValues<T>): CounterChild;
  labels(...args: readonly unknown[]): CounterChild {
    return this.childFor(args);
  }

  protected valuesForJson(): MetricValue[] {
    return [...this.series].map((s) => {
      const exemplar = s.exemplar;
      return { value: s.value, labels: this.labelsOf(s), ...(exemplar ? { exemplar: exemplarToJson(exemplar) } : {}) };
    });
  }
}

export interface CounterConstructor {
  new <const N extends readonly string[]>(config: CounterConfiguration<N[number]> & { labelNames: N }): CounterImpl<N[number], LabelTuple<N>>;
  new <T extends string = string>(config: CounterConfiguration<T>): CounterImpl<T>;
  readonly prototype: CounterImpl;
}

/**
 * `new Counter({ name, help, labelNames })`. With `labelNames` written inline (or `as
 * const`), `labels(...)` arity and `inc({...})` keys are checked by the compiler.
 */
export const Counter = CounterImpl as CounterConstructor;
export type Counter<T extends string = string, V extends readonly LabelValue[] = LabelValue[]> = CounterImpl<T, V>;

// prom-client's typings name a child `Counter.Internal<T>`; keep that spelling working.
export declare namespace Counter {
  type Internal<T extends string = string> = CounterChild & { readonly __labels?: T };
  type Config<T extends string = string> = CounterConfiguration<T>;
}
