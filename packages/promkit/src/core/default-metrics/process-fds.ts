import { readdirSync } from 'node:fs';
import { Gauge } from '../gauge.js';
import type { DefaultMetricGroup, GroupContext, InstalledGroup } from './context.js';
import { parseMaxOpenFiles, readProcFile } from './proc-files.js';

const OPEN_FDS = 'process_open_fds';
const MAX_FDS = 'process_max_fds';

function countOpenFds(): number | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    // readdirSync opened one descriptor for the listing itself (closed again by now).
    return readdirSync('/proc/self/fd').length - 1;
  } catch {
    return undefined;
  }
}

let openFdsReadable: boolean | undefined;
/** The limit is read once, like prom-client: changing it at run time needs privileges few processes use. */
let maxFds: number | undefined | null;

function readMaxFds(): number | undefined {
  if (maxFds === undefined) {
    const text = readProcFile('/proc/self/limits');
    maxFds = text === undefined ? null : (parseMaxOpenFiles(text) ?? null);
  }
  return maxFds ?? undefined;
}

export const processOpenFds: DefaultMetricGroup = {
  key: 'processOpenFileDescriptors',
  familyNames: [OPEN_FDS],
  plannedNames() {
    openFdsReadable ??= countOpenFds() !== undefined;
    return openFdsReadable ? [OPEN_FDS] : [];
  },
  install(ctx: GroupContext): InstalledGroup {
    const { labels } = ctx;
    const gauge = new Gauge({
      name: ctx.prefix + OPEN_FDS,
      help: 'Number of open file descriptors.',
      labelNames: ctx.labelNames,
      registers: [],
      collect() {
        const n = countOpenFds();
        if (n !== undefined) this.set(labels, n);
      },
    });
    return { metrics: [gauge] };
  },
};

export const processMaxFds: DefaultMetricGroup = {
  key: 'processMaxFileDescriptors',
  familyNames: [MAX_FDS],
  plannedNames: () => (readMaxFds() === undefined ? [] : [MAX_FDS]),
  install(ctx: GroupContext): InstalledGroup {
    const { labels } = ctx;
    const gauge = new Gauge({
      name: ctx.prefix + MAX_FDS,
      help: 'Maximum number of open file descriptors.',
      labelNames: ctx.labelNames,
      registers: [],
      collect() {
        const n = readMaxFds();
        if (n !== undefined) this.set(labels, n);
      },
    });
    return { metrics: [gauge] };
  },
};
