import { Gauge } from '../gauge.js';
import { countByConstructorName, setCountsByType } from './active-counts.js';
import type { DefaultMetricGroup, GroupContext, InstalledGroup } from './context.js';

const HANDLES = 'nodejs_active_handles';
const HANDLES_TOTAL = 'nodejs_active_handles_total';

/** Undocumented but present on every Node version promkit supports; checked before use anyway. */
const getActiveHandles = (process as unknown as { _getActiveHandles?: () => unknown[] })._getActiveHandles;

export const activeHandles: DefaultMetricGroup = {
  key: 'processHandles',
  familyNames: [HANDLES, HANDLES_TOTAL],
  plannedNames: () => (typeof getActiveHandles === 'function' ? [HANDLES, HANDLES_TOTAL] : []),
  install(ctx: GroupContext): InstalledGroup {
    const { prefix, labels, labelNames } = ctx;
    const read = (): unknown[] => getActiveHandles!.call(process);
    const byType = new Gauge({
      name: prefix + HANDLES,
      help: 'Number of active libuv handles grouped by handle type. Every handle type is C++ class name.',
      labelNames: ['type', ...labelNames],
      registers: [],
      collect() {
        setCountsByType(this, countByConstructorName(read()), labels);
      },
    });
    const total = new Gauge({
      name: prefix + HANDLES_TOTAL,
      help: 'Total number of active handles.',
      labelNames,
      registers: [],
      collect() {
        this.set(labels, read().length);
      },
    });
    return { metrics: [byType, total] };
  },
};
