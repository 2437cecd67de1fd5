import type { Catalog, ScrapeEndpointOptions } from 'promkit/catalog';

export type { ScrapeEndpointOptions } from 'promkit/catalog';

/** Where in-cluster service account tokens are mounted; Prometheus sends its own as bearer token. */
export const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/**
 * The endpoint block shared by ServiceMonitor and PodMonitor. The `job` relabeling makes the
 * job label the catalog's job name whatever the Service is called, so generated alerts such
 * as `up{job="modal-operator"}` match in-cluster as they do in the local stack.
 */
export function scrapeEndpoint(catalog: Catalog, o: ScrapeEndpointOptions): Record<string, unknown> {
  const endpoint: Record<string, unknown> = { port: o.port, scheme: o.scheme, path: catalog.scrape.path };
  if (o.interval) endpoint.interval = o.interval;
  if (o.scrapeTimeout) endpoint.scrapeTimeout = o.scrapeTimeout;
  if (o.scheme === 'https') {
    if (o.bearerToken) endpoint.bearerTokenFile = SERVICE_ACCOUNT_TOKEN;
    endpoint.tlsConfig = { insecureSkipVerify: o.insecureSkipVerify ?? false };
  }
  endpoint.relabelings = [{ action: 'replace', targetLabel: 'job', replacement: catalog.scrape.job }];
  return endpoint;
}

/** Endpoint options plus labels for the Prometheus Operator's monitor selector (e.g. `release`). */
export type MonitorOptions = ScrapeEndpointOptions & { readonly labels?: Readonly<Record<string, string>> };

function monitor(kind: 'ServiceMonitor' | 'PodMonitor', catalog: Catalog, o: MonitorOptions, endpointsKey: string): Record<string, unknown> {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind,
    metadata: {
      name: catalog.scrape.job,
      namespace: o.namespace,
      labels: { 'app.kubernetes.io/managed-by': 'promkit', ...o.labels },
    },
    spec: {
      selector: { matchLabels: { ...o.matchLabels } },
      ...(kind === 'PodMonitor' ? { namespaceSelector: { any: true } } : {}),
      [endpointsKey]: [scrapeEndpoint(catalog, o)],
    },
  };
}

/** Operators are scraped through their metrics Service. */
export function serviceMonitor(catalog: Catalog, options: MonitorOptions): Record<string, unknown> {
  return monitor('ServiceMonitor', catalog, options, 'endpoints');
}

/** Runtime pods have no Service of their own: scrape every pod carrying the label, in any namespace. */
export function podMonitor(catalog: Catalog, options: MonitorOptions): Record<string, unknown> {
  return monitor('PodMonitor', catalog, options, 'podMetricsEndpoints');
}
