import type { Catalog } from 'promkit/catalog';

/** Host name under which containers of the local stack reach processes on the host. */
export const HOST_FROM_CONTAINERS = 'host.docker.internal';

/**
 * `prometheus.yml` of the local stack: one job per catalog at its default port on the host
 * (where `npm start` or your service runs), and every generated rule file. Job names are the
 * catalogs' so the generated alerts (`up{job="modal-operator"}`) work unchanged.
 */
export function localPrometheusConfig(catalogs: readonly Catalog[]): Record<string, unknown> {
  return {
    global: { scrape_interval: '15s', evaluation_interval: '15s' },
    // Relative to this file: the compose file mounts this directory at /etc/prometheus.
    rule_files: ['rules/*.rules.yml'],
    scrape_configs: [
      { job_name: 'prometheus', static_configs: [{ targets: ['localhost:9090'] }] },
      // Embedded catalogs' families come with another component's scrape.
      ...catalogs
        .filter((c) => !c.embedded)
        .map((c) => ({
          job_name: c.scrape.job,
          metrics_path: c.scrape.path,
          static_configs: [{ targets: [`${HOST_FROM_CONTAINERS}:${c.scrape.port}`] }],
        })),
    ],
  };
}
