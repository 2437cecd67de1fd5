import { defineCatalog } from 'promkit/catalog';

const W = '$__rate_interval';
const job = 'job="dynamo-operator"';
const dgd = `${job},resource_type="DynamoGraphDeployment"`;

/** Reasons of `<prefix>_webhook_invalid_requests_total`; `test/monitoring/self-catalogs.test.ts` keeps them equal to the kit's. */
const INVALID_REASONS = ['malformed_body', 'wrong_api_version', 'wrong_kind', 'too_large', 'wrong_method', 'wrong_content_type', 'not_found'];

/**
 * The operator kit's own families, outside the spec catalog: inventory informer health and
 * admission requests rejected before validation. Exposed on the operator's endpoint beside
 * the spec's families (default prefix `dynamo_operator`).
 */
export const operatorKitCatalog = defineCatalog({
  id: 'operator-kit',
  title: 'Operator Kit',
  description: "Health of the operator kit's resource inventory informers and admission requests rejected before reaching a validator.",
  embedded: true,
  scrape: { job: 'dynamo-operator', port: 8082, path: '/metrics' },
  metrics: {
    inventoryErrors: {
      name: 'dynamo_operator_inventory_errors_total',
      type: 'counter',
      help: 'Informer list/watch failures of the resource inventory; each is retried with exponential backoff',
      labelNames: ['resource_type'] as const,
    },
    inventorySynced: {
      name: 'dynamo_operator_inventory_synced',
      type: 'gauge',
      help: 'Whether the resource inventory informer is listed and watching (1) or restarting after an error (0)',
      labelNames: ['resource_type'] as const,
    },
    webhookInvalidRequests: {
      name: 'dynamo_operator_webhook_invalid_requests_total',
      type: 'counter',
      help: 'Admission requests answered 400 before reaching a validator, by reason',
      labelNames: ['reason'] as const,
      labelValues: { reason: INVALID_REASONS },
    },
  },
  queries: [
    {
      title: 'Inventories not synced',
      expr: 'min by (job, resource_type) (dynamo_operator_inventory_synced) == 0',
      mayBeEmpty: 'needs an informer that is restarting',
    },
    { title: 'Inventory errors per hour', expr: 'sum by (job, resource_type) (increase(dynamo_operator_inventory_errors_total[1h]))' },
  ],
  dashboard: {
    uid: 'promkit-operator-kit',
    title: 'Operator Kit',
    description: 'Resource inventory informers and rejected admission requests of operators built with promkit/kube.',
    tags: ['promkit', 'operator'],
    variables: [{ name: 'resource_type', label: 'Resource type', metric: 'dynamo_operator_inventory_synced', multi: true }],
    rows: [
      {
        title: 'Resource inventory',
        panels: [
          {
            kind: 'stat',
            title: 'Informers synced',
            description: 'Inventory informers that are listed and watching, out of all.',
            unit: 'percentunit',
            min: 0,
            max: 1,
            targets: [{ expr: 'avg(dynamo_operator_inventory_synced{resource_type=~"$resource_type"})', legend: 'synced' }],
            thresholds: { base: 'red', steps: [[1, 'green']] },
          },
          {
            kind: 'table',
            title: 'Sync state by resource type',
            description: '1 when the informer is listed and watching, 0 while it restarts after an error.',
            unit: 'short',
            width: 9,
            targets: [{ expr: 'min by (resource_type) (dynamo_operator_inventory_synced{resource_type=~"$resource_type"})', legend: '{{resource_type}}' }],
          },
          {
            kind: 'timeseries',
            title: 'Inventory errors',
            description: 'List/watch failures per second by resource type (each is retried with backoff); zero when healthy.',
            unit: 'ops',
            width: 9,
            targets: [
              {
                expr: `sum by (resource_type) (rate(dynamo_operator_inventory_errors_total{resource_type=~"$resource_type"}[${W}])) or sum by (resource_type) (dynamo_operator_inventory_synced{resource_type=~"$resource_type"}) * 0`,
                legend: '{{resource_type}}',
              },
            ],
          },
        ],
      },
      {
        title: 'Admission webhook',
        panels: [
          {
            kind: 'timeseries',
            title: 'Rejected admission requests',
            description: 'Requests answered 400 before a validator ran, by reason (a misconfigured webhook or something probing it); zero when healthy.',
            unit: 'reqps',
            width: 24,
            targets: [{ expr: `sum by (reason) (rate(dynamo_operator_webhook_invalid_requests_total[${W}])) or vector(0)`, legend: '{{reason}}' }],
          },
        ],
      },
    ],
  },
  rules: [
    {
      name: 'operator-kit',
      rules: [
        {
          alert: 'OperatorInventoryNotSynced',
          expr: 'min by (job, resource_type) (dynamo_operator_inventory_synced) == 0',
          for: '10m',
          severity: 'warning',
          summary: 'Operator inventory informer not watching',
          description: 'The {{ $labels.resource_type }} inventory of {{ $labels.job }} has not been synced for 10 minutes',
          impact: 'The resources gauge for this kind is frozen at its last value; dashboards and capacity alerts built on it are stale.',
          diagnosis: [
            { title: 'Inventory errors per resource type', expr: 'sum by (job, resource_type) (increase(dynamo_operator_inventory_errors_total[15m]))' },
          ],
          runbook:
            'The operator log says why the list or watch fails: 403 means its RBAC lacks list/watch on the kind, 404 that the ' +
            'CRD is not installed, connection errors point at the API server.',
          fires: {
            name: 'informer keeps failing',
            series: { [`dynamo_operator_inventory_synced{${dgd}}`]: '0x30' },
            at: '20m',
            alerts: [{ labels: { job: 'dynamo-operator', resource_type: 'DynamoGraphDeployment' }, value: 0 }],
          },
          quiet: { name: 'informer watching', series: { [`dynamo_operator_inventory_synced{${dgd}}`]: '1x30' }, at: '20m', alerts: [] },
        },
        {
          alert: 'OperatorInventoryErrors',
          expr: 'sum by (job, resource_type) (increase(dynamo_operator_inventory_errors_total[15m])) > 5',
          for: '5m',
          severity: 'info',
          summary: 'Operator inventory informer failing repeatedly',
          description: '{{ $value | printf "%.0f" }} list/watch failures of the {{ $labels.resource_type }} inventory of {{ $labels.job }} in 15 minutes',
          diagnosis: [{ title: 'Sync state', expr: 'min by (job, resource_type) (dynamo_operator_inventory_synced)' }],
          runbook:
            'Occasional watch errors are normal (the API server closes watches); a steady rate is not. Read the operator log for the error and its HTTP status.',
          fires: {
            name: 'a failure a minute',
            series: { [`dynamo_operator_inventory_errors_total{${dgd}}`]: '0+1x30' },
            at: '20m',
            alerts: [{ labels: { job: 'dynamo-operator', resource_type: 'DynamoGraphDeployment' }, value: 15 }],
          },
          quiet: { name: 'one failure', series: { [`dynamo_operator_inventory_errors_total{${dgd}}`]: '0x10 1x20' }, at: '20m', alerts: [] },
        },
        {
          alert: 'OperatorWebhookInvalidRequests',
          expr: 'sum by (job, reason) (increase(dynamo_operator_webhook_invalid_requests_total[10m])) > 10',
          for: '5m',
          severity: 'info',
          summary: 'Admission webhook receiving malformed requests',
          description: '{{ $value | printf "%.0f" }} requests to the {{ $labels.job }} webhook rejected in 10 minutes ({{ $labels.reason }})',
          impact: 'The API server is not the caller, or is misconfigured: with failurePolicy Fail, real admission requests may fail too.',
          diagnosis: [{ title: 'Rejections by reason', expr: 'sum by (job, reason) (rate(dynamo_operator_webhook_invalid_requests_total[5m]))' }],
          runbook:
            'wrong_api_version/wrong_kind: the ValidatingWebhookConfiguration asks for an admissionReviewVersion other than v1. ' +
            'not_found/wrong_method: something other than the API server (a scanner, a health check on the wrong port) calls the webhook.',
          fires: {
            name: 'two a minute',
            series: { [`dynamo_operator_webhook_invalid_requests_total{${job},reason="wrong_api_version"}`]: '0+2x30' },
            at: '20m',
            alerts: [{ labels: { job: 'dynamo-operator', reason: 'wrong_api_version' }, value: 20 }],
          },
          quiet: {
            name: 'one in ten minutes',
            series: { [`dynamo_operator_webhook_invalid_requests_total{${job},reason="wrong_api_version"}`]: '0+0.1x30' },
            at: '20m',
            alerts: [],
          },
        },
      ],
    },
  ],
});
