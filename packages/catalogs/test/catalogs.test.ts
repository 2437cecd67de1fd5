import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Registry } from 'promkit';
import { allCatalogs, datamoverCatalog, dynamoOperatorCatalog, dynamoRuntimeCatalog, modalCatalog } from '../src/index.js';
import { instantiateCatalog, type Catalog } from 'promkit/catalog';

/**
 * The spec tables, restated independently of the catalogs: name → type and label names in the
 * spec's order. A catalog edit that renames or retypes a family breaks users' dashboards, so it
 * must also break this test.
 */
const CONTRACT: Record<string, Record<string, string>> = {
  'dynamo-operator': {
    dynamo_operator_reconcile_duration_seconds: 'histogram resource_type,namespace,result',
    dynamo_operator_reconcile_total: 'counter resource_type,namespace,result',
    dynamo_operator_reconcile_errors_total: 'counter resource_type,namespace,error_type',
    dynamo_operator_webhook_duration_seconds: 'histogram resource_type,operation',
    dynamo_operator_webhook_requests_total: 'counter resource_type,operation,result',
    dynamo_operator_webhook_denials_total: 'counter resource_type,operation,reason',
    dynamo_operator_resources_total: 'gauge resource_type,namespace,status',
  },
  datamover: {
    datamover_operations_total: 'counter phase,status,namespace',
    datamover_phase_duration_seconds: 'histogram phase,namespace',
    datamover_cleanup_operations_total: 'counter status,namespace',
    datamover_pod_creation_operations_total: 'counter status,namespace',
    datamover_data_sync_operations_total: 'counter status,namespace',
  },
  modal: {
    modal_jobs_total: 'counter status,gpu_type,replicas',
    modal_jobs_active: 'gauge gpu_type',
    modal_job_duration_seconds: 'histogram status,gpu_type',
    modal_job_replicas: 'gauge job_name',
    modal_job_queue_seconds: 'histogram gpu_type',
    modal_function_cold_starts_total: 'counter job_name,gpu_type',
    modal_gpu_utilization: 'gauge job_name,gpu_type',
    modal_network_bandwidth_mbps: 'gauge job_name,direction',
    modal_cost_estimate_usd: 'gauge job_name,gpu_type,time_period',
    modal_i6pn_jobs_total: 'counter replicas',
    modal_operator_errors_total: 'counter error_type,component',
    modal_operator_restarts_total: 'counter ',
    modal_webhook_requests_total: 'counter method,status',
  },
  'dynamo-runtime': {
    dynamo_system_uptime_seconds: 'counter namespace',
    dynamo_system_http_requests_total: 'counter path,code',
    dynamo_system_http_request_duration_seconds: 'histogram path',
    dynamo_component_requests_total: 'counter namespace,component,endpoint',
    dynamo_component_request_duration_seconds: 'histogram namespace,component,endpoint',
    dynamo_component_errors_total: 'counter namespace,component,endpoint,error_type',
  },
};

function shape(catalog: Catalog): Record<string, string> {
  return Object.fromEntries(Object.values(catalog.metrics).map((m) => [m.name, `${m.type} ${m.labelNames.join(',')}`]));
}

describe('catalogs', () => {
  it('ship the four catalogs with distinct ids and scrape ports', () => {
    assert.deepEqual(
      allCatalogs.map((c) => c.id),
      ['dynamo-operator', 'dynamo-runtime', 'datamover', 'modal'],
    );
    assert.equal(new Set(allCatalogs.map((c) => c.scrape.port)).size, allCatalogs.length);
    assert.equal(datamoverCatalog.scrape.port, 8080);
    assert.equal(modalCatalog.scrape.port, 8081);
  });

  for (const catalog of allCatalogs) {
    it(`${catalog.id}: names, types and labels match the spec tables`, () => {
      assert.deepEqual(shape(catalog), CONTRACT[catalog.id]);
    });
  }

  it('use the spec buckets where it gives them, and justify the others', () => {
    assert.deepEqual(datamoverCatalog.metrics.phaseDuration.buckets, [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1200]);
    const r = dynamoOperatorCatalog.metrics.reconcileDuration.buckets!;
    assert.deepEqual([r[0], r.at(-1)], [0.005, 60]);
    const w = dynamoOperatorCatalog.metrics.webhookDuration.buckets!;
    assert.deepEqual([w[0], w.at(-1)], [0.001, 5]);
    for (const catalog of allCatalogs) {
      for (const m of Object.values(catalog.metrics)) {
        if (m.type !== 'histogram') continue;
        assert.ok(m.buckets && m.buckets.length > 0, `${m.name} has buckets`);
        assert.ok(
          m.buckets.every((b, i) => i === 0 || b > m.buckets![i - 1]!),
          `${m.name} buckets ascend`,
        );
        if (m !== datamoverCatalog.metrics.phaseDuration) assert.ok(m.bucketsRationale, `${m.name} explains its buckets`);
      }
    }
  });

  it('document the spec label values exactly', () => {
    const op = dynamoOperatorCatalog.metrics;
    assert.equal(op.reconcileTotal.labelValues.resource_type.length, 5);
    assert.deepEqual(op.reconcileTotal.labelValues.result, ['success', 'error', 'requeue']);
    assert.equal(op.reconcileErrors.labelValues.error_type.length, 12);
    assert.deepEqual(op.webhookRequests.labelValues.result, ['allowed', 'denied']);
    assert.equal(op.resources.labelValues.status.length, 12);
    assert.deepEqual(datamoverCatalog.metrics.operations.labelValues.phase, ['CreatingClonedPVC', 'CreatingPod', 'CleaningUp']);
    assert.deepEqual(datamoverCatalog.metrics.operations.labelValues.status, ['started', 'success', 'failure']);
  });

  it('every correction says what the spec said', () => {
    for (const catalog of allCatalogs) {
      for (const q of catalog.queries) {
        if (q.correctsSpec) assert.match(q.correctsSpec, /^Spec[:,]/, `${catalog.id}: ${q.title}`);
      }
    }
  });

  it('instantiate into typed handles whose exposition carries the catalog names', async () => {
    const registry = new Registry();
    const op = instantiateCatalog(dynamoOperatorCatalog, registry);
    op.reconcileTotal.inc({ resource_type: 'DynamoModel', namespace: 'ns', result: 'success' });
    op.reconcileDuration.labels('DynamoModel', 'ns', 'success').observe(0.2);
    const rt = instantiateCatalog(dynamoRuntimeCatalog, registry);
    rt.uptime.inc({ namespace: 'dynamo' }, 42);
    const text = await registry.metrics();
    assert.match(text, /dynamo_operator_reconcile_total\{resource_type="DynamoModel",namespace="ns",result="success"\} 1/);
    assert.match(text, /dynamo_operator_reconcile_duration_seconds_bucket\{[^}]*le="60"[^}]*\} 1/);
    assert.match(text, /dynamo_system_uptime_seconds\{namespace="dynamo"\} 42/);
  });
});
