/**
 * `promkit demo --kubeconfig PATH`: the same controllers against a cluster they did not
 * start (here a LocalApiServer playing the real cluster, reached only through a kubeconfig
 * file), with no workload generator and no stand-ins: what happens is what the test does.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CustomObjectsApi } from '@kubernetes/client-node';
import { bannerText } from '../src/demo/banner.js';
import { startDemo, type RunningDemo } from '../src/demo/start-demo.js';
import { LocalApiServer, waitUntil } from '@promkit/testing';
import { ALL_CRDS, BATCH_JOBS } from '../src/reference-operator/crds.js';
import { readCounts } from '../src/demo/live-summary.js';

const GROUP = 'nvidia.com';
const VERSION = 'v1alpha1';

describe('promkit demo on an existing cluster', { timeout: 120_000 }, () => {
  let api: LocalApiServer;
  let dir: string;
  let demo: RunningDemo;

  before(async () => {
    api = new LocalApiServer({ resources: [...ALL_CRDS, BATCH_JOBS], namespaces: ['default', 'apps'] });
    await api.start();
    dir = await mkdtemp(join(tmpdir(), 'promkit-demo-cluster-'));
    const kubeconfig = await api.writeKubeconfig(join(dir, 'kubeconfig'));
    demo = await startDemo({
      kubeconfig,
      ports: { dynamo: 0, datamover: 0, modal: 0, runtime: 0, prometheus: 0 },
      prometheus: false,
      quiet: true,
      stateDir: join(dir, 'state'),
    });
  });

  after(async () => {
    await demo?.stop();
    await api?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const sample = async (name: string, labels: Record<string, string>): Promise<number | undefined> => {
    const metric = demo.operator.registries.dynamoOperator.getSingleMetric(name);
    const values = metric ? (await metric.get()).values : [];
    return values.find((v) => Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want))?.value;
  };

  it('reconciles what is created there, through the same controllers, with no workload of its own', async () => {
    assert.equal(demo.mode, 'cluster');
    assert.equal(demo.operator.apiServerUrl, api.url);
    assert.equal(demo.kubeconfigPath, undefined);
    assert.match(bannerText(demo), new RegExp(`watching ${api.url.replace(/\./g, '\\.')} \\(no workload generator\\)`));
    assert.match(bannerText(demo), /kubectl apply -f .*crds\.yaml/);

    const custom = api.kubeConfig().makeApiClient(CustomObjectsApi);
    const image = 'nvcr.io/nvidia/ai-dynamo/vllm-runtime:0.6.0';
    await custom.createNamespacedCustomObject({
      group: GROUP,
      version: VERSION,
      namespace: 'apps',
      plural: 'dynamographdeployments',
      body: {
        apiVersion: `${GROUP}/${VERSION}`,
        kind: 'DynamoGraphDeployment',
        metadata: { name: 'chat', namespace: 'apps' },
        spec: { backendFramework: 'vllm', services: { Frontend: { componentType: 'frontend', replicas: 1, image } } },
      },
    });
    // The controller creates the component, the component its pod; with no kubelet here the graph waits.
    await waitUntil(() => api.listObjects('v1', 'Pod', 'apps').length === 1, { timeoutMs: 10_000, description: 'the component pod' });
    await waitUntil(
      async () => (await sample('dynamo_operator_resources_total', { resource_type: 'DynamoGraphDeployment', namespace: 'apps', status: 'pending' })) === 1,
      {
        timeoutMs: 10_000,
        description: 'the graph counted as pending',
      },
    );
    // Play kubelet: the pod runs, the component turns Ready, the graph successful.
    const [pod] = api.listObjects('v1', 'Pod', 'apps');
    api.updateObject({ ...pod!, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } }, { subresource: 'status' });
    await waitUntil(
      async () => (await sample('dynamo_operator_resources_total', { resource_type: 'DynamoGraphDeployment', namespace: 'apps', status: 'successful' })) === 1,
      {
        timeoutMs: 10_000,
        description: 'the graph counted as successful',
      },
    );
    assert.ok(((await sample('dynamo_operator_reconcile_total', { resource_type: 'DynamoGraphDeployment', namespace: 'apps', result: 'success' })) ?? 0) >= 1);
    assert.equal(api.listObjects(`${GROUP}/${VERSION}`, 'DynamoComponentDeployment', 'apps').length, 1);

    // Nothing else runs here: no generated graphs, backups or jobs; the summary counts only ours.
    assert.equal(api.listObjects(`${GROUP}/${VERSION}`, 'DynamoGraphDeployment').length, 1);
    assert.equal(api.listObjects('datamover.promkit.dev/v1alpha1', 'DataMover').length, 0);
    assert.equal(api.listObjects('modal.promkit.dev/v1alpha1', 'ModalJob').length, 0);
    const counts = await readCounts(demo.operator.registries);
    assert.deepEqual(counts.resources, { ok: 2, waiting: 0, failed: 0 });
  });

  it('runs a Modal job against the simulated Modal API', async () => {
    const custom = api.kubeConfig().makeApiClient(CustomObjectsApi);
    await custom.createNamespacedCustomObject({
      group: 'modal.promkit.dev',
      version: VERSION,
      namespace: 'apps',
      plural: 'modaljobs',
      body: {
        apiVersion: `modal.promkit.dev/${VERSION}`,
        kind: 'ModalJob',
        metadata: { name: 'finetune', namespace: 'apps' },
        spec: { function: 'train.py::finetune', gpuType: 'H100', replicas: 2, i6pn: true },
      },
    });
    const phase = () =>
      (
        api.getObject({ apiVersion: `modal.promkit.dev/${VERSION}`, kind: 'ModalJob', namespace: 'apps', name: 'finetune' }) as
          | { status?: { phase?: string } }
          | undefined
      )?.status?.phase;
    // The controller records the start (queue time, cold start, cost) when the API server has
    // answered its status write, so a loaded machine may show the phase before it: wait for both.
    const text = await waitUntil(
      async () => {
        const metrics = await demo.operator.registries.modal.metrics();
        return phase() === 'Running' && /^modal_job_queue_seconds_count\{gpu_type="H100"\} 1$/m.test(metrics) ? metrics : undefined;
      },
      { timeoutMs: 10_000, description: 'the job running and its start recorded' },
    );
    assert.match(text, /^modal_jobs_active\{gpu_type="H100"\} 1$/m);
    assert.match(text, /^modal_i6pn_jobs_total\{replicas="2"\} 1$/m);
    assert.match(text, /^modal_cost_estimate_usd\{job_name="apps\/finetune",gpu_type="H100",time_period="hourly"\} 7\.9$/m);
    assert.match(text, /^modal_function_cold_starts_total\{job_name="apps\/finetune",gpu_type="H100"\} 1$/m);
  });
});
