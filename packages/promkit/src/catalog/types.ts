/**
 * The catalog: each metric declared once, typed. The same declaration instantiates the
 * live metrics (see instantiate.ts), generates dashboards, rules and docs (src/monitoring),
 * and is what tests check exposition against.
 */

export type CatalogMetricType = 'counter' | 'gauge' | 'histogram' | 'summary';

export interface MetricSpec<L extends readonly string[] = readonly string[]> {
  /** Full exposed name, e.g. `dynamo_operator_reconcile_total`. */
  readonly name: string;
  readonly type: CatalogMetricType;
  readonly help: string;
  readonly labelNames: L;
  /** Documented values of enumerated labels (e.g. result: success|error|requeue). */
  readonly labelValues?: { readonly [K in L[number]]?: readonly string[] };
  /** Histogram bucket bounds (finite; +Inf implied). */
  readonly buckets?: readonly number[];
  /** Why these buckets, when the spec gives none. */
  readonly bucketsRationale?: string;
  readonly unit?: string;
}

/** A PromQL example shipped in the reference docs and checked against real Prometheus. */
export interface ExampleQuery {
  readonly title: string;
  readonly expr: string;
  /** When the spec's own text was invalid or wrong, what it said and why ours differs. */
  readonly correctsSpec?: string;
  /**
   * Why this query may legitimately return no series on a freshly started Prometheus
   * (it needs a day of history, or metrics of another exporter such as cAdvisor).
   * Tests still require it to evaluate without error.
   */
  readonly mayBeEmpty?: string;
}

export interface Catalog<M extends Record<string, MetricSpec> = Record<string, MetricSpec>> {
  /** Short id: 'dynamo-operator', 'dynamo-runtime', 'datamover', 'modal'. */
  readonly id: string;
  readonly title: string;
  readonly description: string;
  /** The spec document this catalog implements (file name under shared/spec). */
  readonly spec: string;
  /** Default scrape settings of the component exposing these metrics. */
  readonly scrape: { readonly job: string; readonly port: number; readonly path: string };
  readonly metrics: M;
  readonly queries: readonly ExampleQuery[];
}

/** Identity function that keeps literal types (label names as tuples) for typed handles. */
export function defineCatalog<const M extends Record<string, MetricSpec>>(catalog: Catalog<M>): Catalog<M> {
  return catalog;
}
