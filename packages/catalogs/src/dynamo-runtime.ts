import { DURATION_BUCKETS, DURATION_HELP, REQUEST_LABELS, REQUESTS_HELP } from 'promkit/server';
import { defineCatalog } from 'promkit/catalog';

/** Default paths of the system status server (DYN_SYSTEM_HEALTH_PATH / DYN_SYSTEM_LIVE_PATH change the last two). */
export const DYNAMO_SYSTEM_PATHS = ['/metrics', '/health', '/live'] as const;

/**
 * The runtime's own families (spec: dynamo-metrics-registry.md): what `DYN_SYSTEM_ENABLED=true`
 * adds, plus the per-endpoint work-handler families a dashboard of request rate, latency and
 * errors per namespace/component/endpoint needs.
 */
export const dynamoRuntimeCatalog = defineCatalog({
  id: 'dynamo-runtime',
  title: 'Dynamo Runtime',
  description:
    'Metrics every DistributedRuntime process exposes on its system status server: uptime, the status ' +
    "server's own HTTP metrics, and request/latency/error families per namespace, component and endpoint.",
  spec: 'dynamo-metrics-registry.md',
  // The spec's DYN_SYSTEM_PORT=8081 is an example value and collides with Modal's fixed 8081 in a
  // local stack that scrapes everything; 8083 keeps the four defaults distinct.
  scrape: { job: 'dynamo', port: 8083, path: '/metrics' },
  metrics: {
    uptime: {
      name: 'dynamo_system_uptime_seconds',
      type: 'counter',
      help: 'System uptime',
      labelNames: ['namespace'] as const,
      unit: 'seconds',
    },
    httpRequests: {
      name: 'dynamo_system_http_requests_total',
      type: 'counter',
      help: REQUESTS_HELP,
      labelNames: REQUEST_LABELS,
      labelValues: { path: DYNAMO_SYSTEM_PATHS },
    },
    httpRequestDuration: {
      name: 'dynamo_system_http_request_duration_seconds',
      type: 'histogram',
      help: DURATION_HELP,
      labelNames: ['path'] as const,
      labelValues: { path: DYNAMO_SYSTEM_PATHS },
      buckets: DURATION_BUCKETS,
      bucketsRationale:
        'The spec names the family but gives no buckets. Health probes answer from memory in well ' +
        'under a millisecond; a scrape of a large registry takes milliseconds to a few hundred; ' +
        'anything near the default 10 s scrape timeout is already an outage. 0.5 ms to 2.5 s.',
      unit: 'seconds',
    },
    componentRequests: {
      name: 'dynamo_component_requests_total',
      type: 'counter',
      help: 'Requests handled by an endpoint',
      labelNames: ['namespace', 'component', 'endpoint'] as const,
    },
    componentRequestDuration: {
      name: 'dynamo_component_request_duration_seconds',
      type: 'histogram',
      help: 'Time an endpoint took to handle a request',
      labelNames: ['namespace', 'component', 'endpoint'] as const,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      bucketsRationale:
        'The spec gives none for work handlers; its own histogram examples span 1 ms to 10 s. ' +
        'Inference requests stream for tens of seconds, so this extends to 60 s.',
      unit: 'seconds',
    },
    componentErrors: {
      name: 'dynamo_component_errors_total',
      type: 'counter',
      help: 'Requests an endpoint failed',
      labelNames: ['namespace', 'component', 'endpoint', 'error_type'] as const,
    },
  },
  queries: [
    { title: 'Uptime by namespace', expr: 'max by (namespace) (dynamo_system_uptime_seconds)' },
    {
      title: 'Status server requests by path and code',
      expr: 'sum by (path, code) (rate(dynamo_system_http_requests_total[5m]))',
    },
    {
      title: 'Status server p99 latency by path',
      expr: 'histogram_quantile(0.99, sum by (path, le) (rate(dynamo_system_http_request_duration_seconds_bucket[5m])))',
    },
    {
      title: 'Request rate per endpoint',
      expr: 'sum by (namespace, component, endpoint) (rate(dynamo_component_requests_total[5m]))',
    },
    {
      title: 'p95 latency per endpoint',
      expr: 'histogram_quantile(0.95, sum by (namespace, component, endpoint, le) ' + '(rate(dynamo_component_request_duration_seconds_bucket[5m])))',
    },
    {
      title: 'Error ratio per endpoint',
      expr:
        'sum by (namespace, component, endpoint) (rate(dynamo_component_errors_total[5m])) / ' +
        'sum by (namespace, component, endpoint) (rate(dynamo_component_requests_total[5m]))',
    },
  ],
});
