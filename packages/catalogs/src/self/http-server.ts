import { DURATION_BUCKETS, DURATION_HELP, REQUEST_LABELS, REQUESTS_HELP } from 'promkit/server';
import { defineCatalog } from 'promkit/catalog';

const W = '$__rate_interval';
const BY = 'job, instance';
const target = 'job="svc",instance="10.0.0.1:9464"';
const bucket = (path: string, le: string) => `promkit_http_request_duration_seconds_bucket{${target},path="${path}",le="${le}"}`;

/**
 * The request metrics of promkit's status/metrics server (`startMetricsServer`, default prefix
 * `promkit_http`): every service serving /metrics with it exposes them beside its own families.
 */
export const httpServerCatalog = defineCatalog({
  id: 'promkit-http',
  title: 'promkit Metrics Server',
  description: "Requests, status codes and latency of promkit's metrics/status HTTP server (/metrics, /health, /live) in every process that runs it.",
  embedded: true,
  scrape: { job: 'promkit', port: 9464, path: '/metrics' },
  metrics: {
    requests: {
      name: 'promkit_http_requests_total',
      type: 'counter',
      help: REQUESTS_HELP,
      labelNames: REQUEST_LABELS,
      labelValues: { path: ['/metrics', '/health', '/live', 'other'] },
    },
    duration: {
      name: 'promkit_http_request_duration_seconds',
      type: 'histogram',
      help: DURATION_HELP,
      labelNames: ['path'] as const,
      labelValues: { path: ['/metrics', '/health', '/live', 'other'] },
      buckets: DURATION_BUCKETS,
      bucketsRationale:
        'Health probes answer from memory in well under a millisecond; a scrape of a large registry takes milliseconds to ' +
        'a few hundred; anything near the usual 10 s scrape timeout is already an outage. 0.5 ms to 2.5 s.',
      unit: 'seconds',
    },
  },
  queries: [
    { title: 'Requests by path and code', expr: 'sum by (path, code) (rate(promkit_http_requests_total[5m]))' },
    {
      title: 'p99 scrape latency per process',
      expr: `histogram_quantile(0.99, sum by (${BY}, le) (rate(promkit_http_request_duration_seconds_bucket{path="/metrics"}[5m])))`,
    },
  ],
  dashboard: {
    uid: 'promkit-http',
    title: 'promkit Metrics Server',
    description: 'Requests, errors and latency of the /metrics, /health and /live endpoints.',
    tags: ['promkit', 'http'],
    variables: [{ name: 'path', label: 'Path', metric: 'promkit_http_requests_total', multi: true }],
    rows: [
      {
        title: 'Requests',
        panels: [
          {
            kind: 'stat',
            title: 'Requests per second',
            description: 'All requests to the selected paths.',
            unit: 'reqps',
            targets: [{ expr: `sum(rate(promkit_http_requests_total{path=~"$path"}[${W}]))`, legend: 'requests' }],
          },
          {
            kind: 'stat',
            title: 'Non-2xx share',
            description: 'Share of responses that were not 2xx (401/403 from auth, 404 for unknown paths, 5xx).',
            unit: 'percentunit',
            targets: [
              {
                expr: `(sum(rate(promkit_http_requests_total{path=~"$path",code!~"2.."}[${W}])) or vector(0)) / sum(rate(promkit_http_requests_total{path=~"$path"}[${W}]))`,
                legend: 'non-2xx',
              },
            ],
            thresholds: { base: 'green', steps: [[0.05, 'red']] },
          },
          {
            kind: 'timeseries',
            title: 'Requests by path and code',
            description: 'Requests per second by path and status code.',
            unit: 'reqps',
            targets: [{ expr: `sum by (path, code) (rate(promkit_http_requests_total{path=~"$path"}[${W}]))`, legend: '{{path}} {{code}}' }],
          },
          {
            kind: 'table',
            title: 'Requests per process',
            description: 'Requests per second each process served, by path, at the end of the range.',
            unit: 'reqps',
            targets: [{ expr: `sum by (${BY}, path) (rate(promkit_http_requests_total{path=~"$path"}[${W}]))`, legend: '{{instance}} {{path}}' }],
          },
        ],
      },
      {
        title: 'Latency',
        panels: [
          {
            kind: 'timeseries',
            title: 'Latency p50 / p99 by path',
            description: 'Response time percentiles per path; a slow /metrics delays or times out scrapes. Exemplars link to traces.',
            unit: 's',
            width: 24,
            targets: [
              {
                expr: `histogram_quantile(0.99, sum by (path, le) (rate(promkit_http_request_duration_seconds_bucket{path=~"$path"}[${W}])))`,
                legend: 'p99 {{path}}',
              },
              {
                expr: `histogram_quantile(0.5, sum by (path, le) (rate(promkit_http_request_duration_seconds_bucket{path=~"$path"}[${W}])))`,
                legend: 'p50 {{path}}',
              },
            ],
          },
        ],
      },
    ],
  },
  rules: [
    {
      name: 'promkit-http',
      rules: [
        {
          alert: 'PromkitMetricsEndpointSlow',
          expr: `histogram_quantile(0.99, sum by (${BY}, le) (rate(promkit_http_request_duration_seconds_bucket{path="/metrics"}[5m]))) > 1`,
          for: '10m',
          severity: 'warning',
          summary: 'Scrapes of a promkit process are slow',
          description: '99th percentile /metrics response time of {{ $labels.job }} {{ $labels.instance }} is {{ $value | humanize }}s',
          impact: 'Scrapes approach the scrape timeout; when they exceed it the target is down and every alert on it goes blind.',
          diagnosis: [
            { title: 'Scrape rate per process', expr: `sum by (${BY}) (rate(promkit_http_requests_total{path="/metrics"}[5m]))` },
            { title: 'Series exposed per target', expr: 'max by (job, instance) (scrape_samples_scraped)' },
          ],
          runbook:
            'A scrape is slow when the registry is large (label cardinality: look for a label holding ids) or the event ' +
            'loop is busy (Node.js Process dashboard). Lower cardinality, or raise scrape_timeout while you do.',
          fires: {
            name: 'every scrape takes 1 to 2.5 seconds',
            series: { [bucket('/metrics', '1')]: '0x30', [bucket('/metrics', '2.5')]: '0+10x30', [bucket('/metrics', '+Inf')]: '0+10x30' },
            at: '20m',
            alerts: [{ labels: { job: 'svc', instance: '10.0.0.1:9464' }, value: 2.485 }],
          },
          quiet: {
            name: 'scrapes take under 10ms',
            series: {
              [bucket('/metrics', '0.01')]: '0+10x30',
              [bucket('/metrics', '1')]: '0+10x30',
              [bucket('/metrics', '2.5')]: '0+10x30',
              [bucket('/metrics', '+Inf')]: '0+10x30',
            },
            at: '20m',
            alerts: [],
          },
        },
        {
          alert: 'PromkitHttpServerErrors',
          expr:
            `sum by (${BY}, path) (rate(promkit_http_requests_total{code=~"5.."}[5m])) / ` +
            `sum by (${BY}, path) (rate(promkit_http_requests_total[5m])) > 0.05`,
          for: '10m',
          severity: 'warning',
          summary: 'promkit server answering 5xx',
          description: '{{ $value | humanizePercentage }} of {{ $labels.path }} requests to {{ $labels.job }} {{ $labels.instance }} fail with 5xx',
          impact:
            'Failed /metrics requests are missed scrapes (gaps, false "down" alerts); failed /health requests fail readiness and take the pod out of its Service.',
          diagnosis: [{ title: 'Responses by code', expr: `sum by (${BY}, path, code) (rate(promkit_http_requests_total[5m]))` }],
          runbook:
            "503 on /metrics means the server's in-flight scrape limit was hit (scrapes overlap: more Prometheus replicas or a " +
            'slow registry); 500 means a collect callback threw — the process log names the metric, and ' +
            '`promkit_collect_errors_total` counts it. 503 on /health is the health state itself.',
          fires: {
            name: 'a quarter of scrapes fail',
            series: {
              [`promkit_http_requests_total{${target},path="/metrics",code="500"}`]: '0+5x30',
              [`promkit_http_requests_total{${target},path="/metrics",code="200"}`]: '0+15x30',
            },
            at: '20m',
            alerts: [{ labels: { job: 'svc', instance: '10.0.0.1:9464', path: '/metrics' }, value: 0.25 }],
          },
          quiet: {
            name: 'one scrape in 1000 fails',
            series: {
              [`promkit_http_requests_total{${target},path="/metrics",code="500"}`]: '0+1x30',
              [`promkit_http_requests_total{${target},path="/metrics",code="200"}`]: '0+999x30',
            },
            at: '20m',
            alerts: [],
          },
        },
      ],
    },
  ],
});
