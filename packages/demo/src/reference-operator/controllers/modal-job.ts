/**
 * The Modal job controller. A ModalJob is submitted to Modal (the simulated cloud) and its
 * `.status.phase` follows the call: Queued → Running → Completed or Failed, with GPU type,
 * replicas, cold starts, utilisation, bandwidth and the hourly cost estimate recorded by the
 * kit's Modal helper. Errors are counted by component: `modal-client` for Modal API calls,
 * `controller` for everything else (status write conflicts, API server errors).
 */
import { Registry } from 'promkit';
import { createAdmissionWebhook, createModalMetrics, createOperatorMetrics, type AdmissionWebhook, type ModalMetrics, type TrackedJob } from '@promkit/kube';
import type { KubeClients, ResourceClient } from '../clients.js';
import { MODAL_JOB, type ModalJob } from '../crds.js';
import type { Log } from '../log.js';
import type { ModalCloud } from '../modal-cloud.js';
import { modalValidators } from '../webhook-validators.js';
import { Controller, type Reconciler } from './controller.js';
import { informerFor, runInformer, type CachedInformer } from './informers.js';

/** USD per GPU-hour (Modal's list prices, rounded). */
export const GPU_HOURLY_PRICES = { T4: 0.59, L4: 0.8, A10G: 1.1, A100: 2.5, H100: 3.95 } as const;

type Status = NonNullable<ModalJob['status']>;

interface Context {
  readonly jobs: ResourceClient<ModalJob>;
  readonly informer: CachedInformer<ModalJob>;
  readonly metrics: ModalMetrics;
  readonly cloud: ModalCloud;
  /** callId of every job being tracked, to cancel it when the ModalJob is deleted. */
  readonly calls: Map<string, string>;
}

/** Errors already counted (under `modal-client`), so the reconcile wrapper does not count them again. */
const counted = new WeakSet<object>();

function jobName(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

/** The tracked job, re-created from the status after an operator restart. */
function tracked(ctx: Context, job: ModalJob): TrackedJob {
  const name = jobName(job.metadata.namespace, job.metadata.name);
  const existing = ctx.metrics.job(name);
  if (existing) return existing;
  const t = ctx.metrics.jobQueued({
    name,
    gpuType: job.spec.gpuType,
    replicas: job.spec.replicas,
    gpusPerReplica: job.spec.gpusPerReplica ?? 1,
    i6pn: job.spec.i6pn === true && job.spec.replicas > 1,
    queuedAt: job.status?.queuedAt ?? job.metadata.creationTimestamp ?? Date.now(),
  });
  if (job.status?.phase === 'Running') t.running({ at: job.status.startedAt ?? Date.now(), coldStart: false });
  return t;
}

async function writeStatus(ctx: Context, job: ModalJob, status: Status): Promise<void> {
  await ctx.jobs.replaceStatus({ ...job, status });
}

function modalCall<R>(ctx: Context, call: () => R): R {
  try {
    return call();
  } catch (error) {
    ctx.metrics.operatorError('modal-client', error);
    if (typeof error === 'object' && error !== null) counted.add(error);
    throw error;
  }
}

async function reconcileJob(ctx: Context, namespace: string, name: string): Promise<{ requeueAfter: number } | undefined> {
  const key = jobName(namespace, name);
  const job = ctx.informer.get(name, namespace);
  if (!job || job.metadata.deletionTimestamp) {
    // Deleted while queued or running: cancel the call; the job ends as failed.
    const callId = ctx.calls.get(key);
    if (callId) ctx.cloud.cancel(callId);
    ctx.metrics.job(key)?.failed();
    ctx.calls.delete(key);
    return undefined;
  }
  const status = job.status ?? {};
  if (!status.phase) {
    // A call submitted by an attempt whose status write failed is reused, not submitted twice.
    const callId =
      status.callId ??
      ctx.calls.get(key) ??
      modalCall(ctx, () => ctx.cloud.submit({ function: job.spec.function, gpuType: job.spec.gpuType, replicas: job.spec.replicas }));
    ctx.calls.set(key, callId);
    const queuedAt = new Date().toISOString();
    await writeStatus(ctx, job, { phase: 'Queued', callId, queuedAt, message: `submitted ${job.spec.function} on ${job.spec.replicas}x ${job.spec.gpuType}` });
    tracked(ctx, { ...job, status: { queuedAt } });
    return { requeueAfter: 300 };
  }
  if (status.phase !== 'Queued' && status.phase !== 'Running') return undefined;
  const callId = status.callId ?? '';
  ctx.calls.set(key, callId);
  const t = tracked(ctx, job);
  const call = modalCall(ctx, () => ctx.cloud.status(callId));
  if (status.phase === 'Queued' && call.state !== 'pending') {
    const startedAt = new Date(call.startedAt ?? Date.now()).toISOString();
    await writeStatus(ctx, job, {
      ...status,
      phase: 'Running',
      startedAt,
      coldStart: call.coldStart,
      message: call.coldStart ? 'running (cold start)' : 'running',
    });
    t.running({ at: startedAt, coldStart: call.coldStart });
    return { requeueAfter: 300 };
  }
  if (status.phase === 'Running') {
    t.gpuUtilization(Math.round(call.gpuUtilization * 100));
    t.networkBandwidth({ ingress: call.ingressMbps, egress: call.egressMbps });
    if (call.state === 'succeeded' || call.state === 'failed') {
      const finishedAt = new Date(call.finishedAt ?? Date.now()).toISOString();
      const phase = call.state === 'succeeded' ? 'Completed' : 'Failed';
      await writeStatus(ctx, job, { ...status, phase, finishedAt, message: call.message ?? 'finished' });
      if (phase === 'Completed') t.completed(finishedAt);
      else t.failed(finishedAt);
      ctx.calls.delete(key);
      ctx.cloud.forget(callId);
      return undefined;
    }
  }
  return { requeueAfter: 500 };
}

function reconciler(ctx: Context): Reconciler {
  return async ({ namespace, name }) => {
    try {
      return await reconcileJob(ctx, namespace, name);
    } catch (error) {
      if (!(typeof error === 'object' && error !== null && counted.has(error))) ctx.metrics.operatorError('controller', error);
      throw error;
    }
  };
}

export interface ModalOperator {
  readonly metrics: ModalMetrics;
  readonly synced: Promise<void>;
  stop(): Promise<void>;
}

/**
 * The Modal operator's validating webhook. Its requests are counted in
 * `modal_webhook_requests_total`; the kit's Dynamo-style webhook families (not part of the
 * Modal spec) go to a registry nobody serves.
 */
export async function startModalWebhook(metrics: ModalMetrics): Promise<AdmissionWebhook> {
  const kit = createOperatorMetrics({ registry: new Registry(), prefix: 'modal_operator' });
  const webhook = createAdmissionWebhook({
    kit,
    validators: modalValidators,
    insecureHttp: true,
    host: '127.0.0.1',
    port: 0,
    path: '/validate',
    onRequest: metrics.webhookObserver(),
  });
  await webhook.listen();
  return webhook;
}

export function createModalOperatorMetrics(registry: Registry): ModalMetrics {
  return createModalMetrics({ registry, gpuHourlyPrices: GPU_HOURLY_PRICES });
}

export function startModalOperator(options: { kube: KubeClients; metrics: ModalMetrics; cloud: ModalCloud; log: Log }): ModalOperator {
  const { kube, log, metrics, cloud } = options;
  const jobs = kube.resource<ModalJob>(MODAL_JOB);
  const informer = informerFor(kube.kubeConfig, MODAL_JOB, () => jobs.listAll());
  const ctx: Context = { jobs, informer, metrics, cloud, calls: new Map() };
  const controller = new Controller({ kind: MODAL_JOB.kind, informer, reconcile: reconciler(ctx), log });
  const running = runInformer(informer, 'modaljobs', log);
  controller.start();
  return {
    metrics,
    synced: running.started,
    async stop() {
      await controller.stop();
      await running.stop();
    },
  };
}
