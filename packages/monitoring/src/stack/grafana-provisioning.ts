/** Where the compose file mounts the generated dashboards inside the Grafana container. */
export const GRAFANA_DASHBOARDS_PATH = '/var/lib/grafana/dashboards';

/** Provisioned datasource; its uid is what the dashboards' datasource variable defaults to. */
export function grafanaDatasources(prometheusUrl = 'http://prometheus:9090'): Record<string, unknown> {
  return {
    apiVersion: 1,
    datasources: [
      {
        name: 'Prometheus',
        type: 'prometheus',
        uid: 'prometheus',
        access: 'proxy',
        url: prometheusUrl,
        isDefault: true,
        // Lets $__rate_interval cover at least four scrapes of the 15s local scrape interval.
        jsonData: { timeInterval: '15s' },
      },
    ],
  };
}

export function grafanaDashboardProviders(): Record<string, unknown> {
  return {
    apiVersion: 1,
    providers: [
      {
        name: 'promkit',
        folder: 'promkit',
        type: 'file',
        disableDeletion: true,
        allowUiUpdates: false,
        options: { path: GRAFANA_DASHBOARDS_PATH },
      },
    ],
  };
}
