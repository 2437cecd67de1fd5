import { Registry, type SharedMetrics, sharedRegistry } from '../../src/index.js';

/** A registry of its own, the shared metrics joining it, the metrics `declare` makes, and the handle for workers. */
export function sharedSetup<M>(declare: (shared: SharedMetrics) => M, maxThreads = 8) {
  const registry = new Registry();
  const shared = sharedRegistry({ registers: [registry], maxThreads });
  const m = declare(shared);
  return { registry, shared, m, handle: shared.handle() };
}
