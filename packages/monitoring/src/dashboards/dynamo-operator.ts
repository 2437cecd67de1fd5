import type { DashboardSpec } from './builder.js';

/** Reconcile and inventory metrics carry namespace; webhook metrics do not (the spec's labels). */
const BOTH = 'namespace=~"$namespace", resource_type=~"$resource_type"';
const TYPE = 'resource_type=~"$resource_type"';
const W = '$__rate_interval';

/** The operational-health gauges: a ratio, red below 90%, green from 99%. */
const SUCCESS_GAUGE = {
  kind: 'gauge',
  unit: 'percentunit',
  width: 12,
  min: 0,
  max: 1,
  thresholds: {
    base: 'red',
    steps: [
      [0.9, 'orange'],
      [0.99, 'green'],
    ],
  },
} as const;

/** The four sections of the spec's "Grafana Dashboard" (dynamo-operator-metrics.md). */
export const dynamoOperatorDashboard: DashboardSpec = {
  uid: 'promkit-dynamo-operator',
  title: 'Dynamo Operator',
  description: 'Reconciliation, admission webhooks and resource inventory of the Dynamo operator.',
  tags: ['promkit', 'dynamo', 'operator'],
  variables: [
    { name: 'namespace', label: 'Namespace', metric: 'dynamo_operator_resources_total', multi: true },
    { name: 'resource_type', label: 'Resource Type', metric: 'dynamo_operator_resources_total', multi: false },
  ],
  rows: [
    {
      title: 'Reconciliation Metrics',
      panels: [
        {
          kind: 'timeseries',
          title: 'Reconciliation rate by resource type and result',
          description: 'Reconciliations per second. requeue is normal while resources converge; error is not.',
          unit: 'ops',
          width: 8,
          targets: [{ expr: `sum by (resource_type, result) (rate(dynamo_operator_reconcile_total{${BOTH}}[${W}]))`, legend: '{{resource_type}} {{result}}' }],
        },
        {
          kind: 'timeseries',
          title: 'P95 reconciliation duration',
          description: '95th percentile time of one reconcile loop, per resource type.',
          unit: 's',
          width: 8,
          targets: [
            {
              expr: `histogram_quantile(0.95, sum by (resource_type, le) (rate(dynamo_operator_reconcile_duration_seconds_bucket{${BOTH}}[${W}])))`,
              legend: '{{resource_type}}',
            },
          ],
        },
        {
          kind: 'timeseries',
          title: 'Reconciliation errors by type',
          description: 'Failed reconciliations per second by error class (conflict, forbidden, timeout...).',
          unit: 'ops',
          width: 8,
          targets: [
            {
              expr: `sum by (resource_type, error_type) (rate(dynamo_operator_reconcile_errors_total{${BOTH}}[${W}]))`,
              legend: '{{resource_type}} {{error_type}}',
            },
          ],
        },
      ],
    },
    {
      title: 'Webhook Metrics',
      panels: [
        {
          kind: 'timeseries',
          title: 'Webhook request rate by operation',
          description: 'Admission requests per second by operation and outcome. Webhook metrics have no namespace label.',
          unit: 'reqps',
          width: 8,
          targets: [{ expr: `sum by (operation, result) (rate(dynamo_operator_webhook_requests_total{${TYPE}}[${W}]))`, legend: '{{operation}} {{result}}' }],
        },
        {
          kind: 'timeseries',
          title: 'P95 webhook duration',
          description: '95th percentile admission latency; it adds to every kubectl apply on Dynamo resources.',
          unit: 's',
          width: 8,
          targets: [
            {
              expr: `histogram_quantile(0.95, sum by (resource_type, operation, le) (rate(dynamo_operator_webhook_duration_seconds_bucket{${TYPE}}[${W}])))`,
              legend: '{{resource_type}} {{operation}}',
            },
          ],
        },
        {
          kind: 'timeseries',
          title: 'Webhook denials by reason',
          description: 'Denied admission requests per second by reason.',
          unit: 'reqps',
          width: 8,
          targets: [
            {
              expr: `sum by (resource_type, operation, reason) (rate(dynamo_operator_webhook_denials_total{${TYPE}}[${W}]))`,
              legend: '{{reason}} ({{operation}} {{resource_type}})',
            },
          ],
        },
      ],
    },
    {
      title: 'Resource Inventory',
      panels: [
        {
          kind: 'timeseries',
          title: 'Resource inventory by state and namespace',
          description: 'Managed resources over time by state and namespace (filter with Resource Type).',
          unit: 'short',
          width: 16,
          targets: [
            {
              expr: `sum by (resource_type, namespace, status) (dynamo_operator_resources_total{${BOTH}})`,
              legend: '{{namespace}} {{resource_type}} {{status}}',
            },
          ],
        },
        {
          kind: 'stat',
          title: 'Current resources by state',
          description: 'How many resources are in each state now.',
          unit: 'short',
          width: 8,
          targets: [{ expr: `sum by (resource_type, status) (dynamo_operator_resources_total{${BOTH}})`, legend: '{{resource_type}} {{status}}' }],
        },
      ],
    },
    {
      title: 'Operational Health',
      panels: [
        {
          ...SUCCESS_GAUGE,
          title: 'Reconciliation success rate',
          description: 'Share of reconciliations not ending in error (a requeue is not a failure).',
          targets: [
            {
              expr:
                `sum by (resource_type) (rate(dynamo_operator_reconcile_total{result!="error", ${BOTH}}[${W}])) / ` +
                `sum by (resource_type) (rate(dynamo_operator_reconcile_total{${BOTH}}[${W}]))`,
              legend: '{{resource_type}}',
            },
          ],
        },
        {
          ...SUCCESS_GAUGE,
          title: 'Webhook admission success rate',
          description: 'Share of admission requests allowed.',
          targets: [
            {
              expr:
                `sum by (resource_type) (rate(dynamo_operator_webhook_requests_total{result="allowed", ${TYPE}}[${W}])) / ` +
                `sum by (resource_type) (rate(dynamo_operator_webhook_requests_total{${TYPE}}[${W}]))`,
              legend: '{{resource_type}}',
            },
          ],
        },
      ],
    },
  ],
};
