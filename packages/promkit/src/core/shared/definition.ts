import { normaliseBuckets, DEFAULT_BUCKETS } from '../buckets.js';
import type { Aggregator } from '../metric.js';
import { DEFAULT_PERCENTILES } from '../summary.js';
import { assertHelp, assertLabelNames, assertMetricName } from '../validation.js';
import { DEFAULT_WINDOW_SIZE, HEAD, MAX_WINDOW_SIZE, summaryWidth } from './summary-ring.js';

export type SharedMetricType = 'counter' | 'gauge' | 'histogram' | 'summary';

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
  /** Summaries: the quantiles reported, ascending. */
  readonly percentiles: readonly number[];
  /** Summaries: only observations younger than this count in quantiles; undefined for the whole window. */
  readonly maxAgeSeconds: number | undefined;
  /** Summaries: the latest observations each thread keeps per series for quantiles. */
  readonly windowSize: number;
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

export interface SharedSummaryConfiguration<T extends string> extends SharedMetricConfiguration<T> {
  /** Quantiles to report, each in [0, 1]. Default: prom-client's. */
  percentiles?: readonly number[];
  /** Only observations younger than this count in quantiles; default: every observation in the window. */
  maxAgeSeconds?: number;
  /** Accepted for prom-client compatibility and checked; the age cut is exact (every observation has its time), so it changes nothing. */
  ageBuckets?: number;
  /** Observations each thread keeps per series for quantiles (its latest ones); default 256, at most 65536. */
  windowSize?: number;
}

type AnyConfiguration = SharedMetricConfiguration<string> &
  SharedGaugeConfiguration<string> &
  SharedHistogramConfiguration<string> &
  SharedSummaryConfiguration<string> & { pruneAgedBuckets?: unknown };

const AGGREGATORS: readonly Aggregator[] = ['omit', 'sum', 'first', 'min', 'max', 'average'];

/** Validates a configuration into the definition the threads share. */
export function defineShared(type: SharedMetricType, config: AnyConfiguration): SharedMetricDefinition {
  if (config === null || typeof config !== 'object') throw new TypeError(`shared ${type}: a configuration object is required`);
  assertMetricName(config.name);
  assertHelp(config.name, config.help);
  const labelNames = config.labelNames ?? [];
  if (!Array.isArray(labelNames)) throw new TypeError(`metric '${config.name}': labelNames must be an array of strings`);
  assertLabelNames(config.name, labelNames, type === 'histogram' ? ['le'] : type === 'summary' ? ['quantile'] : []);
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
    ...(type === 'summary' ? summaryOptions(config) : { percentiles: [], maxAgeSeconds: undefined, windowSize: 0 }),
  };
}

/** Checks a summary's own options, with the messages of promkit's Summary where they exist. */
function summaryOptions(config: AnyConfiguration): Pick<SharedMetricDefinition, 'percentiles' | 'maxAgeSeconds' | 'windowSize'> {
  const what = `shared summary '${config.name}'`;
  const percentiles = config.percentiles ?? DEFAULT_PERCENTILES;
  if (!Array.isArray(percentiles)) throw new TypeError(`${what}: percentiles must be an array of numbers in [0, 1]`);
  for (const p of percentiles) {
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new RangeError(`${what}: percentile ${String(p)} is not in [0, 1]`);
  }
  const { maxAgeSeconds, ageBuckets = 5, windowSize = DEFAULT_WINDOW_SIZE } = config;
  if (maxAgeSeconds !== undefined && !(typeof maxAgeSeconds === 'number' && maxAgeSeconds > 0 && maxAgeSeconds < Infinity)) {
    throw new RangeError(`${what}: maxAgeSeconds must be a positive number, got ${String(maxAgeSeconds)}`);
  }
  if (!Number.isInteger(ageBuckets) || ageBuckets < 1) throw new RangeError(`${what}: ageBuckets must be a positive integer, got ${String(ageBuckets)}`);
  if (!Number.isInteger(windowSize) || windowSize < 1 || windowSize > MAX_WINDOW_SIZE) {
    throw new RangeError(`${what}: windowSize must be an integer from 1 to ${MAX_WINDOW_SIZE}, got ${String(windowSize)}`);
  }
  if (config.pruneAgedBuckets !== undefined && config.pruneAgedBuckets !== false) {
    throw new TypeError(`${what}: pruneAgedBuckets is not supported (a series stays; its quantiles read 0 while no observation is in the window)`);
  }
  return { percentiles: [...percentiles].sort((a, b) => a - b), maxAgeSeconds, windowSize };
}

/** Numbers per series per thread: values, then first-touch time. Histograms: buckets (+Inf included), sum. Summaries: see summary-ring.ts. */
export function widthOf(definition: SharedMetricDefinition): number {
  if (definition.type === 'summary') return summaryWidth(definition.windowSize);
  return definition.type === 'histogram' ? definition.buckets.length + 3 : 2;
}

/**
 * The numbers of a column a thread taking it over must zero before it goes live, as
 * [from, to), or undefined: an exited thread's gauge levels and summary window describe
 * nothing any more (counts and sums stay, so they keep adding up).
 */
export function inheritedRange(definition: SharedMetricDefinition): readonly [number, number] | undefined {
  if (definition.type === 'gauge') return [0, widthOf(definition)];
  if (definition.type === 'summary') return [HEAD, widthOf(definition) - 1];
  return undefined;
}

/** Explains how a worker's declaration differs from the one in the handle, or undefined if it matches. */
export function mismatch(declared: SharedMetricDefinition, asked: SharedMetricDefinition): string | undefined {
  if (declared.type !== asked.type) return `it is a ${declared.type}, not a ${asked.type}`;
  if (declared.labelNames.join(',') !== asked.labelNames.join(','))
    return `its labels are [${declared.labelNames.join(', ')}], not [${asked.labelNames.join(', ')}]`;
  if (declared.buckets.join(',') !== asked.buckets.join(',')) return `its buckets are [${declared.buckets.join(', ')}], not [${asked.buckets.join(', ')}]`;
  if (declared.aggregator !== asked.aggregator || declared.threadLabel !== asked.threadLabel) return 'its aggregator or threadLabel differ';
  if (declared.percentiles.join(',') !== asked.percentiles.join(','))
    return `its percentiles are [${declared.percentiles.join(', ')}], not [${asked.percentiles.join(', ')}]`;
  if (declared.maxAgeSeconds !== asked.maxAgeSeconds || declared.windowSize !== asked.windowSize)
    return `its maxAgeSeconds and windowSize are ${String(declared.maxAgeSeconds)} and ${declared.windowSize}, not ${String(asked.maxAgeSeconds)} and ${asked.windowSize}`;
  return undefined;
}
