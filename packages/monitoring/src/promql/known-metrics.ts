import type { Catalog, MetricSpec } from 'promkit/catalog';

/**
 * Metrics our expressions may name although no catalog declares them: they come from
 * Prometheus itself or from exporters every Kubernetes cluster runs. Each needs a reason,
 * because an undeclared name in a query is otherwise a typo that silently returns nothing.
 */
export const OUTSIDE_METRICS: Readonly<Record<string, string>> = {
  up: 'Prometheus: 1 when the last scrape of a target succeeded, 0 when it failed.',
  scrape_samples_scraped: 'Prometheus: samples the last scrape of a target returned, one series per target.',
  ALERTS: 'Prometheus: one series per pending or firing alert; dashboards annotate with it.',
  container_cpu_usage_seconds_total: 'cAdvisor (kubelet): CPU seconds used per container; the DataMover spec correlates with it.',
};

/** What a series name resolves to: its family, and which sample suffix it is. */
export interface KnownSeries {
  readonly spec?: MetricSpec;
  readonly catalog?: string;
  /** `_bucket`, `_sum`, `_count` for histogram/summary samples. */
  readonly suffix?: string;
  /** Why an outside or recorded series exists. */
  readonly note?: string;
}

/**
 * Every series name the catalogs expose (histograms as `_bucket`/`_sum`/`_count`, as
 * exposed; a bare histogram name has no series), plus outside metrics and recording rules.
 */
export function knownSeries(catalogs: readonly Catalog[], recorded: readonly string[] = []): Map<string, KnownSeries> {
  const known = new Map<string, KnownSeries>();
  for (const catalog of catalogs) {
    for (const spec of Object.values(catalog.metrics)) {
      const entry = { spec, catalog: catalog.id };
      if (spec.type === 'histogram') {
        for (const suffix of ['_bucket', '_sum', '_count']) known.set(spec.name + suffix, { ...entry, suffix });
      } else if (spec.type === 'summary') {
        known.set(spec.name, entry);
        for (const suffix of ['_sum', '_count']) known.set(spec.name + suffix, { ...entry, suffix });
      } else {
        known.set(spec.name, entry);
      }
    }
  }
  for (const [name, note] of Object.entries(OUTSIDE_METRICS)) known.set(name, { note });
  for (const name of recorded) known.set(name, { note: 'recording rule' });
  return known;
}
