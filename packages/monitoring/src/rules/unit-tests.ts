import { alertAnnotations, allRules } from './rule-file.js';
import { renderTemplate } from './templates.js';
import { isAlert, type AlertRule, type AlertScenario, type RecordingRule, type RuleSet, type SeriesHistory } from './types.js';

/** Input series are one sample a minute; scenarios' `values` and `at` are written for that. */
const INTERVAL = '1m';

function inputSeries(series: SeriesHistory): { series: string; values: string }[] {
  return Object.entries(series).map(([selector, values]) => ({ series: selector, values }));
}

function selector(name: string, labels: Readonly<Record<string, string>>): string {
  const pairs = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`);
  return pairs.length ? `${name}{${pairs.join(',')}}` : name;
}

function alertTest(rule: AlertRule, scenario: AlertScenario, runbookBase: string, verdict: string): Record<string, unknown> {
  const annotations = alertAnnotations(rule, runbookBase);
  return {
    name: `${rule.alert} ${verdict}: ${scenario.name}`,
    interval: INTERVAL,
    input_series: inputSeries(scenario.series),
    alert_rule_test: [
      {
        eval_time: scenario.at,
        alertname: rule.alert,
        exp_alerts: scenario.alerts.map((a) => ({
          exp_labels: { severity: rule.severity, ...a.labels },
          exp_annotations: Object.fromEntries(Object.entries(annotations).map(([k, template]) => [k, renderTemplate(template, a.labels, a.value)])),
        })),
      },
    ],
  };
}

function recordingTest(rule: RecordingRule): Record<string, unknown> {
  const { expect } = rule;
  return {
    name: `${rule.record}: ${expect.name}`,
    interval: INTERVAL,
    input_series: inputSeries(expect.series),
    promql_expr_test: [
      {
        expr: rule.record,
        eval_time: expect.at,
        exp_samples: expect.samples.map((s) => ({ labels: selector(rule.record, s.labels), value: s.value })),
      },
    ],
  };
}

/**
 * A `promtool test rules` file for a rule set: for every alert one history that fires it and
 * one that keeps it quiet; for every recording rule its expected samples.
 */
export function ruleUnitTests(set: RuleSet, ruleFile: string, runbookBase: string): Record<string, unknown> {
  const tests = allRules(set).flatMap((rule) =>
    isAlert(rule) ? [alertTest(rule, rule.fires, runbookBase, 'fires'), alertTest(rule, rule.quiet, runbookBase, 'stays quiet')] : [recordingTest(rule)],
  );
  return { rule_files: [ruleFile], evaluation_interval: INTERVAL, tests };
}
