import { Gauge } from '../gauge.js';
import type { DefaultMetricGroup, GroupContext, InstalledGroup } from './context.js';

const START_TIME = 'process_start_time_seconds';

/** Whole seconds, as prom-client reports it; derived from uptime so clock changes later do not move it. */
const startInSeconds = Math.round(Date.now() / 1000 - process.uptime());

export const processStartTime: DefaultMetricGroup = {
  key: 'processStartTime',
  familyNames: [START_TIME],
  plannedNames: () => [START_TIME],
  install(ctx: GroupContext): InstalledGroup {
    const { labels } = ctx;
    const gauge = new Gauge({
      name: ctx.prefix + START_TIME,
      help: 'Start time of the process since unix epoch in seconds.',
      labelNames: ctx.labelNames,
      registers: [],
      aggregator: 'omit',
      // Set at scrape time so the value survives registry.resetMetrics().
      collect() {
        this.set(labels, startInSeconds);
      },
    });
    return { metrics: [gauge] };
  },
};
