import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { Histogram } from '../histogram.js';
import type { DefaultMetricGroup, GroupContext, InstalledGroup } from './context.js';

const GC_DURATION = 'nodejs_gc_duration_seconds';

export const DEFAULT_GC_DURATION_BUCKETS: readonly number[] = Object.freeze([0.001, 0.01, 0.1, 1, 2, 5]);

const KINDS: Readonly<Record<number, string>> = {
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

function kindOf(entry: PerformanceEntry): string {
  const detail = (entry as PerformanceEntry & { detail?: { kind?: number } | null }).detail;
  const kind = detail?.kind;
  return (kind !== undefined && KINDS[kind]) || 'unknown';
}

/**
 * GC pauses, observed as they happen through a perf_hooks observer (not at scrape
 * time). The observer holds no libuv handle, so it never keeps the process alive.
 */
export const gcDuration: DefaultMetricGroup = {
  key: 'gc',
  familyNames: [GC_DURATION],
  plannedNames: () => [GC_DURATION],
  install(ctx: GroupContext): InstalledGroup {
    const { labels } = ctx;
    const histogram = new Histogram({
      name: ctx.prefix + GC_DURATION,
      help: 'Garbage collection duration by kind, one of major, minor, incremental or weakcb.',
      labelNames: ['kind', ...ctx.labelNames],
      buckets: ctx.gcDurationBuckets,
      registers: [],
    });
    const observer = new PerformanceObserver((list) => {
      // Entries arrive in batches; every one of them is a GC pause.
      for (const entry of list.getEntries()) {
        // This runs outside any scrape: a bad entry must not throw into the event loop.
        if (Number.isFinite(entry.duration) && entry.duration >= 0) histogram.observe({ ...labels, kind: kindOf(entry) }, entry.duration / 1000);
      }
    });
    observer.observe({ entryTypes: ['gc'] });
    return { metrics: [histogram], stop: () => observer.disconnect() };
  },
};
