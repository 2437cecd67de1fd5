import type { Collector, Registry, RegistryContentType } from '../registry.js';

/** `collectDefaultMetrics` options, as prom-client 15 takes them. */
export interface DefaultMetricsCollectorConfiguration<T extends RegistryContentType = RegistryContentType> {
  /** Registry to register with; defaults to the global `register`. */
  register?: Registry<T>;
  /** Prepended to every family name, e.g. 'myapp_'. */
  prefix?: string;
  /** Constant labels added to every series. */
  labels?: Record<string, string | number>;
  /** Buckets of `nodejs_gc_duration_seconds`; default [0.001, 0.01, 0.1, 1, 2, 5]. */
  gcDurationBuckets?: readonly number[];
  /** Sampling resolution of the event-loop delay monitor in milliseconds; default 10. */
  eventLoopMonitoringPrecision?: number;
}

/** What every group of default metrics is built from, validated once by `collectDefaultMetrics`. */
export interface GroupContext {
  readonly prefix: string;
  /** The constant labels, values already strings. */
  readonly labels: Readonly<Record<string, string>>;
  readonly labelNames: readonly string[];
  readonly gcDurationBuckets: readonly number[];
  readonly eventLoopMonitoringPrecision: number;
}

/** The metrics one group created (not yet registered), and how to stop its observers. */
export interface InstalledGroup {
  readonly metrics: readonly Collector[];
  stop?(): void;
}

/**
 * One group of default metrics (prom-client's `lib/metrics/<key>.js`). `familyNames`
 * lists what it may ever register; `plannedNames` what it registers on this process,
 * which is empty where the data source is missing (e.g. no /proc).
 */
export interface DefaultMetricGroup {
  /** prom-client's name of the group, as in its `collectDefaultMetrics.metricsList`. */
  readonly key: string;
  readonly familyNames: readonly string[];
  plannedNames(): readonly string[];
  /** Creates the metrics with `registers: []`; the caller registers them all at once. */
  install(ctx: GroupContext): InstalledGroup;
}
