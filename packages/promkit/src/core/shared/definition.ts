import { normaliseBuckets, DEFAULT_BUCKETS } from '../buckets.js';
import type { Aggregator } from '../metric.js';
import { assertHelp, assertLabelNames, assertMetricName } from '../validation.js';

export type SharedMetricType = 'counter' | 'gauge' | 'histogram';

/** What every thread must agree on about a shared metric; travels in the handle as plain data. */
export interface SharedMetricDefinition {
  readonly type: SharedMetricType;
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  /** Histograms: finite upper bounds, ascending. */
  readonly buckets: readonly number[];
  /** Gauges: how thread values combine. Counters and histograms always sum. */
  readonly aggregator: Aggregator;
  /** Gauges: expose one series per thread with this label (the thread's column) instead of aggregating. */
  readonly threadLabel: string | undefined;
}

export interface SharedMetricConfiguration<T extends string> {
  name: string;
  help: string;
  labelNames?: readonly T[];
}

export interface SharedGaugeConfiguration<T extends string> extends SharedMetricConfiguration<T> {
  /** How the threads' values of a series combine at scrape time; default 'sum' (prom-client's). */
  aggregator?: Aggregator;
  /** Instead of combining, expose each thread's value with this label, valued by thread column ('0' is the registry's thread). */
  threadLabel?: string;
}

export interface SharedHistogramConfiguration<T extends string> extends SharedMetricConfiguration<T> {
  buckets?: readonly number[];
}

const AGGREGATORS: readonly Aggregator[] = ['omit', 'sum', 'first', 'min', 'max', 'average'];

/** Validates a configuration into the definition the threads share. */
export function defineShared(
  type: SharedMetricType,
  config: SharedMetricConfiguration<string> & SharedGaugeConfiguration<string> & SharedHistogramConfiguration<string>,
): SharedMetricDefinition {
  if (config === null || typeof config !== 'object') throw new TypeError(`shared ${type}: a configuration object is required`);
  assertMetricName(config.name);
  assertHelp(config.name, config.help);
  const labelNames = config.labelNames ?? [];
  if (!Array.isArray(labelNames)) throw new TypeError(`metric '${config.name}': labelNames must be an array of strings`);
  assertLabelNames(config.name, labelNames, type === 'histogram' ? ['le'] : []);
  const aggregator = config.aggregator ?? 'sum';
  if (type !== 'gauge' && config.aggregator !== undefined && config.aggregator !== 'sum') {
    throw new TypeError(
      `shared ${type} '${config.name}': aggregator must be 'sum' (threads' ${type} values always add up), got '${String(config.aggregator)}'`,
    );
  }
  if (!AGGREGATORS.includes(aggregator))
    throw new TypeError(`metric '${config.name}': aggregator must be one of ${AGGREGATORS.join(', ')}, got '${String(aggregator)}'`);
  if (config.threadLabel !== undefined) {
    if (type !== 'gauge') throw new TypeError(`shared ${type} '${config.name}': threadLabel is for gauges only`);
    assertLabelNames(config.name, [...labelNames, config.threadLabel]);
  }
  return {
    type,
    name: config.name,
    help: config.help,
    labelNames: [...labelNames],
    buckets: type === 'histogram' ? normaliseBuckets(config.name, config.buckets ?? DEFAULT_BUCKETS) : [],
    aggregator,
    threadLabel: config.threadLabel,
  };
}

/** Numbers per series per thread: values, then first-touch time. Histograms: buckets (+Inf included), sum. */
export function widthOf(definition: SharedMetricDefinition): number {
  return definition.type === 'histogram' ? definition.buckets.length + 3 : 2;
}

/** Explains how a worker's declaration differs from the one in the handle, or undefined if it matches. */
export function mismatch(declared: SharedMetricDefinition, asked: SharedMetricDefinition): string | undefined {
  if (declared.type !== asked.type) return `it is a ${declared.type}, not a ${asked.type}`;
  if (declared.labelNames.join(',') !== asked.labelNames.join(','))
    return `its labels are [${declared.labelNames.join(', ')}], not [${asked.labelNames.join(', ')}]`;
  if (declared.buckets.join(',') !== asked.buckets.join(',')) return `its buckets are [${declared.buckets.join(', ')}], not [${asked.buckets.join(', ')}]`;
  if (declared.aggregator !== asked.aggregator || declared.threadLabel !== asked.threadLabel) return 'its aggregator or threadLabel differ';
  return undefined;
}
