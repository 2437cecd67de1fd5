import type { MetricFamily, ScalarFamily, ScalarSeries } from '../../exposition/model.js';
import { parseLabelRecord } from '../../exposition/escape.js';
import type { LabelValue, LabelValues } from '../label-values.js';
import type { MetricObjectWithValues } from '../metric.js';
import { SharedMetric, withLabel } from './shared-metric.js';
import { columnCreated, type SharedStore } from './shared-store.js';

/** One series of a scrape, refreshed in place each scrape (no object per series per scrape). */
class ScrapedScalar implements ScalarSeries {
  value = 0;
  created = 0;
  constructor(readonly labelText: string) {}
}

/** A thread's handle on one counter series: a bound `inc()` is one add into the thread's own column. */
export class SharedCounterChild {
  constructor(
    readonly labelText: string,
    private readonly store: SharedStore,
    private readonly offset: number,
  ) {}

  inc(amount: number = 1): void {
    if (typeof amount !== 'number' || !(amount >= 0 && amount < Infinity)) {
      throw new RangeError(
        `counter '${this.store.metricName}': increment must be a finite number >= 0, got ${typeof amount !== 'number' ? `a ${typeof amount}` : amount}`,
      );
    }
    this.store.view[this.offset] += amount;
  }
}

/** A thread's handle on one gauge series; its value is this thread's share (see the aggregator). */
export class SharedGaugeChild {
  constructor(
    readonly labelText: string,
    private readonly store: SharedStore,
    private readonly offset: number,
  ) {}

  set(value: number): void {
    if (typeof value !== 'number') throw new TypeError(`gauge '${this.store.metricName}': set() takes a number, got ${typeof value}`);
    this.store.view[this.offset] = value;
  }

  inc(amount: number = 1): void {
    if (typeof amount !== 'number') throw new TypeError(`gauge '${this.store.metricName}': inc() takes a number, got ${typeof amount}`);
    this.store.view[this.offset] += amount;
  }

  dec(amount: number = 1): void {
    if (typeof amount !== 'number') throw new TypeError(`gauge '${this.store.metricName}': dec() takes a number, got ${typeof amount}`);
    this.store.view[this.offset] -= amount;
  }

  setToCurrentTime(): void {
    this.set(Date.now() / 1000);
  }

  /** This thread's value of the series. */
  get(): number {
    return this.store.view[this.offset];
  }
}

abstract class SharedScalarMetric<T extends string, C> extends SharedMetric<T, C> {
  protected readonly scraped: ScrapedScalar[] = [];

  /** The cached scrape view of series `s`, created when the series is first scraped. */
  protected scrapedSeries(s: number): ScrapedScalar {
    this.scraped[s] ??= new ScrapedScalar(this.store.labelTexts[s]);
    return this.scraped[s];
  }

  protected jsonValues(family: MetricFamily): MetricObjectWithValues['values'] {
    return [...(family as ScalarFamily).series].map((s) => ({ value: s.value, labels: parseLabelRecord(s.labelText) }));
  }
}

/** A counter every thread adds to; a scrape sums the threads' columns, exited threads included. */
export class SharedCounter<T extends string = string, V extends readonly LabelValue[] = LabelValue[]> extends SharedScalarMetric<T, SharedCounterChild> {
  readonly type = 'counter' as const;

  protected createChild(labelText: string, offset: number): SharedCounterChild {
    return new SharedCounterChild(labelText, this.store, offset);
  }

  inc(value?: number): void;
  inc(labels: LabelValues<T>, value?: number): void;
  inc(a?: number | LabelValues<T>, b?: number): void {
    if (a === undefined || typeof a === 'number') this.seriesFor(undefined).inc(a ?? 1);
    else this.seriesFor(a).inc(b ?? 1);
  }

  labels(...values: V): SharedCounterChild;
  labels(labels: LabelValues<T>): SharedCounterChild;
  labels(...args: readonly unknown[]): SharedCounterChild {
    return this.childFor(args);
  }

  gatherFamily(): ScalarFamily {
    const count = this.store.sync();
    return { type: 'counter', name: this.name, help: this.help, series: { [Symbol.iterator]: () => this.read(count) } };
  }

  /**
   * Sums the columns as the encoder asks for each series, so the work is cut into the
   * encoder's time slices instead of one synchronous pass over every series.
   */
  private *read(count: number): Generator<ScrapedScalar> {
    const { stride, width } = this.store;
    for (let s = 0; s < count; s++) {
      const view = this.store.view;
      let value = 0;
      let created = Infinity;
      for (let o = s * stride, end = o + stride; o < end; o += width) {
        value += view[o];
        const t = columnCreated(view, o, width);
        if (t > 0 && t < created) created = t;
      }
      // A series is exposed once some thread has touched it (published a moment before its first stamp).
      if (created === Infinity) continue;
      const out = this.scrapedSeries(s);
      out.value = value;
      out.created = created;
      yield out;
    }
  }
}

/** A gauge each thread sets in its own column; a scrape combines live threads' values by `aggregator`. */
export class SharedGauge<T extends string = string, V extends readonly LabelValue[] = LabelValue[]> extends SharedScalarMetric<T, SharedGaugeChild> {
  readonly type = 'gauge' as const;
  private readonly perThread = new Map<number, ScrapedScalar>();

  protected createChild(labelText: string, offset: number): SharedGaugeChild {
    return new SharedGaugeChild(labelText, this.store, offset);
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
    if (a === undefined || typeof a === 'number') this.seriesFor(undefined).inc(a ?? 1);
    else this.seriesFor(a).inc(b ?? 1);
  }

  dec(value?: number): void;
  dec(labels: LabelValues<T>, value?: number): void;
  dec(a?: number | LabelValues<T>, b?: number): void {
    if (a === undefined || typeof a === 'number') this.seriesFor(undefined).dec(a ?? 1);
    else this.seriesFor(a).dec(b ?? 1);
  }

  labels(...values: V): SharedGaugeChild;
  labels(labels: LabelValues<T>): SharedGaugeChild;
  labels(...args: readonly unknown[]): SharedGaugeChild {
    return this.childFor(args);
  }

  gatherFamily(): ScalarFamily {
    const count = this.store.sync();
    // A free column is an exited thread: its levels describe nothing any more.
    const live: number[] = [];
    for (let c = 0; c < this.store.columns; c++) if (this.table.isLive(c)) live.push(c);
    return { type: 'gauge', name: this.name, help: this.help, series: { [Symbol.iterator]: () => this.read(count, live) } };
  }

  private *read(count: number, live: readonly number[]): Generator<ScrapedScalar> {
    const aggregator = this.aggregator;
    const { stride, width, columns } = this.store;
    const threadLabel = this.definition.threadLabel;
    for (let s = 0; s < count; s++) {
      const view = this.store.view;
      let n = 0;
      let acc = 0;
      let created = Infinity;
      for (const c of live) {
        const o = s * stride + c * width;
        const t = columnCreated(view, o, width);
        if (t === 0) continue;
        const v = view[o];
        if (threadLabel !== undefined) {
          const key = s * columns + c;
          let out = this.perThread.get(key);
          if (out === undefined) {
            out = new ScrapedScalar(withLabel(this.store.labelTexts[s], threadLabel, String(c)));
            this.perThread.set(key, out);
          }
          out.value = v;
          out.created = t;
          yield out;
          continue;
        }
        if (n === 0) acc = v;
        else if (aggregator === 'min') acc = Math.min(acc, v);
        else if (aggregator === 'max') acc = Math.max(acc, v);
        else if (aggregator !== 'first') acc += v;
        n++;
        if (t < created) created = t;
      }
      if (threadLabel !== undefined || n === 0) continue;
      const out = this.scrapedSeries(s);
      out.value = aggregator === 'average' ? acc / n : acc;
      out.created = created;
      yield out;
    }
  }
}
