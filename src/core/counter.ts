import type { ScalarSeries } from '../exposition/model.js';
import type { LabelValue, LabelValues } from './label-values.js';
import { exemplarToJson, makeExemplar, Metric, type RecordedExemplar, nowSeconds, type MetricConfiguration, type MetricValue, type SeriesBase } from './metric.js';
import type { LabelTuple } from './typed-labels.js';

export type CounterConfiguration<T extends string> = MetricConfiguration<T>;

export interface IncreaseDataWithExemplar<T extends string> {
  labels?: LabelValues<T>;
  value?: number;
  exemplarLabels?: Record<string, LabelValue>;
}

function assertIncrement(metricName: string, amount: unknown): asserts amount is number {
  if (typeof amount !== 'number' || !(amount >= 0 && amount < Infinity)) {
    const why = typeof amount !== 'number' ? `a ${typeof amount}` : String(amount);
    throw new RangeError(`counter '${metricName}': increment must be a finite number >= 0, got ${why}`);
  }
}

/** One counter series; also the child `labels(...)` returns, so a bound `inc()` is one add. */
export class CounterChild implements SeriesBase, ScalarSeries {
  value = 0;
  created = nowSeconds();
  exemplar: RecordedExemplar | undefined = undefined;

  constructor(
    readonly labelValues: readonly string[],
    readonly labelText: string,
    private readonly metricName: string,
  ) {}

  inc(amount: number = 1, exemplarLabels?: Record<string, LabelValue>): void {
    assertIncrement(this.metricName, amount);
    this.value += amount;
    if (exemplarLabels !== undefined) this.exemplar = makeExemplar(this.metricName, exemplarLabels, amount);
  }

  /** The current value (promkit extension; prom-client needs `await get()`). */
  get(): number {
    return this.value;
  }
}

/** A monotonically increasing count. API compatible with prom-client's Counter. */
export class CounterImpl<T extends string = string, V extends readonly LabelValue[] = LabelValue[]> extends Metric<T, CounterChild> {
  readonly type = 'counter' as const;

  constructor(config: CounterConfiguration<T>) {
    super(config, [], 'sum');
    this.finishConstruction(config);
  }

  protected createSeries(labelValues: readonly string[], labelText: string): CounterChild {
    return new CounterChild(labelValues, labelText, this.name);
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
    if (args.length === 1 && args[0] !== null && typeof args[0] === 'object') return this.seriesForRecord(args[0] as Record<string, unknown>);
    return this.seriesForValues(args);
  }

  protected valuesForJson(): MetricValue[] {
    return [...this.seriesSet].map((s) => ({
      value: s.value,
      labels: this.labelsOf(s),
      ...(s.exemplar ? { exemplar: exemplarToJson(s.exemplar) } : {}),
    }));
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
