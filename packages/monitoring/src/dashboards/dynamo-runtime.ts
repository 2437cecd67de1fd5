import type { DashboardSpec } from './builder.js';

const SCOPE = 'namespace=~"$namespace", component=~"$component", endpoint=~"$endpoint"';
const BY = 'namespace, component, endpoint';
const W = '$__rate_interval';
const LEGEND = '{{namespace}}/{{component}}/{{endpoint}}';

/** Request rate, latency and errors per namespace/component/endpoint, plus the status server. */
export const dynamoRuntimeDashboard: DashboardSpec = {
  uid: 'promkit-dynamo-runtime',
  title: 'Dynamo Runtime',
  description: 'Requests, latency and errors of DistributedRuntime endpoints, and the system status server.',
  tags: ['promkit', 'dynamo', 'runtime'],
  variables: [
    { name: 'namespace', label: 'Namespace', metric: 'dynamo_component_requests_total', multi: true },
    { name: 'component', label: 'Component', metric: 'dynamo_component_requests_total', multi: true },
    { name: 'endpoint', label: 'Endpoint', metric: 'dynamo_component_requests_total', multi: true },
  ],
  rows: [
    {
      title: 'Endpoints',
      panels: [
        {
          kind: 'timeseries',
          title: 'Request rate',
          description: 'Requests per second handled by each endpoint.',
          unit: 'reqps',
          width: 8,
          targets: [{ expr: `sum by (${BY}) (rate(dynamo_component_requests_total{${SCOPE}}[${W}]))`, legend: LEGEND }],
        },
        {
          kind: 'timeseries',
          title: 'Latency p95',
          description: '95th percentile time to handle a request, per endpoint.',
          unit: 's',
          width: 8,
          targets: [
            {
              expr: `histogram_quantile(0.95, sum by (${BY}, le) (rate(dynamo_component_request_duration_seconds_bucket{${SCOPE}}[${W}])))`,
              legend: LEGEND,
            },
          ],
        },
        {
          kind: 'timeseries',
          title: 'Error ratio',
          description: 'Share of requests that failed, per endpoint.',
          unit: 'percentunit',
          width: 8,
          targets: [
            {
              expr:
                `sum by (${BY}) (rate(dynamo_component_errors_total{${SCOPE}}[${W}])) / ` +
                `sum by (${BY}) (rate(dynamo_component_requests_total{${SCOPE}}[${W}]))`,
              legend: LEGEND,
            },
          ],
        },
        {
          kind: 'timeseries',
          title: 'Errors by type',
          description: 'Failed requests per second by error type.',
          unit: 'reqps',
          width: 24,
          targets: [{ expr: `sum by (${BY}, error_type) (rate(dynamo_component_errors_total{${SCOPE}}[${W}]))`, legend: `${LEGEND} {{error_type}}` }],
        },
      ],
    },
    {
      title: 'System Status Server',
      panels: [
        {
          kind: 'stat',
          title: 'Uptime',
          description: 'Seconds since each runtime started, per namespace.',
          unit: 's',
          targets: [{ expr: 'max by (namespace) (dynamo_system_uptime_seconds{namespace=~"$namespace"})', legend: '{{namespace}}' }],
        },
        {
          kind: 'timeseries',
          title: 'Status server requests',
          description: 'Requests to /metrics, /health and /live per second by status code.',
          unit: 'reqps',
          width: 9,
          targets: [{ expr: `sum by (path, code) (rate(dynamo_system_http_requests_total[${W}]))`, legend: '{{path}} {{code}}' }],
        },
        {
          kind: 'timeseries',
          title: 'Status server latency p99',
          description: '99th percentile response time of the status server per path; a slow /metrics delays scrapes.',
          unit: 's',
          width: 9,
          targets: [
            {
              expr: `histogram_quantile(0.99, sum by (path, le) (rate(dynamo_system_http_request_duration_seconds_bucket[${W}])))`,
              legend: '{{path}}',
            },
          ],
        },
      ],
    },
  ],
};
