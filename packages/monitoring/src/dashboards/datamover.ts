import type { DashboardSpec } from './builder.js';

const NS = 'namespace=~"$namespace"';
const W = '$__rate_interval';
const FINISHED = `status=~"success|failure", ${NS}`;
const PERCENT_STEPS = {
  base: 'red',
  steps: [
    [90, 'orange'],
    [95, 'green'],
  ],
} as const;

/**
 * The spec's example dashboard (success rate, phase duration, operations by phase), its KPIs
 * (success rate, phase duration, failure rate, cleanup success) and its "Dashboard Panels",
 * with the spec's ratios corrected (see the datamover catalog's queries).
 */
export const datamoverDashboard: DashboardSpec = {
  uid: 'promkit-datamover',
  title: 'DataMover Operator',
  description: 'Backup operations of the DataMover operator: success, phases, cleanup and jobs.',
  tags: ['promkit', 'datamover', 'operator'],
  variables: [{ name: 'namespace', label: 'Namespace', metric: 'datamover_operations_total', multi: true }],
  rows: [
    {
      title: 'Key Performance Indicators',
      panels: [
        {
          kind: 'stat',
          title: 'Operation success rate',
          description: 'Share of finished operations (success or failure) that succeeded. Target: above 95%.',
          unit: 'percent',
          thresholds: PERCENT_STEPS,
          targets: [
            { expr: `sum(rate(datamover_operations_total{status="success", ${NS}}[${W}])) / sum(rate(datamover_operations_total{${FINISHED}}[${W}])) * 100` },
          ],
        },
        {
          kind: 'stat',
          title: 'Phase duration p95',
          description: '95th percentile duration of a phase, all phases together.',
          unit: 's',
          targets: [{ expr: `histogram_quantile(0.95, sum by (le) (rate(datamover_phase_duration_seconds_bucket{${NS}}[${W}])))` }],
        },
        {
          kind: 'stat',
          title: 'Failures per hour',
          description: 'Failed operations per hour, all phases.',
          unit: 'short',
          thresholds: { base: 'green', steps: [[1, 'orange']] },
          targets: [{ expr: `sum(rate(datamover_operations_total{status="failure", ${NS}}[${W}])) * 3600` }],
        },
        {
          kind: 'stat',
          title: 'Cleanup success rate',
          description: 'Share of PVC cleanups that succeeded.',
          unit: 'percent',
          thresholds: PERCENT_STEPS,
          targets: [
            {
              expr: `sum(rate(datamover_cleanup_operations_total{status="success", ${NS}}[${W}])) / sum(rate(datamover_cleanup_operations_total{${NS}}[${W}])) * 100`,
            },
          ],
        },
      ],
    },
    {
      title: 'Operations',
      panels: [
        {
          kind: 'timeseries',
          title: 'Operations by phase',
          description: 'Operations per second by phase and status.',
          unit: 'ops',
          targets: [{ expr: `sum by (phase, status) (rate(datamover_operations_total{${NS}}[${W}]))`, legend: '{{phase}} {{status}}' }],
        },
        {
          kind: 'timeseries',
          title: 'Success rate by phase',
          description: 'Share of finished operations that succeeded, per phase.',
          unit: 'percentunit',
          min: 0,
          max: 1,
          targets: [
            {
              expr: `sum by (phase) (rate(datamover_operations_total{status="success", ${NS}}[${W}])) / sum by (phase) (rate(datamover_operations_total{${FINISHED}}[${W}]))`,
              legend: '{{phase}}',
            },
          ],
        },
        {
          kind: 'timeseries',
          title: 'Phase duration p95',
          description: '95th percentile phase duration per phase. Typical: clone 30s-5min, job 1-30min, cleanup 5-30s.',
          unit: 's',
          targets: [{ expr: `histogram_quantile(0.95, sum by (phase, le) (rate(datamover_phase_duration_seconds_bucket{${NS}}[${W}])))`, legend: '{{phase}}' }],
        },
        {
          kind: 'timeseries',
          title: 'Average phase duration',
          description: 'Mean phase duration per phase.',
          unit: 's',
          targets: [
            {
              expr: `sum by (phase) (rate(datamover_phase_duration_seconds_sum{${NS}}[${W}])) / sum by (phase) (rate(datamover_phase_duration_seconds_count{${NS}}[${W}]))`,
              legend: '{{phase}}',
            },
          ],
        },
        {
          kind: 'timeseries',
          title: 'Operations volume per minute',
          description: 'Operations started per minute, per phase.',
          unit: 'short',
          width: 24,
          targets: [{ expr: `sum by (phase) (rate(datamover_operations_total{status="started", ${NS}}[${W}])) * 60`, legend: '{{phase}}' }],
        },
      ],
    },
    {
      title: 'Cleanup, Jobs and Sync',
      panels: [
        {
          kind: 'timeseries',
          title: 'Cleanup operations',
          description: 'PVC cleanup operations per second by outcome.',
          unit: 'ops',
          width: 8,
          targets: [{ expr: `sum by (status) (rate(datamover_cleanup_operations_total{${NS}}[${W}]))`, legend: '{{status}}' }],
        },
        {
          kind: 'timeseries',
          title: 'Job/pod creation operations',
          description: 'Job and pod creations per second by status; failures here have exhausted their retries.',
          unit: 'ops',
          width: 8,
          targets: [{ expr: `sum by (status) (rate(datamover_pod_creation_operations_total{${NS}}[${W}]))`, legend: '{{status}}' }],
        },
        {
          kind: 'timeseries',
          title: 'Data sync operations',
          description: 'Data synchronizations per second by outcome.',
          unit: 'ops',
          width: 8,
          targets: [{ expr: `sum by (status) (rate(datamover_data_sync_operations_total{${NS}}[${W}]))`, legend: '{{status}}' }],
        },
      ],
    },
  ],
};
