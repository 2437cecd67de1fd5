import { defineCatalog } from 'promkit/catalog';

/** Shared wording for the spec's `rate(x{status=...}) / rate(x)` ratios. */
export const MODAL_SELF_MATCH =
  'One-to-one division matches series on all their labels, so each `status="…"` series on the left ' +
  'is divided by itself on the right: the result is 1 wherever that status occurred and absent ' +
  'elsewhere. Both sides are summed to the same labels first.';

/** GPU job operator metrics (spec: modal-operator-metrics.md). */
export const modalCatalog = defineCatalog({
  id: 'modal',
  title: 'Modal Operator',
  description: 'Jobs, queueing, GPU/network usage, cost estimates, errors and health of the Modal GPU job operator.',
  spec: 'modal-operator-metrics.md',
  scrape: { job: 'modal-operator', port: 8081, path: '/metrics' },
  metrics: {
    jobsTotal: {
      name: 'modal_jobs_total',
      type: 'counter',
      help: 'Total number of Modal jobs',
      labelNames: ['status', 'gpu_type', 'replicas'] as const,
      // The spec's queries use these two; it lists no others.
      labelValues: { status: ['completed', 'failed'] },
    },
    jobsActive: {
      name: 'modal_jobs_active',
      type: 'gauge',
      help: 'Currently active Modal jobs',
      labelNames: ['gpu_type'] as const,
    },
    jobDuration: {
      name: 'modal_job_duration_seconds',
      type: 'histogram',
      help: 'Job duration in seconds',
      labelNames: ['status', 'gpu_type'] as const,
      labelValues: { status: ['completed', 'failed'] },
      buckets: [10, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14400, 28800, 86400],
      bucketsRationale:
        'The spec gives none. GPU jobs run from seconds (a failed start) to many hours (training), and ' +
        'the spec alerts on jobs longer than 1 hour, so 3600 is a bound. 10 s to 24 h, about two ' +
        'buckets per doubling up to an hour and coarser beyond, where minutes no longer matter.',
      unit: 'seconds',
    },
    jobReplicas: {
      name: 'modal_job_replicas',
      type: 'gauge',
      help: 'Number of replicas per job',
      labelNames: ['job_name'] as const,
    },
    jobQueue: {
      name: 'modal_job_queue_seconds',
      type: 'histogram',
      help: 'Time jobs spend in queue before starting',
      labelNames: ['gpu_type'] as const,
      buckets: [0.5, 1, 2.5, 5, 10, 15, 30, 60, 120, 300, 600, 1800],
      bucketsRationale:
        'The spec gives none. Queueing is a warm GPU (sub-second to seconds), a cold start (tens of ' +
        'seconds) or waiting for capacity (minutes). The spec alerts when p95 exceeds 2 minutes, so ' +
        '120 is a bound, with resolution on both sides of it; 30 min caps it.',
      unit: 'seconds',
    },
    coldStarts: {
      name: 'modal_function_cold_starts_total',
      type: 'counter',
      help: 'Total function cold starts',
      labelNames: ['job_name', 'gpu_type'] as const,
    },
    gpuUtilization: {
      name: 'modal_gpu_utilization',
      type: 'gauge',
      help: 'GPU utilization by job',
      labelNames: ['job_name', 'gpu_type'] as const,
    },
    networkBandwidth: {
      name: 'modal_network_bandwidth_mbps',
      type: 'gauge',
      help: 'Network bandwidth utilization in Mbps',
      labelNames: ['job_name', 'direction'] as const,
      labelValues: { direction: ['ingress', 'egress'] },
    },
    costEstimate: {
      name: 'modal_cost_estimate_usd',
      type: 'gauge',
      help: 'Estimated cost in USD',
      labelNames: ['job_name', 'gpu_type', 'time_period'] as const,
      // The spec only ever queries `hourly`.
      labelValues: { time_period: ['hourly'] },
    },
    i6pnJobs: {
      name: 'modal_i6pn_jobs_total',
      type: 'counter',
      help: 'Total jobs using i6pn networking',
      labelNames: ['replicas'] as const,
    },
    operatorErrors: {
      name: 'modal_operator_errors_total',
      type: 'counter',
      help: 'Total operator errors',
      labelNames: ['error_type', 'component'] as const,
    },
    operatorRestarts: {
      name: 'modal_operator_restarts_total',
      type: 'counter',
      help: 'Total operator restarts',
      labelNames: [] as const,
    },
    webhookRequests: {
      name: 'modal_webhook_requests_total',
      type: 'counter',
      help: 'Total webhook requests',
      labelNames: ['method', 'status'] as const,
      // The spec only singles out `error`; `success` is promkit's value for everything else.
      labelValues: { status: ['success', 'error'] },
    },
  },
  queries: [
    { title: 'Active jobs by GPU type', expr: 'sum by (gpu_type) (modal_jobs_active)' },
    {
      title: 'Job success rate',
      expr: 'sum(rate(modal_jobs_total{status="completed"}[5m])) / sum(rate(modal_jobs_total[5m]))',
      correctsSpec: `Spec: \`rate(modal_jobs_total{status="completed"}[5m]) / rate(modal_jobs_total[5m])\`. ${MODAL_SELF_MATCH}`,
    },
    {
      title: 'Average job duration',
      expr: 'rate(modal_job_duration_seconds_sum[5m]) / rate(modal_job_duration_seconds_count[5m])',
    },
    {
      title: '95th percentile queue time',
      expr: 'histogram_quantile(0.95, rate(modal_job_queue_seconds_bucket[5m]))',
    },
    {
      title: 'Cold start rate by GPU type',
      expr: 'sum by (gpu_type) (rate(modal_function_cold_starts_total[5m]))',
      correctsSpec: 'Spec: `rate(modal_function_cold_starts_total[5m]) by (gpu_type)`, which does not parse: `by` ' + 'belongs to an aggregation operator.',
    },
    {
      title: 'Network bandwidth utilization (ingress)',
      expr: 'sum by (job_name) (modal_network_bandwidth_mbps{direction="ingress"})',
    },
    { title: 'Total estimated hourly cost', expr: 'sum(modal_cost_estimate_usd{time_period="hourly"})' },
    {
      title: 'i6pn usage percentage',
      expr: 'sum(rate(modal_i6pn_jobs_total[5m])) / sum(rate(modal_jobs_total[5m])) * 100',
      correctsSpec:
        'Spec: `rate(modal_i6pn_jobs_total[5m]) / rate(modal_jobs_total[5m]) * 100`. The two metrics have ' +
        'different labels ({replicas} vs {status, gpu_type, replicas}), so one-to-one matching pairs ' +
        'nothing and the query returns no data. Both sides are summed first.',
    },
    {
      title: 'Error rate by component',
      expr: 'sum by (component) (rate(modal_operator_errors_total[5m]))',
      correctsSpec: 'Spec: `rate(modal_operator_errors_total[5m]) by (component)`, which does not parse: `by` ' + 'belongs to an aggregation operator.',
    },
    {
      title: 'Webhook success rate',
      expr: 'sum(rate(modal_webhook_requests_total{status!="error"}[5m])) / sum(rate(modal_webhook_requests_total[5m]))',
      correctsSpec: `Spec: \`rate(modal_webhook_requests_total{status!="error"}[5m]) / rate(modal_webhook_requests_total[5m])\`. ${MODAL_SELF_MATCH}`,
    },
    { title: 'Top GPU types by usage', expr: 'topk(5, sum by (gpu_type) (modal_jobs_active))' },
  ],
});
