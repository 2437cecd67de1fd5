import { allCatalogs } from '@promkit/catalogs';
import type { Catalog } from 'promkit/catalog';
import type { DashboardSpec } from './dashboards/builder.js';
import { datamoverDashboard } from './dashboards/datamover.js';
import { dynamoOperatorDashboard } from './dashboards/dynamo-operator.js';
import { dynamoRuntimeDashboard } from './dashboards/dynamo-runtime.js';
import { modalDashboard } from './dashboards/modal.js';
import type { ScrapeEndpointOptions } from './manifests/monitors.js';
import { datamoverRules } from './rules/datamover.js';
import { dynamoOperatorRules } from './rules/dynamo-operator.js';
import { modalRules } from './rules/modal.js';
import type { RuleSet } from './rules/types.js';

/** Everything generated for one catalog besides its reference docs. */
export interface MonitoringBundle {
  readonly catalog: Catalog;
  readonly dashboard: DashboardSpec;
  readonly rules?: RuleSet;
  /** Operators are scraped through a Service; runtime pods directly. */
  readonly monitor: { readonly kind: 'ServiceMonitor' | 'PodMonitor'; readonly options: ScrapeEndpointOptions };
}

const BUNDLES: Readonly<Record<string, Omit<MonitoringBundle, 'catalog'>>> = {
  'dynamo-operator': {
    dashboard: dynamoOperatorDashboard,
    rules: dynamoOperatorRules,
    monitor: {
      kind: 'ServiceMonitor',
      // kube-rbac-proxy serves TLS with its own certificate and lets /metrics through
      // unauthenticated (--ignore-paths=/metrics), as the spec describes.
      options: { namespace: 'dynamo-system', matchLabels: { 'app.kubernetes.io/name': 'dynamo-operator' }, port: 'https', scheme: 'https', insecureSkipVerify: true },
    },
  },
  'dynamo-runtime': {
    dashboard: dynamoRuntimeDashboard,
    monitor: {
      kind: 'PodMonitor',
      options: { namespace: 'monitoring', matchLabels: { 'nvidia.com/metrics-enabled': 'true' }, port: 'system', scheme: 'http' },
    },
  },
  datamover: {
    dashboard: datamoverDashboard,
    rules: datamoverRules,
    monitor: {
      kind: 'ServiceMonitor',
      // The spec's ServiceMonitor (https, self-signed); the bearer token is what a
      // controller-runtime operator with authenticated metrics (TokenReview) needs.
      options: { namespace: 'datamover-operator-system', matchLabels: { 'control-plane': 'controller-manager' }, port: 'https', scheme: 'https', insecureSkipVerify: true, bearerToken: true },
    },
  },
  modal: {
    dashboard: modalDashboard,
    rules: modalRules,
    monitor: {
      kind: 'ServiceMonitor',
      options: { namespace: 'modal-system', matchLabels: { 'app.kubernetes.io/name': 'modal-operator' }, port: 'metrics', scheme: 'http', interval: '30s' },
    },
  },
};

export function bundleFor(catalog: Catalog): MonitoringBundle {
  const bundle = BUNDLES[catalog.id];
  if (!bundle) throw new Error(`no dashboards/rules/manifests are defined for catalog '${catalog.id}' (defined: ${Object.keys(BUNDLES).join(', ')})`);
  return { catalog, ...bundle };
}

export const allBundles: readonly MonitoringBundle[] = allCatalogs.map(bundleFor);
