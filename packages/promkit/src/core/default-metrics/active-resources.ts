import { Gauge } from '../gauge.js';
import { countStrings, setCountsByType } from './active-counts.js';
import type { DefaultMetricGroup, GroupContext, InstalledGroup } from './context.js';

const RESOURCES = 'nodejs_active_resources';
const RESOURCES_TOTAL = 'nodejs_active_resources_total';

const available = (): boolean => typeof process.getActiveResourcesInfo === 'function';

export const activeResources: DefaultMetricGroup = {
  key: 'processResources',
  familyNames: [RESOURCES, RESOURCES_TOTAL],
  plannedNames: () => (available() ? [RESOURCES, RESOURCES_TOTAL] : []),
  install(ctx: GroupContext): InstalledGroup {
    const { prefix, labels, labelNames } = ctx;
    const byType = new Gauge({
      name: prefix + RESOURCES,
      help: 'Number of active resources that are currently keeping the event loop alive, grouped by async resource type.',
      labelNames: ['type', ...labelNames],
      registers: [],
      collect() {
        setCountsByType(this, countStrings(process.getActiveResourcesInfo()), labels);
      },
    });
    const total = new Gauge({
      name: prefix + RESOURCES_TOTAL,
      help: 'Total number of active resources.',
      labelNames,
      registers: [],
      collect() {
        this.set(labels, process.getActiveResourcesInfo().length);
      },
    });
    return { metrics: [byType, total] };
  },
};
