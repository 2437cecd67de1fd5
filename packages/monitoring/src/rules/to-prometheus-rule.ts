import { ruleGroups } from './rule-file.js';
import type { RuleSet } from './types.js';

export interface PrometheusRuleOptions {
  readonly name: string;
  readonly namespace: string;
  readonly runbookBase: string;
  /** Labels the Prometheus Operator's `ruleSelector` matches (kube-prometheus-stack: `release`). */
  readonly labels?: Readonly<Record<string, string>>;
}

/** The same groups as the plain rule file, wrapped for the Prometheus Operator. */
export function toPrometheusRule(set: RuleSet, options: PrometheusRuleOptions): Record<string, unknown> {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: {
      name: options.name,
      namespace: options.namespace,
      labels: { 'app.kubernetes.io/managed-by': 'promkit', ...options.labels },
    },
    spec: { groups: ruleGroups(set, options.runbookBase) },
  };
}
