import { Gauge } from '../gauge.js';
import type { DefaultMetricGroup, GroupContext, InstalledGroup } from './context.js';

const VERSION_INFO = 'nodejs_version_info';

export const nodeVersion: DefaultMetricGroup = {
  key: 'version',
  familyNames: [VERSION_INFO],
  plannedNames: () => [VERSION_INFO],
  install(ctx: GroupContext): InstalledGroup {
    const { labels } = ctx;
    const [major, minor, patch] = process.versions.node.split('.').map(Number);
    const gauge = new Gauge({
      name: ctx.prefix + VERSION_INFO,
      help: 'Node.js version info.',
      labelNames: ['version', 'major', 'minor', 'patch', ...ctx.labelNames],
      registers: [],
      aggregator: 'first',
      // Set at scrape time so the series survives registry.resetMetrics().
      collect() {
        this.set({ ...labels, version: process.version, major, minor, patch }, 1);
      },
    });
    return { metrics: [gauge] };
  },
};
