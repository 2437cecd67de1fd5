import type { MetricFamily } from '../../exposition/model.js';
import { renderLabelPairs } from '../../exposition/escape.js';
import { labelValueToString } from '../label-values.js';
import type { Aggregator, MetricObjectWithValues } from '../metric.js';
import { SeriesIndex } from '../series-index.js';
import type { ColumnTable } from './column-table.js';
import type { SharedMetricDefinition, SharedMetricType } from './definition.js';
import type { SharedStore } from './shared-store.js';

/**
 * What the counter, gauge and histogram of a shared registry have in common, in one
 * thread: the thread's own index of children (label values → child), creating a series
 * through the shared log on a miss, and reading every thread's numbers at scrape time
 * (any thread may scrape; the registry's thread is the one that usually does).
 */
export abstract class SharedMetric<T extends string, C> {
  abstract readonly type: SharedMetricType;
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly T[];
  readonly aggregator: Aggregator;
  protected readonly index: SeriesIndex<C>;
  protected unlabelled: C | undefined;

  constructor(
    readonly definition: SharedMetricDefinition,
    protected readonly store: SharedStore,
    protected readonly table: ColumnTable,
  ) {
    this.name = definition.name;
    this.help = definition.help;
    this.labelNames = definition.labelNames as readonly T[];
    this.aggregator = definition.aggregator;
    this.index = new SeriesIndex<C>(this.name, this.labelNames, (labels) => this.throwUnknownLabel(labels));
    if (this.labelNames.length === 0) this.unlabelled = this.addChild([]);
    else
      Object.defineProperty(this, 'labels', { value: this.index.compilePositionalLookup((args) => this.childFor(args)), writable: true, configurable: true });
  }

  protected abstract createChild(labelText: string, offset: number): C;

  /** Scrape-time view of every thread's numbers. */
  abstract gatherFamily(): MetricFamily;

  protected abstract jsonValues(family: MetricFamily): MetricObjectWithValues['values'];

  private addChild(values: readonly string[]): C {
    const labelText = renderLabelPairs(this.labelNames, values);
    const child = this.createChild(labelText, this.store.offsetOf(this.store.seriesFor(labelText)));
    if (values.length > 0) this.index.set(values, child);
    return child;
  }

  protected childFor(args: ArrayLike<unknown>): C {
    const first = args[0];
    if (args.length === 1 && first !== null && typeof first === 'object') return this.seriesForRecord(first as Record<string, unknown>);
    if (args.length !== this.labelNames.length) {
      throw new TypeError(`metric '${this.name}' has ${this.labelNames.length} label(s) (${this.labelNames.join(', ')}) but got ${args.length} value(s)`);
    }
    if (this.unlabelled !== undefined) return this.unlabelled;
    return this.index.getByValues(args) ?? this.addChild(Array.from(args, (v, i) => labelValueToString(this.name, this.labelNames[i], v)));
  }

  protected seriesForRecord(labels: Readonly<Record<string, unknown>>): C {
    if (labels === null || typeof labels !== 'object') {
      throw new TypeError(`metric '${this.name}': labels must be an object, got ${labels === null ? 'null' : typeof labels}`);
    }
    const found = this.index.getByRecord(labels);
    if (this.unlabelled !== undefined) return this.unlabelled;
    return found ?? this.addChild(this.labelNames.map((n) => labelValueToString(this.name, n, labels[n])));
  }

  protected seriesFor(labels: Readonly<Record<string, unknown>> | undefined): C {
    return labels === undefined ? (this.unlabelled ?? this.seriesForRecord({})) : this.seriesForRecord(labels);
  }

  private throwUnknownLabel(labels: Readonly<Record<string, unknown>>): void {
    for (const key in labels) {
      if (!(this.labelNames as readonly string[]).includes(key)) {
        throw new TypeError(`metric '${this.name}': unknown label '${key}' (declared labels: ${this.labelNames.length ? this.labelNames.join(', ') : 'none'})`);
      }
    }
  }

  /** prom-client's `get()`, over every thread's numbers. */
  async get(): Promise<MetricObjectWithValues> {
    const family = this.gatherFamily();
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values: this.jsonValues(family) };
  }

  /**
   * prom-client's `remove(...values)` or `remove({labels})`: the series leaves every
   * thread's scrape, its numbers zeroed, until some thread writes it again (children
   * other threads hold keep writing to it). Its slot in shared memory stays (label text
   * crossed threads once and is not taken back). See SharedStore.clearSeries for a write
   * racing the removal.
   */
  remove(...args: unknown[]): void {
    const first = args[0];
    const values =
      args.length === 1 && first !== null && typeof first === 'object'
        ? this.labelNames.map((n) => labelValueToString(this.name, n, (first as Record<string, unknown>)[n]))
        : Array.from(args, (v, i) => labelValueToString(this.name, this.labelNames[i], v));
    if (values.length !== this.labelNames.length) {
      throw new TypeError(`metric '${this.name}' has ${this.labelNames.length} label(s) (${this.labelNames.join(', ')}) but got ${values.length} value(s)`);
    }
    if (values.length === 0) return;
    const series = this.store.find(renderLabelPairs(this.labelNames, values));
    if (series === undefined) return;
    this.store.clearSeries(series);
    // This thread's next labels() stamps the series again, so it shows at 0 as a new one.
    this.index.delete(values);
  }

  /**
   * Every series leaves the scrape, zeroed, until written again (an unlabelled metric
   * shows 0 at once, as prom-client's does); as remove(), for all series of all threads.
   */
  reset(): void {
    const count = this.store.sync();
    for (let s = 0; s < count; s++) this.store.clearSeries(s);
    this.index.clear();
    if (this.unlabelled !== undefined) this.store.offsetOf(this.store.seriesFor(''));
  }

  /** Series published by all threads so far. */
  get seriesCount(): number {
    return this.store.publishedCount;
  }
}

/** Label text with one more pair appended. */
export function withLabel(labelText: string, name: string, value: string): string {
  return labelText === '' ? `${name}="${value}"` : `${labelText},${name}="${value}"`;
}
