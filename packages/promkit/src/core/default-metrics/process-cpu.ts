import { Counter } from '../counter.js';
import type { DefaultMetricGroup, GroupContext, InstalledGroup } from './context.js';

const USER = 'process_cpu_user_seconds_total';
const SYSTEM = 'process_cpu_system_seconds_total';
const TOTAL = 'process_cpu_seconds_total';

/**
 * CPU time of the process. The counters advance by the `process.cpuUsage()` delta at
 * each scrape; the baseline is process start (prom-client starts from the call), so
 * the value matches what other Prometheus clients report for the same process.
 */
export const processCpu: DefaultMetricGroup = {
  key: 'processCpuTotal',
  familyNames: [USER, SYSTEM, TOTAL],
  plannedNames: () => [USER, SYSTEM, TOTAL],
  install(ctx: GroupContext): InstalledGroup {
    const { prefix, labels, labelNames } = ctx;
    let last: NodeJS.CpuUsage = { user: 0, system: 0 };
    const user = new Counter({
      name: prefix + USER,
      help: 'Total user CPU time spent in seconds.',
      labelNames,
      registers: [],
      // One callback refreshes all three, so they come from one reading.
      collect() {
        const now = process.cpuUsage();
        // cpuUsage() is monotonic, but guard anyway: a counter must never be given a negative step.
        const userMicros = Math.max(0, now.user - last.user);
        const systemMicros = Math.max(0, now.system - last.system);
        last = now;
        user.inc(labels, userMicros / 1e6);
        system.inc(labels, systemMicros / 1e6);
        total.inc(labels, (userMicros + systemMicros) / 1e6);
      },
    });
    const system = new Counter({ name: prefix + SYSTEM, help: 'Total system CPU time spent in seconds.', labelNames, registers: [] });
    const total = new Counter({ name: prefix + TOTAL, help: 'Total user and system CPU time spent in seconds.', labelNames, registers: [] });
    return { metrics: [user, system, total] };
  },
};
