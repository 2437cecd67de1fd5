import { normaliseBuckets } from '../buckets.js';
import { labelValueToString } from '../label-values.js';
import { globalRegistry, type Collector, type Registry, type RegistryContentType } from '../registry.js';
import { assertLabelNames } from '../validation.js';
import { activeHandles } from './active-handles.js';
import { activeRequests } from './active-requests.js';
import { activeResources } from './active-resources.js';
import type { DefaultMetricGroup, DefaultMetricsCollectorConfiguration, GroupContext } from './context.js';
import { eventLoopLag } from './eventloop-lag.js';
import { DEFAULT_GC_DURATION_BUCKETS, gcDuration } from './gc.js';
import { heapSize } from './heap-size.js';
import { heapSpaces } from './heap-spaces.js';
import { processCpu } from './process-cpu.js';
import { processMaxFds, processOpenFds } from './process-fds.js';
import { processMemory } from './process-memory.js';
import { processStartTime } from './process-start-time.js';
import { nodeVersion } from './version.js';

export type { DefaultMetricsCollectorConfiguration } from './context.js';
export { DEFAULT_GC_DURATION_BUCKETS } from './gc.js';

/** In prom-client's registration order, which is also the exposition order. */
const GROUPS: readonly DefaultMetricGroup[] = [
  processCpu,
  processStartTime,
  processMemory,
  processOpenFds,
  processMaxFds,
  eventLoopLag,
  activeResources,
  activeHandles,
  activeRequests,
  heapSize,
  heapSpaces,
  nodeVersion,
  gcDuration,
];

/**
 * Every family name `collectDefaultMetrics` can register, without prefix. Some exist
 * only where their data source does: process_virtual_memory_bytes, process_heap_bytes,
 * process_open_fds and process_max_fds need Linux' /proc; nodejs_active_resources*
 * needs process.getActiveResourcesInfo. The handle's `metricNames` says what was registered.
 */
export const defaultMetricsNames: readonly string[] = Object.freeze(GROUPS.flatMap((g) => g.familyNames));

/** Labels the default metrics set themselves; `config.labels` may not reuse them. */
const OWN_LABELS = ['type', 'space', 'kind', 'version', 'major', 'minor', 'patch', 'le'];

/** What `collectDefaultMetrics` returns (prom-client returns nothing; ignoring it is fine). */
export interface DefaultMetricsHandle {
  readonly registry: Registry;
  readonly prefix: string;
  /** The families registered on this process, with the prefix. */
  readonly metricNames: readonly string[];
  /** Stops the GC observer and event-loop monitor and unregisters these families. */
  stop(): void;
}

interface Installation {
  readonly optionsKey: string;
  readonly optionsText: string;
  readonly metrics: readonly Collector[];
  readonly handle: DefaultMetricsHandle;
}

/** One set of default metrics per registry and prefix. */
const installations = new WeakMap<Registry, Map<string, Installation>>();

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

function normaliseConfig(config: unknown): { registry: Registry; ctx: GroupContext } {
  if (config !== null && config !== undefined && (typeof config !== 'object' || Array.isArray(config))) {
    throw new TypeError(`collectDefaultMetrics: config must be null, undefined, or an object, got ${describe(config)}`);
  }
  const c = (config ?? {}) as DefaultMetricsCollectorConfiguration;

  const prefix = c.prefix ?? '';
  if (typeof prefix !== 'string' || (prefix !== '' && !/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(prefix))) {
    throw new TypeError(`collectDefaultMetrics: prefix '${String(prefix)}' would make invalid metric names: a prefix must match [a-zA-Z_:][a-zA-Z0-9_:]*`);
  }

  const rawLabels = c.labels ?? {};
  if (typeof rawLabels !== 'object' || Array.isArray(rawLabels)) {
    throw new TypeError(`collectDefaultMetrics: labels must be an object of label name to value, got ${describe(rawLabels)}`);
  }
  const labelNames = Object.keys(rawLabels);
  assertLabelNames('collectDefaultMetrics labels', labelNames);
  const clash = labelNames.find((n) => OWN_LABELS.includes(n));
  if (clash !== undefined) {
    throw new TypeError(`collectDefaultMetrics: label '${clash}' in labels clashes with a label the default metrics set themselves (${OWN_LABELS.join(', ')})`);
  }
  const labels: Record<string, string> = {};
  for (const n of labelNames) labels[n] = labelValueToString('collectDefaultMetrics labels', n, (rawLabels as Record<string, unknown>)[n]);

  if (c.gcDurationBuckets !== undefined && !Array.isArray(c.gcDurationBuckets)) {
    throw new TypeError(`collectDefaultMetrics: gcDurationBuckets must be an array of numbers, got ${describe(c.gcDurationBuckets)}`);
  }
  const gcDurationBuckets = normaliseBuckets(`${prefix}nodejs_gc_duration_seconds`, c.gcDurationBuckets ?? DEFAULT_GC_DURATION_BUCKETS);

  const precision = c.eventLoopMonitoringPrecision ?? 10;
  if (typeof precision !== 'number' || !Number.isInteger(precision) || precision < 1) {
    throw new RangeError(`collectDefaultMetrics: eventLoopMonitoringPrecision is a sampling resolution in whole milliseconds >= 1, got ${String(precision)}`);
  }

  return {
    registry: c.register ?? globalRegistry(),
    ctx: { prefix, labels, labelNames, gcDurationBuckets, eventLoopMonitoringPrecision: precision },
  };
}

function optionsOf(ctx: GroupContext): { key: string; text: string } {
  const labels = Object.entries(ctx.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const text = `labels ${JSON.stringify(Object.fromEntries(labels))}, gcDurationBuckets [${ctx.gcDurationBuckets.join(', ')}], eventLoopMonitoringPrecision ${ctx.eventLoopMonitoringPrecision}`;
  return { key: text, text };
}

function assertNamesFree(registry: Registry, names: readonly string[]): void {
  const taken = names.filter((n) => registry.getSingleMetric(n) !== undefined);
  if (taken.length === 0) return;
  throw new Error(
    `collectDefaultMetrics: the registry already holds metric(s) ${taken.map((n) => `'${n}'`).join(', ')} that collectDefaultMetrics did not create; ` +
      `remove them, or pass { prefix } to register the default metrics under other names`,
  );
}

function install(registry: Registry, ctx: GroupContext, options: { key: string; text: string }): Installation {
  const groups = GROUPS.filter((g) => g.plannedNames().length > 0);
  assertNamesFree(
    registry,
    groups.flatMap((g) => g.plannedNames().map((n) => ctx.prefix + n)),
  );

  const stops: Array<() => void> = [];
  const metrics: Collector[] = [];
  const stopAll = (): void => {
    for (const stop of stops.splice(0)) {
      try {
        stop();
      } catch {
        // Stopping an observer twice or after a failed start is harmless.
      }
    }
  };
  try {
    for (const group of groups) {
      const installed = group.install(ctx);
      if (installed.stop) stops.push(installed.stop);
      metrics.push(...installed.metrics);
    }
    for (const m of metrics) registry.registerMetric(m);
  } catch (error) {
    // All or nothing: a half-registered set would make the next call fail confusingly.
    for (const m of metrics) if (registry.getSingleMetric(m.name) === m) registry.removeSingleMetric(m.name);
    stopAll();
    throw error;
  }

  const handle: DefaultMetricsHandle = {
    registry,
    prefix: ctx.prefix,
    metricNames: Object.freeze(metrics.map((m) => m.name)),
    stop() {
      stopAll();
      for (const m of metrics) if (registry.getSingleMetric(m.name) === m) registry.removeSingleMetric(m.name);
      const byPrefix = installations.get(registry);
      if (byPrefix?.get(ctx.prefix) === installation) byPrefix.delete(ctx.prefix);
    },
  };
  const installation: Installation = { optionsKey: options.key, optionsText: options.text, metrics, handle };
  return installation;
}

/**
 * Registers prom-client's default process and Node.js metrics (same names, help, labels
 * and types), refreshed by collect callbacks at scrape time.
 *
 * Idempotent per registry and prefix: calling it again with the same options returns
 * the first call's handle (re-registering any of its families that were removed), and
 * after `registry.clear()` it registers a fresh set. Calling it again with other
 * options, or when other code registered one of the names, throws an error that says
 * so (prom-client throws "already registered").
 */
export function collectDefaultMetrics<T extends RegistryContentType = RegistryContentType>(
  config?: DefaultMetricsCollectorConfiguration<T> | null,
): DefaultMetricsHandle {
  const { registry, ctx } = normaliseConfig(config);
  const options = optionsOf(ctx);
  let byPrefix = installations.get(registry);
  if (byPrefix === undefined) {
    byPrefix = new Map();
    installations.set(registry, byPrefix);
  }

  const existing = byPrefix.get(ctx.prefix);
  if (existing !== undefined) {
    const missing = existing.metrics.filter((m) => registry.getSingleMetric(m.name) !== m);
    if (missing.length === existing.metrics.length) {
      // The registry was cleared (or every family removed): start over with these options.
      existing.handle.stop();
    } else if (existing.optionsKey !== options.key) {
      const where = ctx.prefix === '' ? '' : ` with prefix '${ctx.prefix}'`;
      throw new Error(
        `collectDefaultMetrics: default metrics are already registered in this registry${where} with other options ` +
          `(${existing.optionsText}; now ${options.text}). A registry holds one set per prefix: ` +
          `call stop() on the handle the first call returned (or registry.clear()) first, or use another prefix`,
      );
    } else {
      assertNamesFree(
        registry,
        missing.map((m) => m.name),
      );
      for (const m of missing) registry.registerMetric(m);
      return existing.handle;
    }
  }

  const installation = install(registry, ctx, options);
  byPrefix.set(ctx.prefix, installation);
  return installation.handle;
}

/** prom-client's list of default metric groups (not family names: see `defaultMetricsNames`). */
collectDefaultMetrics.metricsList = GROUPS.filter((g) => g !== activeResources || g.plannedNames().length > 0).map((g) => g.key);
