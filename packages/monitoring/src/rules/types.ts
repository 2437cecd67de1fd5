/**
 * Alerting and recording rules as data: each rule carries the series histories that prove
 * it (generated into `promtool test rules` files), so a rule cannot ship untested.
 */

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

export function isAlert(rule: AlertRule | RecordingRule): rule is AlertRule {
  return 'alert' in rule;
}
