/** Label the Grafana dashboard sidecar (kube-prometheus-stack) watches for. */
export const GRAFANA_DASHBOARD_LABEL = { grafana_dashboard: '1' } as const;

/** A dashboard as a ConfigMap the Grafana sidecar loads, as the Dynamo operator spec deploys it. */
export function dashboardConfigMap(id: string, dashboardJson: string, namespace: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: `grafana-dashboard-${id}`,
      namespace,
      labels: { ...GRAFANA_DASHBOARD_LABEL, 'app.kubernetes.io/managed-by': 'promkit' },
    },
    data: { [`${id}.json`]: dashboardJson },
  };
}
