import { isAlert, type AlertRule, type RecordingRule, type RuleSet } from './types.js';

/** Where an alert's runbook section lives: the generated runbooks page, anchored by alert name. */
export function runbookUrl(base: string, alert: string): string {
  return `${base}#${alert.toLowerCase()}`;
}

export function alertAnnotations(rule: AlertRule, runbookBase: string): Record<string, string> {
  return { summary: rule.summary, description: rule.description, runbook_url: runbookUrl(runbookBase, rule.alert) };
}

function renderRule(rule: AlertRule | RecordingRule, runbookBase: string): Record<string, unknown> {
  if (!isAlert(rule)) return { record: rule.record, expr: rule.expr };
  return {
    alert: rule.alert,
    expr: rule.expr,
    for: rule.for,
    labels: { severity: rule.severity },
    annotations: alertAnnotations(rule, runbookBase),
  };
}

/** The `groups:` list of a Prometheus rule file (also the `spec` of a PrometheusRule). */
export function ruleGroups(set: RuleSet, runbookBase: string): Record<string, unknown>[] {
  return set.groups.map((group) => ({
    name: group.name,
    ...(group.interval ? { interval: group.interval } : {}),
    rules: group.rules.map((rule) => renderRule(rule, runbookBase)),
  }));
}

/** Every rule of a set, flattened in file order. */
export function allRules(set: RuleSet): (AlertRule | RecordingRule)[] {
  return set.groups.flatMap((g) => g.rules);
}

/** Names of the series a rule set records (queries may select them like catalog metrics). */
export function recordedSeries(set: RuleSet): string[] {
  return allRules(set).flatMap((r) => (isAlert(r) ? [] : [r.record]));
}
