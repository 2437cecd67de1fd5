import { GRAFANA_DASHBOARDS_PATH } from './grafana-provisioning.js';
import { HOST_FROM_CONTAINERS } from './prometheus-config.js';

/** Image versions are pinned so a generated stack behaves the same next year. */
export const PROMETHEUS_IMAGE = 'prom/prometheus:v2.53.4';
/** The Foundation SDK emits dashboard schema 42, which needs Grafana 12. */
export const GRAFANA_IMAGE = 'grafana/grafana:12.2.0';

/**
 * A Prometheus + Grafana stack like the one in dynamo-observability.md (same ports, same
 * dynamo/dynamo login), with paths relative to the generated directory.
 */
export function composeFile(): Record<string, unknown> {
  return {
    name: 'promkit-observability',
    services: {
      prometheus: {
        image: PROMETHEUS_IMAGE,
        // exemplar-storage keeps the trace ids promkit attaches to histogram buckets, so the
        // dashboards' latency panels can link a slow bucket to its trace.
        command: [
          '--config.file=/etc/prometheus/prometheus.yml',
          '--storage.tsdb.path=/prometheus',
          '--web.enable-lifecycle',
          '--enable-feature=exemplar-storage',
        ],
        ports: ['9090:9090'],
        volumes: ['./prometheus:/etc/prometheus:ro'],
        // Lets Prometheus scrape processes running on the host (Linux needs this mapping).
        extra_hosts: [`${HOST_FROM_CONTAINERS}:host-gateway`],
      },
      grafana: {
        image: GRAFANA_IMAGE,
        ports: ['3000:3000'],
        environment: {
          GF_SECURITY_ADMIN_USER: 'dynamo',
          GF_SECURITY_ADMIN_PASSWORD: 'dynamo',
          GF_USERS_ALLOW_SIGN_UP: 'false',
        },
        volumes: ['./grafana/provisioning:/etc/grafana/provisioning:ro', `./dashboards:${GRAFANA_DASHBOARDS_PATH}:ro`],
        depends_on: ['prometheus'],
      },
    },
  };
}
