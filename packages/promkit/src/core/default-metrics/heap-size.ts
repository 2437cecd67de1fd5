import { Gauge } from '../gauge.js';
import type { DefaultMetricGroup, GroupContext, InstalledGroup } from './context.js';

const TOTAL = 'nodejs_heap_size_total_bytes';
const USED = 'nodejs_heap_size_used_bytes';
const EXTERNAL = 'nodejs_external_memory_bytes';

/** process.memoryUsage() can throw on some platforms (prom-client #67). */
function safeMemoryUsage(): NodeJS.MemoryUsage | undefined {
  try {
    return process.memoryUsage();
  } catch {
    return undefined;
  }
}

export const heapSize: DefaultMetricGroup = {
  key: 'heapSizeAndUsed',
  familyNames: [TOTAL, USED, EXTERNAL],
  plannedNames: () => [TOTAL, USED, EXTERNAL],
  install(ctx: GroupContext): InstalledGroup {
    const { prefix, labels, labelNames } = ctx;
    const total = new Gauge({
      name: prefix + TOTAL,
      help: 'Process heap size from Node.js in bytes.',
      labelNames,
      registers: [],
      // One memoryUsage() call refreshes all three gauges.
      collect() {
        const usage = safeMemoryUsage();
        if (usage === undefined) return;
        total.set(labels, usage.heapTotal);
        used.set(labels, usage.heapUsed);
        if (usage.external !== undefined) external.set(labels, usage.external);
      },
    });
    const used = new Gauge({ name: prefix + USED, help: 'Process heap size used from Node.js in bytes.', labelNames, registers: [] });
    const external = new Gauge({ name: prefix + EXTERNAL, help: 'Node.js external memory size in bytes.', labelNames, registers: [] });
    return { metrics: [total, used, external] };
  },
};
