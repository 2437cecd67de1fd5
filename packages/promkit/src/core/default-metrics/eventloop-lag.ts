import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { Gauge } from '../gauge.js';
import type { Aggregator } from '../metric.js';
import type { DefaultMetricGroup, GroupContext, InstalledGroup } from './context.js';

const LAG = 'nodejs_eventloop_lag_seconds';

/** Statistics of the delay monitor since the previous scrape: [suffix, help, aggregator, read]. */
const STATS: ReadonlyArray<readonly [string, string, Aggregator, (h: IntervalHistogram) => number]> = [
  ['min', 'The minimum recorded event loop delay.', 'min', (h) => h.min],
  ['max', 'The maximum recorded event loop delay.', 'max', (h) => h.max],
  ['mean', 'The mean of the recorded event loop delays.', 'average', (h) => h.mean],
  ['stddev', 'The standard deviation of the recorded event loop delays.', 'average', (h) => h.stddev],
  ['p50', 'The 50th percentile of the recorded event loop delays.', 'average', (h) => h.percentile(50)],
  ['p90', 'The 90th percentile of the recorded event loop delays.', 'average', (h) => h.percentile(90)],
  ['p99', 'The 99th percentile of the recorded event loop delays.', 'average', (h) => h.percentile(99)],
];

const statName = (suffix: string): string => `nodejs_eventloop_lag_${suffix}_seconds`;

/** Seconds until the event loop gets round to a setImmediate queued now. */
function measureLag(): Promise<number> {
  const start = process.hrtime.bigint();
  return new Promise((resolve) => setImmediate(() => resolve(Number(process.hrtime.bigint() - start) / 1e9)));
}

/**
 * Event-loop lag. `nodejs_eventloop_lag_seconds` is one setImmediate round trip taken
 * during the scrape; the min/max/mean/stddev/pNN gauges summarise perf_hooks'
 * monitorEventLoopDelay since the previous scrape (the monitor is reset at each one).
 */
export const eventLoopLag: DefaultMetricGroup = {
  key: 'eventLoopLag',
  familyNames: [LAG, ...STATS.map(([s]) => statName(s))],
  plannedNames: () => [LAG, ...STATS.map(([s]) => statName(s))],
  install(ctx: GroupContext): InstalledGroup {
    const { prefix, labels, labelNames } = ctx;
    // The monitor samples on a libuv timer that is unref'd: it never keeps the process alive.
    const monitor = monitorEventLoopDelay({ resolution: ctx.eventLoopMonitoringPrecision });
    monitor.enable();
    const stats = STATS.map(([suffix, help, aggregator, read]) => ({
      read,
      gauge: new Gauge({ name: prefix + statName(suffix), help, labelNames, aggregator, registers: [] }),
    }));
    const lag = new Gauge({
      name: prefix + LAG,
      help: 'Lag of event loop in seconds.',
      labelNames,
      aggregator: 'average',
      registers: [],
      // One callback refreshes all eight gauges.
      async collect() {
        // With no sample since the last reset (scrapes closer together than the
        // resolution) the monitor reports min=2^63 and mean=NaN: keep the last values.
        if (monitor.count > 0) {
          for (const { gauge, read } of stats) gauge.set(labels, read(monitor) / 1e9);
          monitor.reset();
        }
        lag.set(labels, await measureLag());
      },
    });
    return {
      metrics: [lag, ...stats.map((s) => s.gauge)],
      stop: () => monitor.disable(),
    };
  },
};
