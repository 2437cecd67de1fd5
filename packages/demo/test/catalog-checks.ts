/**
 * Checks of scraped series against a catalog: every family present, label names exactly the
 * declared ones (plus job and instance, and le on buckets), enumerated label values within
 * the documented ones.
 */
import type { Catalog, MetricSpec } from 'promkit/catalog';
import type { Labels } from '@promkit/testing';

/** The sample names a family is stored under in Prometheus (text format 0.0.4). */
export function sampleNames(spec: MetricSpec): string[] {
  if (spec.type === 'histogram') return [`${spec.name}_bucket`, `${spec.name}_sum`, `${spec.name}_count`];
  if (spec.type === 'summary') return [spec.name, `${spec.name}_sum`, `${spec.name}_count`];
  return [spec.name];
}

/** A selector matching every sample name of every family of the catalog. */
export function catalogSelector(catalog: Catalog): string {
  const names = Object.values(catalog.metrics).flatMap(sampleNames);
  return `{__name__=~"${names.join('|')}"}`;
}

/** Families of `catalog` with no series among `series`. */
export function missingFamilies(catalog: Catalog, series: readonly Labels[]): string[] {
  const present = new Set(series.map((s) => s.__name__));
  return Object.values(catalog.metrics)
    .filter((spec) => !sampleNames(spec).every((n) => present.has(n)))
    .map((spec) => spec.name);
}

const TARGET_LABELS = ['instance', 'job'];

/** Every way `series` departs from the catalog's label names and documented values. */
export function labelProblems(catalog: Catalog, series: readonly Labels[]): string[] {
  const bySample = new Map<string, MetricSpec>();
  for (const spec of Object.values(catalog.metrics)) for (const n of sampleNames(spec)) bySample.set(n, spec);
  const problems = new Set<string>();
  for (const s of series) {
    const name = s.__name__!;
    const spec = bySample.get(name);
    if (!spec) continue;
    const expected = [...spec.labelNames, ...TARGET_LABELS, ...(name.endsWith('_bucket') && spec.type === 'histogram' ? ['le'] : [])].sort();
    const actual = Object.keys(s)
      .filter((k) => k !== '__name__')
      .sort();
    if (expected.join(',') !== actual.join(',')) problems.add(`${name}: labels [${actual.join(', ')}], expected [${expected.join(', ')}]`);
    const documented = (spec.labelValues ?? {}) as Record<string, readonly string[] | undefined>;
    for (const [label, values] of Object.entries(documented)) {
      if (values && s[label] !== undefined && !values.includes(s[label])) {
        problems.add(`${name}: ${label}="${s[label]}" is not a documented value (${values.join(', ')})`);
      }
    }
  }
  return [...problems];
}
