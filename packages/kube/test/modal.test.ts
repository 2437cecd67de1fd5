/** Modal helpers: the job lifecycle, cost from a price table, errors, restarts read from the Pod. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Registry } from 'promkit';
import { createModalMetrics } from '../src/index.js';
import { sample, startApi } from './helpers.js';

describe('createModalMetrics', () => {
  it('follows a job from queued to running to completed', async () => {
    const registry = new Registry();
    const modal = createModalMetrics({ registry, gpuHourlyPrices: { H100: 4, A100: 3 } });
    const t0 = Date.now() - 600_000;
    const job = modal.jobQueued({ name: 'train-1', gpuType: 'H100', replicas: 2, gpusPerReplica: 8, i6pn: true, queuedAt: t0 });
    assert.equal(modal.jobQueued({ name: 'train-1', gpuType: 'H100' }), job, 'one tracked job per name');
    assert.equal(await sample(registry, 'modal_jobs_active', { gpu_type: 'H100' }), 1);
    assert.equal(await sample(registry, 'modal_job_replicas', { job_name: 'train-1' }), 2);
    assert.equal(await sample(registry, 'modal_i6pn_jobs_total', { replicas: '2' }), 1);

    job.running({ at: t0 + 45_000, coldStart: true });
    assert.equal(job.state, 'running');
    assert.equal(await sample(registry, 'modal_job_queue_seconds', { gpu_type: 'H100' }, '_sum'), 45);
    assert.equal(await sample(registry, 'modal_function_cold_starts_total', { job_name: 'train-1', gpu_type: 'H100' }), 1);
    assert.equal(
      await sample(registry, 'modal_cost_estimate_usd', { job_name: 'train-1', gpu_type: 'H100', time_period: 'hourly' }),
      64,
      '$4 × 8 GPUs × 2 replicas',
    );
    job.gpuUtilization(87.5);
    job.networkBandwidth({ ingress: 1200, egress: 300 });
    assert.equal(await sample(registry, 'modal_gpu_utilization', { job_name: 'train-1', gpu_type: 'H100' }), 87.5);
    assert.equal(await sample(registry, 'modal_network_bandwidth_mbps', { job_name: 'train-1', direction: 'egress' }), 300);

    job.completed(t0 + 45_000 + 3_600_000);
    job.failed();
    assert.equal(job.state, 'completed', 'the first outcome wins');
    assert.equal(modal.job('train-1'), undefined);
    assert.equal(await sample(registry, 'modal_jobs_total', { status: 'completed', gpu_type: 'H100', replicas: '2' }), 1);
    assert.equal(await sample(registry, 'modal_jobs_total', { status: 'failed', gpu_type: 'H100', replicas: '2' }), undefined);
    assert.equal(await sample(registry, 'modal_job_duration_seconds', { status: 'completed', gpu_type: 'H100' }, '_sum'), 3600);
    assert.equal(await sample(registry, 'modal_jobs_active', { gpu_type: 'H100' }), 0);
    for (const [name, labels] of [
      ['modal_job_replicas', { job_name: 'train-1' }],
      ['modal_gpu_utilization', { job_name: 'train-1', gpu_type: 'H100' }],
      ['modal_network_bandwidth_mbps', { job_name: 'train-1', direction: 'ingress' }],
      ['modal_cost_estimate_usd', { job_name: 'train-1', gpu_type: 'H100', time_period: 'hourly' }],
    ] as const) {
      assert.equal(await sample(registry, name, labels), undefined, `${name} removed for the finished job`);
    }
  });

  it('times a job that fails in the queue from when it was queued, and skips cost without a price', async () => {
    const registry = new Registry();
    const modal = createModalMetrics({ registry, gpuHourlyPrices: { A100: 3 } });
    const job = modal.jobQueued({ name: 'j', gpuType: 'T4', queuedAt: Date.now() - 30_000 });
    job.running();
    assert.equal(await sample(registry, 'modal_cost_estimate_usd', { job_name: 'j', gpu_type: 'T4', time_period: 'hourly' }), undefined);
    const stuck = modal.jobQueued({ name: 'k', gpuType: 'A100', queuedAt: Date.now() - 20_000 });
    stuck.failed();
    const sum = await sample(registry, 'modal_job_duration_seconds', { status: 'failed', gpu_type: 'A100' }, '_sum');
    assert.ok(sum !== undefined && sum >= 19 && sum < 60, `failed-in-queue duration ${sum}`);
    assert.equal(modal.hourlyCost('A100', 2, 4), 24);
    assert.throws(() => createModalMetrics({ registry: new Registry(), gpuHourlyPrices: { A100: -1 } }), /USD per GPU-hour/);
    assert.throws(() => modal.jobQueued({ name: 'z', gpuType: 'A100', replicas: 0 }), /replicas must be a positive integer/);
  });

  it('counts operator errors by taxonomy and component, and webhook requests', async () => {
    const registry = new Registry();
    const modal = createModalMetrics({ registry });
    modal.operatorError('controller', Object.assign(new Error('x'), { code: 409, body: '{"reason":"Conflict","code":409}' }));
    modal.operatorError('modal-client', 'modal_api_error');
    modal.webhookRequest('POST', 'success');
    assert.equal(await sample(registry, 'modal_operator_errors_total', { error_type: 'conflict', component: 'controller' }), 1);
    assert.equal(await sample(registry, 'modal_operator_errors_total', { error_type: 'modal_api_error', component: 'modal-client' }), 1);
    assert.equal(await sample(registry, 'modal_webhook_requests_total', { method: 'POST', status: 'success' }), 1);
  });

  it('adds the container restart count read from its own Pod through LocalApiServer', async (t) => {
    const api = await startApi(t);
    api.createObject({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'modal-operator-0', namespace: 'team-a' },
      spec: { containers: [{ name: 'manager' }, { name: 'proxy' }] },
    });
    const pod = api.getObject({ apiVersion: 'v1', kind: 'Pod', namespace: 'team-a', name: 'modal-operator-0' })!;
    api.updateObject(
      {
        ...pod,
        status: {
          containerStatuses: [
            { name: 'manager', restartCount: 3 },
            { name: 'proxy', restartCount: 1 },
          ],
        },
      },
      { subresource: 'status' },
    );
    const registry = new Registry();
    const modal = createModalMetrics({ registry });
    const added = await modal.countRestartsFromPod({ kubeConfig: api.kubeConfig(), podName: 'modal-operator-0', namespace: 'team-a', container: 'manager' });
    assert.equal(added, 3);
    assert.equal(await sample(registry, 'modal_operator_restarts_total', {}), 3);
    modal.recordRestart();
    assert.equal(await sample(registry, 'modal_operator_restarts_total', {}), 4);
    await assert.rejects(modal.countRestartsFromPod({ kubeConfig: api.kubeConfig(), podName: 'missing', namespace: 'team-a' }), /HTTP-Code: 404/);
  });
});
