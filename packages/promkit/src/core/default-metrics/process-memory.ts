import { Gauge } from '../gauge.js';
import type { DefaultMetricGroup, GroupContext, InstalledGroup } from './context.js';
import { parseProcStatus, readProcFile } from './proc-files.js';

const RESIDENT = 'process_resident_memory_bytes';
const VIRTUAL = 'process_virtual_memory_bytes';
const HEAP = 'process_heap_bytes';

let procStatusReadable: boolean | undefined;

function hasProcStatus(): boolean {
  procStatusReadable ??= readProcFile('/proc/self/status') !== undefined;
  return procStatusReadable;
}

/** process.memoryUsage() can throw on some platforms (prom-client #67). */
function safeRss(): number | undefined {
  try {
    return process.memoryUsage.rss();
  } catch {
    return undefined;
  }
}

/**
 * Process memory. With /proc (Linux): resident, virtual and data-segment size from
 * /proc/self/status; elsewhere only the resident size, from process.memoryUsage().
 */
export const processMemory: DefaultMetricGroup = {
  key: 'osMemoryHeap',
  familyNames: [RESIDENT, VIRTUAL, HEAP],
  plannedNames: () => (hasProcStatus() ? [RESIDENT, VIRTUAL, HEAP] : [RESIDENT]),
  install(ctx: GroupContext): InstalledGroup {
    const { prefix, labels, labelNames } = ctx;
    if (!hasProcStatus()) {
      const resident = new Gauge({
        name: prefix + RESIDENT,
        help: 'Resident memory size in bytes.',
        labelNames,
        registers: [],
        collect() {
          const rss = safeRss();
          if (rss !== undefined) this.set(labels, rss);
        },
      });
      return { metrics: [resident] };
    }
    const resident = new Gauge({
      name: prefix + RESIDENT,
      help: 'Resident memory size in bytes.',
      labelNames,
      registers: [],
      // One read of /proc/self/status refreshes all three gauges.
      collect() {
        const text = readProcFile('/proc/self/status');
        if (text === undefined) return;
        const status = parseProcStatus(text);
        if (status.VmRSS !== undefined) resident.set(labels, status.VmRSS);
        if (status.VmSize !== undefined) virtual.set(labels, status.VmSize);
        if (status.VmData !== undefined) heap.set(labels, status.VmData);
      },
    });
    const virtual = new Gauge({ name: prefix + VIRTUAL, help: 'Virtual memory size in bytes.', labelNames, registers: [] });
    const heap = new Gauge({ name: prefix + HEAP, help: 'Process heap size in bytes.', labelNames, registers: [] });
    return { metrics: [resident, virtual, heap] };
  },
};
