import { Counter, type CounterImpl } from '../core/counter.js';
import { Gauge, type GaugeImpl } from '../core/gauge.js';
import { Histogram, type HistogramImpl } from '../core/histogram.js';
import { Summary, type SummaryImpl } from '../core/summary.js';
import type { Registry } from '../core/registry.js';
import type { LabelTuple } from '../core/typed-labels.js';
import type { Catalog, MetricSpec } from './types.js';

/** The live metric type for a spec: wrong label arity or names are compile errors. */
export type HandleFor<S extends MetricSpec> = S['type'] extends 'counter'
  ? CounterImpl<S['labelNames'][number], LabelTuple<S['labelNames']>>
  : S['type'] extends 'gauge'
    ? GaugeImpl<S['labelNames'][number], LabelTuple<S['labelNames']>>
    : S['type'] extends 'histogram'
      ? HistogramImpl<S['labelNames'][number], LabelTuple<S['labelNames']>>
      : SummaryImpl<S['labelNames'][number], LabelTuple<S['labelNames']>>;

export type Handles<M extends Record<string, MetricSpec>> = { readonly [K in keyof M]: HandleFor<M[K]> };

/**
 * Creates every metric of a catalog in `registry` and returns them keyed as in the catalog.
 * `enableExemplars` applies to the counters and histograms (the types with exemplars), on
 * a registry of either content type: the exemplars appear in its OpenMetrics scrapes (the
 * status server negotiates them), where prom-client's option alone would refuse a text
 * 0.0.4 registry.
 */
export function instantiateCatalog<M extends Record<string, MetricSpec>>(
  catalog: Catalog<M>,
  registry: Registry,
  options: { enableExemplars?: boolean } = {},
): Handles<M> {
  const handles: Record<string, unknown> = {};
  const enableExemplars = options.enableExemplars === true;
  const exemplars = { enableExemplars, exemplarsOnTextRegistry: enableExemplars };
  for (const [key, spec] of Object.entries(catalog.metrics)) {
    const config = { name: spec.name, help: spec.help, labelNames: spec.labelNames as readonly string[], registers: [registry], unit: spec.unit };
    switch (spec.type) {
      case 'counter':
        handles[key] = new Counter({ ...config, ...exemplars });
        break;
      case 'gauge':
        handles[key] = new Gauge(config);
        break;
      case 'histogram':
        handles[key] = new Histogram({ ...config, buckets: spec.buckets, ...exemplars });
        break;
      case 'summary':
        handles[key] = new Summary(config);
        break;
    }
  }
  return handles as Handles<M>;
}
