import { bucketSeries } from './series.js';
import type { RuleSet } from './types.js';

const OPS = 'datamover_operations_total';
const ns = 'namespace="backups"';
const pod = `phase="CreatingPod",${ns}`;
const phaseBuckets = (buckets: Record<string, string>) => bucketSeries('datamover_phase_duration_seconds', pod, buckets);

/** The spec's alerts and recording rules (datamover-operator-metrics.md), corrected where wrong. */
export const datamoverRules: RuleSet = {
  catalog: 'datamover',
  groups: [
    {
      name: 'datamover.rules',
      rules: [
        {
          alert: 'DataMoverHighFailureRate',
          expr: `sum by (namespace) (rate(${OPS}{status="failure"}[5m])) / ` + `sum by (namespace) (rate(${OPS}{status=~"success|failure"}[5m])) > 0.1`,
          for: '2m',
          severity: 'warning',
          summary: 'DataMover high failure rate',
          description: 'DataMover failure rate is {{ $value | humanizePercentage }} (above 10%) in namespace {{ $labels.namespace }}',
          runbook:
            'Find the failing phase: `sum by (phase) (rate(datamover_operations_total{status="failure", namespace="<ns>"}[5m]))`. ' +
            'CreatingClonedPVC failures usually mean the storage class cannot clone (CSI driver, quota); CreatingPod ' +
            'failures point at image pulls, scheduling or PodSecurity; read the operator logs and the events of the ' +
            'DataMover objects in that namespace.',
          correctsSpec:
            'Spec: `rate(datamover_operations_total{status="failure"}[5m]) / rate(datamover_operations_total[5m]) > 0.1`. ' +
            'One-to-one division pairs each failure series with itself, so the ratio is 1 whenever anything failed ' +
            'and the alert fires on the first failure; and `started` counts every operation a second time. ' +
            'Summed by namespace (the label the description names) over finished operations.',
          fires: {
            name: '20% of finished operations fail',
            series: {
              [`${OPS}{status="success",${pod}}`]: '0+8x30',
              [`${OPS}{status="failure",${pod}}`]: '0+2x30',
              [`${OPS}{status="started",${pod}}`]: '0+10x30',
            },
            at: '20m',
            alerts: [{ labels: { namespace: 'backups' }, value: 0.2 }],
          },
          quiet: {
            name: '5% of finished operations fail',
            series: {
              [`${OPS}{status="success",${pod}}`]: '0+19x30',
              [`${OPS}{status="failure",${pod}}`]: '0+1x30',
              [`${OPS}{status="started",${pod}}`]: '0+20x30',
            },
            at: '20m',
            alerts: [],
          },
        },
        {
          alert: 'DataMoverLongRunningOperation',
          expr: 'histogram_quantile(0.95, sum by (namespace, phase, le) ' + '(rate(datamover_phase_duration_seconds_bucket[1h]))) >= 1200',
          for: '5m',
          severity: 'warning',
          summary: 'DataMover operations taking too long',
          description:
            'More than 5% of {{ $labels.phase }} phases in namespace {{ $labels.namespace }} took longer than 20 minutes ' +
            '(the largest duration bucket) over the last hour',
          runbook:
            'A slow CreatingClonedPVC is the storage backend cloning a large volume; a slow CreatingPod is usually a ' +
            "data copy that is slow or stuck (check the mover pod logs and its node's network/disk). Compare with " +
            '`datamover:phase_duration_p95:1d` to see whether this is new.',
          correctsSpec:
            'Spec: `histogram_quantile(0.95, rate(datamover_phase_duration_seconds_bucket[5m])) > 1800` for 5m. ' +
            'The largest finite bucket is 1200 s, and histogram_quantile never returns more than that bound, so ' +
            '`> 1800` can never fire. `>= 1200` fires exactly when more than 5% of phases exceeded 20 minutes, ' +
            'the longest the histogram can tell. And a phase is observed once, when it ends: over a 5m window the ' +
            'rate is non-zero for 5 minutes at most, which `for: 5m` then never sees; we look back 1h.',
          fires: {
            name: 'every phase takes longer than 20 minutes',
            series: phaseBuckets({ '600': '0x40', '1200': '0x40', '+Inf': '0+1x40' }),
            at: '30m',
            alerts: [{ labels: { namespace: 'backups', phase: 'CreatingPod' }, value: 1200 }],
          },
          quiet: {
            name: 'every phase ends within 10 minutes',
            series: phaseBuckets({ '600': '0+1x40', '1200': '0+1x40', '+Inf': '0+1x40' }),
            at: '30m',
            alerts: [],
          },
        },
        {
          alert: 'DataMoverCleanupFailures',
          expr: 'rate(datamover_cleanup_operations_total{status="failure"}[5m]) > 0',
          for: '1m',
          severity: 'warning',
          summary: 'DataMover cleanup operations failing',
          description: 'PVC cleanup operations are failing in namespace {{ $labels.namespace }}',
          runbook:
            'Cloned PVCs that are not deleted keep consuming storage. List PVCs the operator created in the namespace ' +
            'and check why deletion fails: finalizers, a pod still mounting the volume, or RBAC of the operator.',
          fires: {
            name: 'a cleanup fails every minute',
            series: { [`datamover_cleanup_operations_total{status="failure",${ns}}`]: '0+1x20' },
            at: '10m',
            alerts: [{ labels: { status: 'failure', namespace: 'backups' }, value: 1 / 60 }],
          },
          quiet: {
            name: 'old failures, none recently',
            series: { [`datamover_cleanup_operations_total{status="failure",${ns}}`]: '3x20' },
            at: '10m',
            alerts: [],
          },
        },
        {
          alert: 'DataMoverNoOperations',
          expr: `(sum(increase(${OPS}{status="started"}[1h])) or vector(0)) == 0`,
          for: '2h',
          severity: 'info',
          summary: 'No DataMover operations detected',
          description: 'No DataMover operations in the last hour',
          runbook:
            'Scheduled backups should start operations regularly. Check that the schedules exist and are not ' +
            'suspended, that the operator is running and leader-elected, and that it is scraped (`up`).',
          correctsSpec:
            'Spec: `rate(datamover_operations_total[1h]) == 0` per series. A series that merely stopped moving ' +
            '(say, the failure count of a phase that no longer fails) has rate 0 and fires "no operations" while ' +
            'backups run fine; after an operator restart no series exist and it cannot fire at all. We count ' +
            'operations started anywhere and treat no series as zero.',
          fires: {
            name: 'the counter has not moved for hours',
            series: { [`${OPS}{status="started",${pod}}`]: '5x300' },
            at: '4h',
            alerts: [{ labels: {}, value: 0 }],
          },
          quiet: {
            name: 'an operation starts every minute',
            series: { [`${OPS}{status="started",${pod}}`]: '0+1x300' },
            at: '4h',
            alerts: [],
          },
        },
        {
          alert: 'DataMoverJobRetriesExhausted',
          expr: 'rate(datamover_pod_creation_operations_total{status="failure"}[5m]) > 0',
          for: '0m',
          severity: 'critical',
          summary: 'DataMover jobs exhausting retries',
          description: 'DataMover jobs are failing after all retry attempts',
          runbook:
            'A backup did not run. Describe the failed Job and its pods in the namespace (image pull, scheduling, ' +
            'OOM, mover errors in the logs); fix the cause and re-trigger the backup.',
          fires: {
            name: 'a job fails every minute',
            series: { [`datamover_pod_creation_operations_total{status="failure",${ns}}`]: '0+1x10' },
            at: '10m',
            alerts: [{ labels: { status: 'failure', namespace: 'backups' }, value: 1 / 60 }],
          },
          quiet: {
            name: 'no job failures',
            series: { [`datamover_pod_creation_operations_total{status="failure",${ns}}`]: '0x10' },
            at: '10m',
            alerts: [],
          },
        },
      ],
    },
    {
      name: 'datamover.aggregations',
      rules: [
        {
          record: 'datamover:operations_success_rate:1h',
          expr: `sum by (namespace, phase) (rate(${OPS}{status="success"}[1h])) / ` + `sum by (namespace, phase) (rate(${OPS}{status=~"success|failure"}[1h]))`,
          description: 'Share of finished operations that succeeded over the last hour, per namespace and phase.',
          correctsSpec:
            'Spec: `rate(datamover_operations_total{status="success"}[1h]) / rate(datamover_operations_total[1h])`, ' +
            'which divides each success series by itself (always 1) and would count `started` as well.',
          expect: {
            name: '3 of 4 finished operations succeed',
            series: {
              [`${OPS}{status="success",${pod}}`]: '0+45x60',
              [`${OPS}{status="failure",${pod}}`]: '0+15x60',
              [`${OPS}{status="started",${pod}}`]: '0+60x60',
            },
            at: '1h',
            samples: [{ labels: { namespace: 'backups', phase: 'CreatingPod' }, value: 0.75 }],
          },
        },
        {
          record: 'datamover:phase_duration_p95:1d',
          expr: 'histogram_quantile(0.95, sum by (namespace, phase, le) ' + '(rate(datamover_phase_duration_seconds_bucket[1d])))',
          description: '95th percentile phase duration over the last day, per namespace and phase.',
          correctsSpec:
            'Spec: `histogram_quantile(0.95, rate(datamover_phase_duration_seconds_bucket[1d]))`: valid, but it ' +
            'keeps the pod and instance labels, so a restarted operator splits the day into several series with ' +
            'partial data. Summed by namespace, phase and le.',
          expect: {
            name: 'all phases end between 5 and 10 seconds',
            series: phaseBuckets({ '5': '0x60', '10': '0+4x60', '+Inf': '0+4x60' }),
            at: '1h',
            samples: [{ labels: { namespace: 'backups', phase: 'CreatingPod' }, value: 9.75 }],
          },
        },
      ],
    },
  ],
};
