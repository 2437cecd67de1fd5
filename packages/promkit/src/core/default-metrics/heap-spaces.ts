import { getHeapSpaceStatistics } from 'node:v8';
import { Gauge } from '../gauge.js';
import type { DefaultMetricGroup, GroupContext, InstalledGroup } from './context.js';

const KINDS = ['total', 'used', 'available'] as const;
const nameOf = (kind: (typeof KINDS)[number]): string => `nodejs_heap_space_size_${kind}_bytes`;

/** V8 names spaces 'new_space', 'old_space', ...; the label drops the suffix ('new', 'old'). */
function spaceLabel(spaceName: string): string {
  return spaceName.endsWith('_space') ? spaceName.slice(0, -'_space'.length) : spaceName;
}

export const heapSpaces: DefaultMetricGroup = {
  key: 'heapSpacesSizeAndUsed',
  familyNames: KINDS.map(nameOf),
  plannedNames: () => KINDS.map(nameOf),
  install(ctx: GroupContext): InstalledGroup {
    const { prefix, labels } = ctx;
    const labelNames = ['space', ...ctx.labelNames];
    const gauge = (kind: (typeof KINDS)[number]) =>
      new Gauge({ name: prefix + nameOf(kind), help: `Process heap space size ${kind} from Node.js in bytes.`, labelNames, registers: [] });
    const total = gauge('total');
    const used = gauge('used');
    const available = gauge('available');
    // One getHeapSpaceStatistics() call refreshes all three gauges.
    total.collect = () => {
      for (const space of getHeapSpaceStatistics()) {
        const l = { ...labels, space: spaceLabel(space.space_name) };
        total.set(l, space.space_size);
        used.set(l, space.space_used_size);
        available.set(l, space.space_available_size);
      }
    };
    return { metrics: [total, used, available] };
  },
};
