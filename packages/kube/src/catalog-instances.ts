/**
 * One set of live metrics per (registry, catalog key): a second kit or helper on the same
 * registry shares them instead of failing on duplicate registration. The first caller's
 * options (exemplars) decide how they are created.
 */
import { instantiateCatalog, type Handles } from 'promkit/catalog';
import type { Catalog, MetricSpec } from 'promkit/catalog';
import type { Registry } from 'promkit';

const instances = new WeakMap<Registry, Map<string, unknown>>();

export interface InstantiateOptions {
  /** Create counters and histograms with `enableExemplars: true`. */
  enableExemplars?: boolean;
}

export function instantiateOnce<M extends Record<string, MetricSpec>>(
  registry: Registry,
  key: string,
  catalog: () => Catalog<M>,
  options: InstantiateOptions = {},
): Handles<M> {
  let byKey = instances.get(registry);
  if (!byKey) {
    byKey = new Map();
    instances.set(registry, byKey);
  }
  if (!byKey.has(key)) byKey.set(key, instantiateCatalog(catalog(), registry, options));
  return byKey.get(key) as Handles<M>;
}
