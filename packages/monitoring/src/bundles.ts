import { allCatalogs, selfCatalogs } from '@promkit/catalogs';
import { defineCatalog, type Catalog, type DashboardSpec, type MonitorSpec, type RuleSet } from 'promkit/catalog';
import { defaultDashboard } from './dashboards/default-dashboard.js';
import { datamoverDashboard } from './dashboards/datamover.js';
import { dynamoOperatorDashboard } from './dashboards/dynamo-operator.js';
import { dynamoRuntimeDashboard } from './dashboards/dynamo-runtime.js';
import { modalDashboard } from './dashboards/modal.js';
import { datamoverRules } from './rules/datamover.js';
import { dynamoOperatorRules } from './rules/dynamo-operator.js';
import { modalRules } from './rules/modal.js';

/** Everything generated for one catalog besides its reference docs. */
export interface MonitoringBundle {
  readonly catalog: Catalog;
  readonly dashboard: DashboardSpec;
  readonly rules?: RuleSet;
  /** Absent for embedded catalogs (their families are scraped with another component's). */
  readonly monitor?: MonitorSpec;
}

const [dynamoOperator, dynamoRuntime, datamover, modal] = allCatalogs as [Catalog, Catalog, Catalog, Catalog];

/**
 * The four spec catalogs with their dashboards, rules and monitors, declared through the same
 * `defineCatalog()` a user's catalog goes through.
 */
export const specMonitoringCatalogs: readonly Catalog[] = [
  defineCatalog({
    ...dynamoOperator,
    dashboard: dynamoOperatorDashboard,
    rules: dynamoOperatorRules.groups,
    monitor: {
      kind: 'ServiceMonitor',
      // kube-rbac-proxy serves TLS with its own certificate and lets /metrics through
      // unauthenticated (--ignore-paths=/metrics), as the spec describes.
      options: {
        namespace: 'dynamo-system',
        matchLabels: { 'app.kubernetes.io/name': 'dynamo-operator' },
        port: 'https',
        scheme: 'https',
        insecureSkipVerify: true,
      },
    },
  }),
  defineCatalog({
    ...dynamoRuntime,
    dashboard: dynamoRuntimeDashboard,
    monitor: {
      kind: 'PodMonitor',
      options: { namespace: 'monitoring', matchLabels: { 'nvidia.com/metrics-enabled': 'true' }, port: 'system', scheme: 'http' },
    },
  }),
  defineCatalog({
    ...datamover,
    dashboard: datamoverDashboard,
    rules: datamoverRules.groups,
    monitor: {
      kind: 'ServiceMonitor',
      // The spec's ServiceMonitor (https, self-signed); the bearer token is what a
      // controller-runtime operator with authenticated metrics (TokenReview) needs.
      options: {
        namespace: 'datamover-operator-system',
        matchLabels: { 'control-plane': 'controller-manager' },
        port: 'https',
        scheme: 'https',
        insecureSkipVerify: true,
        bearerToken: true,
      },
    },
  }),
  defineCatalog({
    ...modal,
    dashboard: modalDashboard,
    rules: modalRules.groups,
    monitor: {
      kind: 'ServiceMonitor',
      options: { namespace: 'modal-system', matchLabels: { 'app.kubernetes.io/name': 'modal-operator' }, port: 'metrics', scheme: 'http', interval: '30s' },
    },
  }),
];

/** A catalog that names no monitor is scraped through a Service port `metrics` named like its job. */
function defaultMonitor(catalog: Catalog): MonitorSpec {
  return {
    kind: 'ServiceMonitor',
    options: { namespace: 'default', matchLabels: { 'app.kubernetes.io/name': catalog.scrape.job }, port: 'metrics', scheme: 'http' },
  };
}

const specById = new Map(specMonitoringCatalogs.map((c) => [c.id, c]));

/**
 * The bundle of any catalog. A spec catalog's metrics-only declaration (what `@promkit/catalogs`
 * exports for the kit) resolves to its full definition above.
 */
export function bundleFor(input: Catalog): MonitoringBundle {
  const spec = specById.get(input.id);
  const catalog = !input.dashboard && !input.rules && !input.monitor && spec?.metrics === input.metrics ? spec : input;
  return {
    catalog,
    dashboard: catalog.dashboard ?? defaultDashboard(catalog),
    ...(catalog.rules ? { rules: { catalog: catalog.id, groups: catalog.rules } } : {}),
    ...(catalog.embedded ? {} : { monitor: catalog.monitor ?? defaultMonitor(catalog) }),
  };
}

/** What `promkit generate` writes by default: the spec catalogs, then promkit's self-monitoring. */
export const defaultCatalogs: readonly Catalog[] = [...specMonitoringCatalogs, ...selfCatalogs];

export const allBundles: readonly MonitoringBundle[] = defaultCatalogs.map(bundleFor);
