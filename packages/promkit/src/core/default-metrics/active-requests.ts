import { Gauge } from '../gauge.js';
import { countByConstructorName, setCountsByType } from './active-counts.js';
import type { DefaultMetricGroup, GroupContext, InstalledGroup } from './context.js';

const REQUESTS = 'nodejs_active_requests';
const REQUESTS_TOTAL = 'nodejs_active_requests_total';

/** Undocumented but present on every Node version promkit supports; checked before use anyway. */
const getActiveRequests = (process as unknown as { _getActiveRequests?: () => unknown[] })._getActiveRequests;

export const activeRequests: DefaultMetricGroup = {
  key: 'processRequests',
  familyNames: [REQUESTS, REQUESTS_TOTAL],
  plannedNames: () => (typeof getActiveRequests === 'function' ? [REQUESTS, REQUESTS_TOTAL] : []),
  install(ctx: GroupContext): InstalledGroup {
    const { prefix, labels, labelNames } = ctx;
    const read = (): unknown[] => getActiveRequests!.call(process);
    const byType = new Gauge({
      name: prefix + REQUESTS,
      help: 'Number of active libuv requests grouped by request type. Every request type is C++ class name.',
      labelNames: ['type', ...labelNames],
      registers: [],
      collect() {
        setCountsByType(this, countByConstructorName(read()), labels);
      },
    });
    const total = new Gauge({
      name: prefix + REQUESTS_TOTAL,
      help: 'Total number of active requests.',
      labelNames,
      registers: [],
      collect() {
        this.set(labels, read().length);
      },
    });
    return { metrics: [byType, total] };
  },
};
