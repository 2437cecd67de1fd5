/**
 * The catalog: each metric declared once, typed. The same declaration instantiates the
 * live metrics (see instantiate.ts), generates dashboards, rules, runbooks, monitors and docs
 * (src/monitoring), and is what tests check exposition against.
 *
 * Everything here is plain data with no dependency beyond the engine, so a service or an
 * operator can declare its own catalog (see define.ts) and hand it to `promkit generate`.
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

// ---- Dashboards --------------------------------------------------------------------------

export interface TargetSpec {
  readonly expr: string;
  readonly legend?: string;
}

export interface PanelSpec {
  /** `gauge` is a stat with a dial; `table` lists the latest value of each series. */
  readonly kind: 'timeseries' | 'stat' | 'gauge' | 'table';
  readonly title: string;
  readonly description: string;
  /** A Grafana unit id: `s`, `ops`, `reqps`, `percentunit`, `percent`, `short`, `currencyUSD`... */
  readonly unit: string;
  readonly targets: readonly TargetSpec[];
  /** Grid width out of 24 (default 12 for time series and tables, 6 for stat/gauge). */
  readonly width?: number;
  readonly min?: number;
  readonly max?: number;
  /** Ascending [value, color] steps after the base color; e.g. success rates turn red below a bound. */
  readonly thresholds?: { readonly base: string; readonly steps: readonly (readonly [number, string])[] };
}

export interface RowSpec {
  readonly title: string;
  readonly panels: readonly PanelSpec[];
}

export interface VariableSpec {
  readonly name: string;
  readonly label: string;
  /** Grafana's `label_values(metric, label)`: the metric must be one the catalog declares. */
  readonly metric: string;
  readonly multi: boolean;
}

export interface DashboardSpec {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly variables: readonly VariableSpec[];
  readonly rows: readonly RowSpec[];
}

// ---- Rules -------------------------------------------------------------------------------

export type Severity = 'critical' | 'warning' | 'info';

/** Input series in promtool notation: selector → values, e.g. `'0+60x30'`. */
export type SeriesHistory = Readonly<Record<string, string>>;

export interface AlertScenario {
  /** What this history represents, e.g. "20% of operations fail". */
  readonly name: string;
  readonly series: SeriesHistory;
  /** When to evaluate, e.g. `'30m'` (well after `for`). */
  readonly at: string;
  /**
   * The alerts expected to fire: labels of the expression's result series (rule labels are
   * added) and the value the annotations render `$value` from. Empty: the alert stays quiet.
   */
  readonly alerts: readonly { readonly labels: Readonly<Record<string, string>>; readonly value: number }[];
}

export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly severity: Severity;
  readonly summary: string;
  /** May use `{{ $labels.x }}`, `{{ $value }}`, `{{ $value | humanize }}`, `{{ $value | humanizePercentage }}`. */
  readonly description: string;
  /** What to check and do when it fires; rendered into the runbook the alert links to. */
  readonly runbook: string;
  /** Who or what suffers while it fires; the runbook states a default per severity when absent. */
  readonly impact?: string;
  /** Queries to run first when it fires; shown in the runbook and evaluated by the tests. */
  readonly diagnosis?: readonly ExampleQuery[];
  /** When the spec's version was wrong: what it said and why this one differs. */
  readonly correctsSpec?: string;
  readonly fires: AlertScenario;
  readonly quiet: AlertScenario;
}

export interface RecordingScenario {
  readonly name: string;
  readonly series: SeriesHistory;
  readonly at: string;
  readonly samples: readonly { readonly labels: Readonly<Record<string, string>>; readonly value: number }[];
}

export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
  readonly description: string;
  readonly correctsSpec?: string;
  readonly expect: RecordingScenario;
}

export interface RuleGroup {
  readonly name: string;
  /** Evaluation interval of the group, when not the global one. */
  readonly interval?: string;
  readonly rules: readonly (AlertRule | RecordingRule)[];
}

/** The rules of one catalog; `catalog` is the catalog id. */
export interface RuleSet {
  readonly catalog: string;
  readonly groups: readonly RuleGroup[];
}

// ---- Scrape manifests --------------------------------------------------------------------

export interface ScrapeEndpointOptions {
  readonly namespace: string;
  readonly matchLabels: Readonly<Record<string, string>>;
  /** Name of the Service/container port. */
  readonly port: string;
  readonly scheme: 'http' | 'https';
  /** https only: skip certificate verification (self-signed serving certs, as the specs show). */
  readonly insecureSkipVerify?: boolean;
  /** https only: send Prometheus' service account token (operators that authorize /metrics with TokenReview/SubjectAccessReview). */
  readonly bearerToken?: boolean;
  readonly interval?: string;
  readonly scrapeTimeout?: string;
}

/** Operators are scraped through a Service (ServiceMonitor); pods without one directly (PodMonitor). */
export interface MonitorSpec {
  readonly kind: 'ServiceMonitor' | 'PodMonitor';
  readonly options: ScrapeEndpointOptions;
}

// ---- The catalog -------------------------------------------------------------------------

export interface Catalog<M extends Record<string, MetricSpec> = Record<string, MetricSpec>> {
  /** Short id, used in file names: 'dynamo-operator', 'my-service'. */
  readonly id: string;
  readonly title: string;
  readonly description: string;
  /** The spec document this catalog implements, if any (file name under shared/spec). */
  readonly spec?: string;
  /** Default scrape settings of the component exposing these metrics. */
  readonly scrape: { readonly job: string; readonly port: number; readonly path: string };
  /**
   * True for families every process of some kind exposes beside its own (Node.js process
   * metrics, request metrics of promkit's servers): they get dashboards, rules and docs with a
   * `job` variable, but no scrape job or monitor of their own (`scrape` names where the demo
   * and the local stack find one such process).
   */
  readonly embedded?: boolean;
  readonly metrics: M;
  readonly queries: readonly ExampleQuery[];
  /** The dashboard; without one the generator derives a panel per family. */
  readonly dashboard?: DashboardSpec;
  /** Alerting and recording rules, each with the histories that prove it. */
  readonly rules?: readonly RuleGroup[];
  /** How Prometheus Operator scrapes it; default a ServiceMonitor on port `metrics` over http. */
  readonly monitor?: MonitorSpec;
}

/** What `defineCatalog()` accepts: a catalog whose example queries may be left out. */
export type CatalogDefinition<M extends Record<string, MetricSpec> = Record<string, MetricSpec>> = Omit<Catalog<M>, 'queries'> & {
  readonly queries?: readonly ExampleQuery[];
};

export function isAlert(rule: AlertRule | RecordingRule): rule is AlertRule {
  return 'alert' in rule;
}
