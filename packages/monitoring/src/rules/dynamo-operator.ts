import { bucketSeries } from './series.js';
import type { RuleSet } from './types.js';

const dgd = 'resource_type="DynamoGraphDeployment",namespace="llm"';
const reconcile = (result: string): string => `dynamo_operator_reconcile_total{${dgd},result="${result}"}`;
const latency = (buckets: Record<string, string>) => bucketSeries('dynamo_operator_reconcile_duration_seconds', `${dgd},result="success"`, buckets);
const denials = 'dynamo_operator_webhook_denials_total{resource_type="DynamoGraphDeployment",operation="UPDATE",reason="immutable_field_changed"}';
const up = 'up{job="dynamo-operator",instance="dynamo-operator:8082"}';

/** The spec has no alerts; these cover what an operator on call needs to know. */
export const dynamoOperatorRules: RuleSet = {
  catalog: 'dynamo-operator',
  groups: [
    {
      name: 'dynamo-operator',
      rules: [
        {
          alert: 'DynamoOperatorReconcileErrors',
          expr:
            'sum by (namespace, resource_type) (rate(dynamo_operator_reconcile_total{result="error"}[5m])) / ' +
            'sum by (namespace, resource_type) (rate(dynamo_operator_reconcile_total[5m])) > 0.1',
          for: '10m',
          severity: 'warning',
          summary: 'Dynamo operator reconciliations failing',
          description:
            '{{ $value | humanizePercentage }} of {{ $labels.resource_type }} reconciliations in namespace ' + '{{ $labels.namespace }} end in error',
          runbook:
            'The error type says why: `sum by (error_type) (rate(dynamo_operator_reconcile_errors_total{namespace="<ns>"}[5m]))`. ' +
            'conflict errors under 10% are normal optimistic-concurrency retries; forbidden/unauthorized mean the ' +
            "operator's RBAC is missing something; validation/bad_request mean a resource spec the operator cannot " +
            'apply; timeout/unavailable/rate_limited point at the API server.',
          fires: {
            name: '1 reconcile in 5 fails',
            series: { [reconcile('error')]: '0+2x30', [reconcile('success')]: '0+8x30' },
            at: '25m',
            alerts: [{ labels: { namespace: 'llm', resource_type: 'DynamoGraphDeployment' }, value: 0.2 }],
          },
          quiet: {
            name: '1 reconcile in 100 fails',
            series: { [reconcile('error')]: '0+1x30', [reconcile('success')]: '0+99x30' },
            at: '25m',
            alerts: [],
          },
        },
        {
          alert: 'DynamoOperatorReconcileSlow',
          expr: 'histogram_quantile(0.95, sum by (resource_type, le) ' + '(rate(dynamo_operator_reconcile_duration_seconds_bucket[5m]))) > 10',
          for: '15m',
          severity: 'warning',
          summary: 'Dynamo operator reconciles slowly',
          description: '95th percentile {{ $labels.resource_type }} reconcile takes {{ $value | printf "%.1f" }}s (above 10s)',
          runbook:
            'Slow reconciles delay every change users make. Look for slow API calls (API server latency, ' +
            'throttling in the operator logs), a reconcile that waits synchronously, or a flood of events ' +
            '(`sum by (resource_type) (rate(dynamo_operator_reconcile_total[5m]))`).',
          fires: {
            name: 'reconciles take 10 to 30 seconds',
            series: latency({ '5': '0x40', '10': '0x40', '30': '0+10x40', '+Inf': '0+10x40' }),
            at: '30m',
            alerts: [{ labels: { resource_type: 'DynamoGraphDeployment' }, value: 29 }],
          },
          quiet: {
            name: 'reconciles take under 5 seconds',
            series: latency({ '5': '0+10x40', '10': '0+10x40', '30': '0+10x40', '+Inf': '0+10x40' }),
            at: '30m',
            alerts: [],
          },
        },
        {
          alert: 'DynamoOperatorWebhookDenialSpike',
          expr: 'sum by (resource_type, operation, reason) ' + '(increase(dynamo_operator_webhook_denials_total[10m])) > 10',
          for: '5m',
          severity: 'info',
          summary: 'Many Dynamo admission requests denied',
          description:
            '{{ $value | printf "%.0f" }} {{ $labels.operation }} requests on {{ $labels.resource_type }} denied in 10 minutes ' + '({{ $labels.reason }})',
          runbook:
            'Denials protect the cluster, but a burst usually means a client (GitOps controller, CI job) retrying ' +
            'a change the webhook rejects. Find it in the API server audit log and fix its manifest.',
          fires: {
            name: '5 denials a minute',
            series: { [denials]: '0+5x30' },
            at: '20m',
            alerts: [{ labels: { resource_type: 'DynamoGraphDeployment', operation: 'UPDATE', reason: 'immutable_field_changed' }, value: 50 }],
          },
          quiet: { name: 'a denial every two minutes', series: { [denials]: '0+0.5x30' }, at: '20m', alerts: [] },
        },
        {
          alert: 'DynamoOperatorDown',
          expr: 'absent(up{job="dynamo-operator"} == 1)',
          for: '5m',
          severity: 'critical',
          summary: 'Dynamo operator is down',
          description: 'No Dynamo operator target has been scraped successfully for 5 minutes',
          runbook:
            'Without the operator no DynamoGraphDeployment changes are applied, and with a failing webhook API ' +
            'calls on Dynamo resources fail. Check the operator pod in dynamo-system (restarts, logs, leader ' +
            'election) and the ServiceMonitor target in Prometheus (Status → Targets).',
          fires: {
            name: 'scrapes fail',
            series: { [up]: '0x20' },
            at: '15m',
            alerts: [{ labels: {}, value: 1 }],
          },
          quiet: { name: 'scrapes succeed', series: { [up]: '1x20' }, at: '15m', alerts: [] },
        },
      ],
    },
  ],
};
