import { defineCatalog } from 'promkit/catalog';

export const DATAMOVER_PHASES = ['CreatingClonedPVC', 'CreatingPod', 'CleaningUp'] as const;

/** Why ratios divide by `status=~"success|failure"` rather than by every status. */
const STARTED_DOUBLE_COUNTS =
  'Every operation is counted once as `started` and once more as `success` or `failure`, so ' +
  'dividing by all statuses would at best halve the ratio; we divide by finished operations.';

const MISMATCHED_DIVISION =
  'A bare `rate(x{status="success"}) / rate(x)` matches series one-to-one on all labels: the ' +
  'left side only has status="success", the right side\'s matching series is that same series, ' +
  'so the result is 1 for every series that has any success and nothing else. Both sides must be ' +
  'aggregated to the same labels first.';

/** Backup operator's phase and operation metrics (spec: datamover-operator-metrics.md). */
export const datamoverCatalog = defineCatalog({
  id: 'datamover',
  title: 'DataMover Operator',
  description: 'Backup operations of the DataMover operator: phases, PVC cleanup, job/pod creation and data sync.',
  spec: 'datamover-operator-metrics.md',
  scrape: { job: 'datamover-operator', port: 8080, path: '/metrics' },
  metrics: {
    operations: {
      name: 'datamover_operations_total',
      type: 'counter',
      help: 'Total operations by phase and status',
      labelNames: ['phase', 'status', 'namespace'] as const,
      labelValues: { phase: DATAMOVER_PHASES, status: ['started', 'success', 'failure'] },
    },
    phaseDuration: {
      name: 'datamover_phase_duration_seconds',
      type: 'histogram',
      help: 'Phase execution duration',
      labelNames: ['phase', 'namespace'] as const,
      labelValues: { phase: DATAMOVER_PHASES },
      buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1200],
      unit: 'seconds',
    },
    cleanupOperations: {
      name: 'datamover_cleanup_operations_total',
      type: 'counter',
      help: 'PVC cleanup operations',
      labelNames: ['status', 'namespace'] as const,
      labelValues: { status: ['success', 'failure'] },
    },
    podCreationOperations: {
      name: 'datamover_pod_creation_operations_total',
      type: 'counter',
      help: 'Job/pod creation operations',
      labelNames: ['status', 'namespace'] as const,
      labelValues: { status: ['started', 'success', 'failure'] },
    },
    dataSyncOperations: {
      name: 'datamover_data_sync_operations_total',
      type: 'counter',
      help: 'Data synchronization operations',
      labelNames: ['status', 'namespace'] as const,
      labelValues: { status: ['success', 'failure'] },
    },
  },
  queries: [
    {
      title: 'Overall success rate (%)',
      expr: 'sum(rate(datamover_operations_total{status="success"}[5m])) / ' + 'sum(rate(datamover_operations_total{status=~"success|failure"}[5m])) * 100',
      correctsSpec:
        'Spec: `rate(datamover_operations_total{status="success"}[5m]) / rate(datamover_operations_total[5m]) * 100`. ' +
        `${MISMATCHED_DIVISION} ${STARTED_DOUBLE_COUNTS}`,
    },
    {
      title: 'Phase duration p95 (per series)',
      expr: 'histogram_quantile(0.95, rate(datamover_phase_duration_seconds_bucket[5m]))',
    },
    {
      title: 'Operations by phase',
      expr: 'rate(datamover_operations_total[5m])',
    },
    {
      title: 'Average phase duration by phase',
      expr: 'rate(datamover_phase_duration_seconds_sum[5m]) / rate(datamover_phase_duration_seconds_count[5m])',
    },
    {
      title: 'Operations per minute by phase',
      expr: 'sum by (phase) (rate(datamover_operations_total{status="started"}[5m])) * 60',
      correctsSpec:
        'Spec: `rate(datamover_operations_total[1m]) * 60`. It is titled "by phase" but keeps every ' +
        'label, counts each operation twice (started, then success/failure), and a 1m window at the ' +
        "spec's 30s scrape interval holds at most two samples, so rate() has gaps. We count started " +
        'operations per phase over 5m.',
    },
    {
      title: 'Cleanup success rate (%)',
      expr: 'sum(rate(datamover_cleanup_operations_total{status="success"}[5m])) / ' + 'sum(rate(datamover_cleanup_operations_total[5m])) * 100',
      correctsSpec: `Spec: \`rate(datamover_cleanup_operations_total{status="success"}[5m]) / rate(datamover_cleanup_operations_total[5m]) * 100\`. ${MISMATCHED_DIVISION}`,
    },
    {
      title: 'Average duration by phase over the last hour',
      expr:
        'avg_over_time(rate(datamover_phase_duration_seconds_sum[5m])[1h:5m]) / ' + 'avg_over_time(rate(datamover_phase_duration_seconds_count[5m])[1h:5m])',
      mayBeEmpty: 'needs samples at 5-minute-aligned timestamps, where the subquery evaluates (a Prometheus up for 5 minutes)',
    },
    {
      title: 'Success rate trend (1h windows)',
      expr: 'sum(rate(datamover_operations_total{status="success"}[1h])) / ' + 'sum(rate(datamover_operations_total{status=~"success|failure"}[1h]))',
      correctsSpec:
        'Spec: `rate(datamover_operations_total{status="success"}[1h]) / rate(datamover_operations_total[1h])`. ' +
        `${MISMATCHED_DIVISION} ${STARTED_DOUBLE_COUNTS}`,
    },
    {
      title: 'Correlate phase duration with resource usage (cAdvisor)',
      expr: 'rate(datamover_phase_duration_seconds_sum[5m]) and on () ' + 'rate(container_cpu_usage_seconds_total{pod=~"datamover-operator.*"}[5m])',
      mayBeEmpty: 'needs cAdvisor/kubelet metrics (container_cpu_usage_seconds_total) scraped by the same Prometheus',
    },
    {
      title: 'Failure rate by namespace and phase',
      expr: 'sum by (namespace, phase) (rate(datamover_operations_total{status="failure"}[5m]))',
      correctsSpec:
        'Spec: `rate(datamover_operations_total{status="failure"}[5m]) by (namespace, phase)`, which does ' +
        'not parse: `by` belongs to an aggregation operator (`sum by (...) (...)`), not to a function.',
    },
    {
      title: 'Average phase duration now vs 24h ago (ratio)',
      expr:
        '(rate(datamover_phase_duration_seconds_sum[5m]) / rate(datamover_phase_duration_seconds_count[5m])) / ' +
        '(rate(datamover_phase_duration_seconds_sum[5m] offset 1d) / rate(datamover_phase_duration_seconds_count[5m] offset 1d))',
      correctsSpec:
        'Spec, titled "Current vs 24h ago performance": `rate(datamover_phase_duration_seconds_sum[5m]) / ' +
        'rate(datamover_phase_duration_seconds_count[5m])`, which never looks 24h back. We divide by the ' +
        'same average `offset 1d`; above 1 means slower than yesterday.',
      mayBeEmpty: 'needs a day of history',
    },
    {
      title: 'Phase duration vs CPU usage of the manager container (cAdvisor)',
      expr: 'rate(datamover_phase_duration_seconds_sum[5m]) and on () ' + 'rate(container_cpu_usage_seconds_total{container="manager"}[5m])',
      mayBeEmpty: 'needs cAdvisor/kubelet metrics (container_cpu_usage_seconds_total) scraped by the same Prometheus',
    },
    {
      title: 'Operations in the last hour',
      expr: 'increase(datamover_operations_total[1h])',
    },
    {
      title: 'Failed operations by phase (24h)',
      expr: 'sum by (phase) (increase(datamover_operations_total{status="failure"}[24h]))',
      correctsSpec:
        'Spec: `increase(datamover_operations_total{status="failure"}[24h]) by (phase)`, which does not ' + 'parse: `by` needs an aggregation operator.',
    },
    {
      title: '95th percentile duration trend',
      expr: 'histogram_quantile(0.95, rate(datamover_phase_duration_seconds_bucket[5m]))',
    },
  ],
});
