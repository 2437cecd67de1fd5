export { buildArtifacts, DEFAULT_RUNBOOK_BASE, type Artifact, type ArtifactOptions } from './artifacts.js';
export { allBundles, bundleFor, type MonitoringBundle } from './bundles.js';
export {
  buildDashboard,
  dashboardExpressions,
  type DashboardSpec,
  type PanelSpec,
  type RowSpec,
  type TargetSpec,
  type VariableSpec,
} from './dashboards/builder.js';
export { datamoverDashboard } from './dashboards/datamover.js';
export { dynamoOperatorDashboard } from './dashboards/dynamo-operator.js';
export { dynamoRuntimeDashboard } from './dashboards/dynamo-runtime.js';
export { modalDashboard } from './dashboards/modal.js';
export { checkDeployFresh, generateAll, type FreshnessReport, type GenerateOptions } from './generate.js';
export { parseGenerateArgs, runGenerate, GENERATE_USAGE } from './generate-cli.js';
export { runCommand, runAsMain, UsageError, type CommandSpec } from './cli/command.js';
export { dashboardConfigMap, GRAFANA_DASHBOARD_LABEL } from './manifests/dashboard-configmap.js';
export { podMonitor, serviceMonitor, type ScrapeEndpointOptions } from './manifests/monitors.js';
export { expandGrafanaVariables } from './promql/grafana-variables.js';
export { knownSeries, OUTSIDE_METRICS, type KnownSeries } from './promql/known-metrics.js';
export { lintPromql, type LintResult } from './promql/lint.js';
export { catalogReference, runbooks } from './reference-docs.js';
export { datamoverRules } from './rules/datamover.js';
export { dynamoOperatorRules } from './rules/dynamo-operator.js';
export { modalRules } from './rules/modal.js';
export { recordedSeries, ruleGroups } from './rules/rule-file.js';
export { expressionsIn, type FoundExpression } from './promql/extract.js';
export { toPrometheusRule } from './rules/to-prometheus-rule.js';
export type { AlertRule, RecordingRule, RuleGroup, RuleSet, Severity } from './rules/types.js';
export { ruleUnitTests } from './rules/unit-tests.js';
export { defaultCatalogs, specMonitoringCatalogs } from './bundles.js';
export { CONFIG_FILES, defineConfig, type PromkitConfig } from './config.js';
export { defaultDashboard } from './dashboards/default-dashboard.js';
export { importModule, loadCatalogModule, loadConfig } from './load-catalogs.js';
export { resolveGenerate, type GenerateArgs } from './generate-cli.js';
export { scopeSelectors, firstMetric, type ScopeMatcher } from './promql/scope.js';
