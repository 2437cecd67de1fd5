import { Registry } from 'promkit';
import { instantiateCatalog } from 'promkit/catalog';
import type { Catalog, MetricSpec } from 'promkit/catalog';

/** Values for a label: its documented values, or two made-up ones when the spec lists none. */
function valuesFor(spec: MetricSpec, label: string): readonly string[] {
  const documented = (spec.labelValues as Record<string, readonly string[] | undefined> | undefined)?.[label];
  return documented && documented.length > 0 ? documented : [`${label}-1`, `${label}-2`];
}

/** Every combination of label values (the catalogs keep this in the low hundreds per family). */
export function sampleLabelSets(spec: MetricSpec): Record<string, string>[] {
  let sets: Record<string, string>[] = [{}];
  for (const label of spec.labelNames) {
    sets = sets.flatMap((set) => valuesFor(spec, label).map((v) => ({ ...set, [label]: v })));
  }
  return sets;
}

type Writable = {
  inc?(labels: Record<string, string>, value: number): void;
  set?(labels: Record<string, string>, value: number): void;
  observe?(labels: Record<string, string>, value: number): void;
};

export interface SampleMetrics {
  readonly registry: Registry;
  /** Moves every series: counters grow, gauges change, histograms observe into varying buckets. */
  tick(): void;
}

/**
 * A catalog instantiated with plausible data in every documented label combination, so
 * queries against it (tests, demos) return series. Deterministic: the n-th tick always
 * produces the same exposition.
 */
export function sampleMetrics(catalog: Catalog): SampleMetrics {
  const registry = new Registry();
  const handles = instantiateCatalog(catalog, registry) as Record<string, Writable>;
  const families = Object.entries(catalog.metrics).map(([key, spec]) => ({ spec, handle: handles[key]!, sets: sampleLabelSets(spec) }));
  let n = 0;
  const tick = (): void => {
    n++;
    for (const { spec, handle, sets } of families) {
      sets.forEach((labels, k) => {
        if (spec.type === 'counter') handle.inc!(labels, 1 + (k % 3));
        else if (spec.type === 'gauge') handle.set!(labels, 1 + ((k + n) % 5));
        else {
          const bounds = spec.buckets ?? [1];
          handle.observe!(labels, bounds[(k + n) % bounds.length]! * 0.9);
        }
      });
    }
  };
  return { registry, tick };
}
