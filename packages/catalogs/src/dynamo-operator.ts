import { defineCatalog } from 'promkit/catalog';

/** The five CRDs the Dynamo operator reconciles; `resource_type` takes exactly these values. */
export const DYNAMO_RESOURCE_TYPES = [
  'DynamoGraphDeployment',
  'DynamoComponentDeployment',
  'DynamoModel',
  'DynamoGraphDeploymentRequest',
  'DynamoGraphDeploymentScalingAdapter',
] as const;

export const DYNAMO_RECONCILE_RESULTS = ['success', 'error', 'requeue'] as const;

export const DYNAMO_RECONCILE_ERROR_TYPES = [
  'not_found',
  'already_exists',
  'conflict',
  'validation',
  'bad_request',
  'unauthorized',
  'forbidden',
  'timeout',
  'server_timeout',
  'unavailable',
  'rate_limited',
  'internal',
] as const;

export const DYNAMO_WEBHOOK_OPERATIONS = ['CREATE', 'UPDATE', 'DELETE'] as const;

/**
 * Every `status` value the spec names: the generic ones (DCD, DM, DGDSA), DGD's
 * `.status.state` and DGDR's `.status.state`. The case differences are the CRDs' own.
 */
export const DYNAMO_RESOURCE_STATUSES = [
  'ready',
  'not_ready',
  'unknown',
  'pending',
  'successful',
  'failed',
  'Pending',
  'Profiling',
  'Deploying',
  'Ready',
  'DeploymentDeleted',
  'Failed',
] as const;

/** Self-metrics of the Dynamo operator (spec: dynamo-operator-metrics.md). */
export const dynamoOperatorCatalog = defineCatalog({
  id: 'dynamo-operator',
  title: 'Dynamo Operator',
  description: 'Controller reconciliation, admission webhook and resource inventory metrics of the Dynamo Kubernetes operator.',
  spec: 'dynamo-operator-metrics.md',
  // The spec fixes no port (the Helm chart puts kube-rbac-proxy in front). 8082 keeps a local
  // stack free of clashes with DataMover (8080) and Modal (8081).
  scrape: { job: 'dynamo-operator', port: 8082, path: '/metrics' },
  metrics: {
    reconcileDuration: {
      name: 'dynamo_operator_reconcile_duration_seconds',
      type: 'histogram',
      help: 'Duration of reconciliation loops',
      labelNames: ['resource_type', 'namespace', 'result'] as const,
      labelValues: { resource_type: DYNAMO_RESOURCE_TYPES, result: DYNAMO_RECONCILE_RESULTS },
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      bucketsRationale:
        'The spec gives none. A reconcile that only reads the cache takes milliseconds; one that ' +
        'creates Deployments, Services and waits on API calls takes seconds; controller-runtime ' +
        'caps its own reconcile histogram at 60 s. 5 ms to 60 s in roughly 1-2.5-5 steps keeps ' +
        'p95 readable at both ends with 13 buckets per series (the label set is already wide).',
      unit: 'seconds',
    },
    reconcileTotal: {
      name: 'dynamo_operator_reconcile_total',
      type: 'counter',
      help: 'Total number of reconciliations',
      labelNames: ['resource_type', 'namespace', 'result'] as const,
      labelValues: { resource_type: DYNAMO_RESOURCE_TYPES, result: DYNAMO_RECONCILE_RESULTS },
    },
    reconcileErrors: {
      name: 'dynamo_operator_reconcile_errors_total',
      type: 'counter',
      help: 'Total reconciliation errors by type',
      labelNames: ['resource_type', 'namespace', 'error_type'] as const,
      labelValues: { resource_type: DYNAMO_RESOURCE_TYPES, error_type: DYNAMO_RECONCILE_ERROR_TYPES },
    },
    webhookDuration: {
      name: 'dynamo_operator_webhook_duration_seconds',
      type: 'histogram',
      help: 'Duration of webhook validation requests',
      labelNames: ['resource_type', 'operation'] as const,
      labelValues: { resource_type: DYNAMO_RESOURCE_TYPES, operation: DYNAMO_WEBHOOK_OPERATIONS },
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      bucketsRationale:
        'The spec gives none. Validation is in-memory work on one object, normally well under ' +
        "10 ms, and every millisecond is added to the user's kubectl call; the API server gives " +
        'up on a webhook after its timeout (10 s by default, commonly set lower). 1 ms to 5 s ' +
        'resolves the normal case finely and still shows a webhook approaching its timeout.',
      unit: 'seconds',
    },
    webhookRequests: {
      name: 'dynamo_operator_webhook_requests_total',
      type: 'counter',
      help: 'Total webhook admission requests',
      labelNames: ['resource_type', 'operation', 'result'] as const,
      labelValues: {
        resource_type: DYNAMO_RESOURCE_TYPES,
        operation: DYNAMO_WEBHOOK_OPERATIONS,
        result: ['allowed', 'denied'],
      },
    },
    webhookDenials: {
      name: 'dynamo_operator_webhook_denials_total',
      type: 'counter',
      help: 'Total webhook denials with reasons',
      labelNames: ['resource_type', 'operation', 'reason'] as const,
      // The spec gives these two as examples; `reason` is open-ended.
      labelValues: {
        resource_type: DYNAMO_RESOURCE_TYPES,
        operation: DYNAMO_WEBHOOK_OPERATIONS,
        reason: ['immutable_field_changed', 'invalid_config'],
      },
    },
    resources: {
      name: 'dynamo_operator_resources_total',
      type: 'gauge',
      help: 'Current count of resources by state',
      labelNames: ['resource_type', 'namespace', 'status'] as const,
      labelValues: { resource_type: DYNAMO_RESOURCE_TYPES, status: DYNAMO_RESOURCE_STATUSES },
    },
  },
  queries: [
    {
      title: 'P95 reconciliation duration by resource type',
      expr: 'histogram_quantile(0.95, sum by (resource_type, le) (rate(dynamo_operator_reconcile_duration_seconds_bucket[5m])))',
    },
    {
      title: 'Reconciliation rate by result',
      expr: 'sum by (resource_type, result) (rate(dynamo_operator_reconcile_total[5m]))',
    },
    {
      title: 'Error rate by type',
      expr: 'sum by (resource_type, error_type) (rate(dynamo_operator_reconcile_errors_total[5m]))',
    },
    {
      title: 'Webhook P95 latency',
      expr: 'histogram_quantile(0.95, sum by (resource_type, le) (rate(dynamo_operator_webhook_duration_seconds_bucket[5m])))',
    },
    {
      title: 'Webhook denial rate',
      expr: 'sum by (resource_type, operation, reason) (rate(dynamo_operator_webhook_denials_total[5m]))',
    },
    {
      title: 'Total resources by type and state',
      expr: 'sum by (resource_type, status) (dynamo_operator_resources_total)',
    },
    {
      title: 'DynamoGraphDeployments by state',
      expr: 'sum by (status) (dynamo_operator_resources_total{resource_type="DynamoGraphDeployment"})',
    },
    {
      title: 'All resources by namespace and state',
      expr: 'sum by (resource_type, namespace, status) (dynamo_operator_resources_total)',
    },
  ],
});
