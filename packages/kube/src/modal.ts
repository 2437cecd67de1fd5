/**
 * Modal operator instrumentation (modal-operator-metrics.md), shaped like a job's life:
 * queued → running → completed | failed.
 *
 * - queued: `modal_jobs_active{gpu_type}` +1, `modal_job_replicas{job_name}`, and
 *   `modal_i6pn_jobs_total{replicas}` for i6pn jobs.
 * - running: `modal_job_queue_seconds{gpu_type}` (time since queued), a cold start when
 *   flagged, and `modal_cost_estimate_usd{time_period="hourly"}` from the user's per-GPU-type
 *   hourly price × GPUs per replica × replicas.
 * - while running: `modal_gpu_utilization`, `modal_network_bandwidth_mbps{direction}`.
 * - finished: `modal_jobs_total{status=completed|failed, gpu_type, replicas}`,
 *   `modal_job_duration_seconds` (from running, or from queued if it never ran),
 *   `modal_jobs_active` −1, and the job's own gauges (replicas, utilisation, bandwidth,
 *   cost) removed so finished jobs do not linger as series. Counters are kept.
 */
import type { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import type { Handles } from 'promkit/catalog';
import { modalCatalog } from '@promkit/catalogs';
import { globalRegistry, type Registry } from 'promkit';
import { instantiateOnce } from './catalog-instances.js';
import { classifyError } from './error-taxonomy.js';

export type ModalHandles = Handles<(typeof modalCatalog)['metrics']>;

export interface ModalMetricsOptions {
  registry?: Registry;
  /** USD per GPU-hour by GPU type, e.g. `{ A100: 3.4, H100: 4.9 }`; unknown types get no cost series. */
  gpuHourlyPrices?: Readonly<Record<string, number>>;
}

export interface JobSpec {
  name: string;
  gpuType: string;
  /** Default 1. */
  replicas?: number;
  /** GPUs per replica (default 1), for the cost estimate. */
  gpusPerReplica?: number;
  /** Uses i6pn (Modal's private IPv6 network between replicas). */
  i6pn?: boolean;
  /** When the job was queued (default now), e.g. the CR's creationTimestamp. */
  queuedAt?: Date | string | number;
}

export interface TrackedJob {
  readonly name: string;
  readonly gpuType: string;
  readonly replicas: number;
  readonly state: 'queued' | 'running' | 'completed' | 'failed';
  /** The job started running; `coldStart` counts a function cold start. */
  running(options?: { at?: Date | string | number; coldStart?: boolean }): void;
  coldStart(): void;
  gpuUtilization(value: number): void;
  networkBandwidth(mbps: { ingress?: number; egress?: number }): void;
  completed(at?: Date | string | number): void;
  failed(at?: Date | string | number): void;
}

export interface ModalMetrics {
  readonly metrics: ModalHandles;
  /** Starts tracking a job (or returns the one already tracked under that name). */
  jobQueued(spec: JobSpec): TrackedJob;
  /** A tracked, unfinished job. */
  job(name: string): TrackedJob | undefined;
  /** The hourly cost estimate of a job shape, or undefined without a price for its GPU type. */
  hourlyCost(gpuType: string, replicas?: number, gpusPerReplica?: number): number | undefined;
  /** Counts an operator error; an Error is classified with the kit's error taxonomy. */
  operatorError(component: string, error: unknown): void;
  /** Counts one webhook request by HTTP method and outcome. */
  webhookRequest(method: string, status: 'success' | 'error'): void;
  /** An `onRequest` for `createAdmissionWebhook`: 4xx/5xx answers count as `error`, reviews as `success`. */
  webhookObserver(): (event: { method: string; outcome: 'allowed' | 'denied' | 'invalid' | 'error' }) => void;
  /** Counts one restart of this process (call once at startup after a crash-restart). */
  recordRestart(count?: number): void;
  /**
   * Adds the restart count of this operator's own container (kubelet's `restartCount`), read
   * from its Pod; call once at startup. Pod name and namespace default to POD_NAME and
   * POD_NAMESPACE (downward API). Returns the count added.
   */
  countRestartsFromPod(options: {
    core?: Pick<CoreV1Api, 'readNamespacedPod'>;
    kubeConfig?: KubeConfig;
    podName?: string;
    namespace?: string;
    container?: string;
  }): Promise<number>;
}

function timeOf(at: Date | string | number | undefined): number {
  if (at === undefined) return Date.now();
  const t = at instanceof Date ? at.getTime() : typeof at === 'number' ? at : Date.parse(at);
  return Number.isFinite(t) ? t : Date.now();
}

function positiveInt(value: number | undefined, what: string, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`modal job: ${what} must be a positive integer, got ${value}`);
  return v;
}

export function createModalMetrics(options: ModalMetricsOptions = {}): ModalMetrics {
  const metrics = instantiateOnce(options.registry ?? globalRegistry(), 'modal', () => modalCatalog);
  const prices = options.gpuHourlyPrices ?? {};
  for (const [gpu, price] of Object.entries(prices)) {
    if (typeof price !== 'number' || !(price >= 0) || !Number.isFinite(price)) {
      throw new RangeError(`gpuHourlyPrices['${gpu}'] must be a finite number >= 0 (USD per GPU-hour), got ${price}`);
    }
  }
  const jobs = new Map<string, TrackedJob>();

  const hourlyCost = (gpuType: string, replicas = 1, gpusPerReplica = 1): number | undefined => {
    const price = Object.hasOwn(prices, gpuType) ? prices[gpuType] : undefined;
    return price === undefined ? undefined : price * replicas * gpusPerReplica;
  };

  const jobQueued = (spec: JobSpec): TrackedJob => {
    const existing = jobs.get(spec.name);
    if (existing) return existing;
    if (typeof spec.name !== 'string' || spec.name === '') throw new TypeError('modal job: name must be a non-empty string');
    if (typeof spec.gpuType !== 'string' || spec.gpuType === '') throw new TypeError(`modal job '${spec.name}': gpuType must be a non-empty string`);
    const replicas = positiveInt(spec.replicas, 'replicas', 1);
    const gpusPerReplica = positiveInt(spec.gpusPerReplica, 'gpusPerReplica', 1);
    const { name, gpuType } = spec;
    const queuedAt = timeOf(spec.queuedAt);
    let runningAt: number | undefined;
    let state: TrackedJob['state'] = 'queued';

    metrics.jobsActive.labels(gpuType).inc();
    metrics.jobReplicas.labels(name).set(replicas);
    if (spec.i6pn) metrics.i6pnJobs.labels(String(replicas)).inc();

    const finish = (status: 'completed' | 'failed', at: Date | string | number | undefined) => {
      if (state === 'completed' || state === 'failed') return;
      state = status;
      jobs.delete(name);
      const seconds = Math.max(0, (timeOf(at) - (runningAt ?? queuedAt)) / 1000);
      metrics.jobsTotal.labels(status, gpuType, String(replicas)).inc();
      metrics.jobDuration.labels(status, gpuType).observe(seconds);
      metrics.jobsActive.labels(gpuType).dec();
      metrics.jobReplicas.remove(name);
      metrics.gpuUtilization.remove(name, gpuType);
      metrics.networkBandwidth.remove(name, 'ingress');
      metrics.networkBandwidth.remove(name, 'egress');
      metrics.costEstimate.remove(name, gpuType, 'hourly');
    };

    const job: TrackedJob = {
      name,
      gpuType,
      replicas,
      get state() {
        return state;
      },
      running(runOptions = {}) {
        if (state !== 'queued') return;
        state = 'running';
        runningAt = timeOf(runOptions.at);
        metrics.jobQueue.labels(gpuType).observe(Math.max(0, (runningAt - queuedAt) / 1000));
        if (runOptions.coldStart) job.coldStart();
        const cost = hourlyCost(gpuType, replicas, gpusPerReplica);
        if (cost !== undefined) metrics.costEstimate.labels(name, gpuType, 'hourly').set(cost);
      },
      coldStart() {
        metrics.coldStarts.labels(name, gpuType).inc();
      },
      gpuUtilization(value) {
        if (state === 'completed' || state === 'failed') return;
        metrics.gpuUtilization.labels(name, gpuType).set(value);
      },
      networkBandwidth(mbps) {
        if (state === 'completed' || state === 'failed') return;
        if (mbps.ingress !== undefined) metrics.networkBandwidth.labels(name, 'ingress').set(mbps.ingress);
        if (mbps.egress !== undefined) metrics.networkBandwidth.labels(name, 'egress').set(mbps.egress);
      },
      completed: (at) => finish('completed', at),
      failed: (at) => finish('failed', at),
    };
    jobs.set(name, job);
    return job;
  };

  return {
    metrics,
    jobQueued,
    job: (name) => jobs.get(name),
    hourlyCost,
    operatorError(component, error) {
      const errorType = typeof error === 'string' ? error : classifyError(error);
      metrics.operatorErrors.labels(errorType, component).inc();
    },
    webhookRequest(method, status) {
      metrics.webhookRequests.labels(method, status).inc();
    },
    webhookObserver() {
      return (event) => metrics.webhookRequests.labels(event.method, event.outcome === 'invalid' || event.outcome === 'error' ? 'error' : 'success').inc();
    },
    recordRestart(count = 1) {
      metrics.operatorRestarts.inc(count);
    },
    async countRestartsFromPod(podOptions) {
      const name = podOptions.podName ?? process.env.POD_NAME;
      const namespace = podOptions.namespace ?? process.env.POD_NAMESPACE;
      if (!name || !namespace) throw new TypeError('countRestartsFromPod: give podName and namespace, or set POD_NAME and POD_NAMESPACE from the downward API');
      let core = podOptions.core;
      if (!core) {
        if (!podOptions.kubeConfig) throw new TypeError('countRestartsFromPod: give core (a CoreV1Api) or kubeConfig');
        const { CoreV1Api: Api } = await import('@kubernetes/client-node');
        core = podOptions.kubeConfig.makeApiClient(Api);
      }
      const pod = await core.readNamespacedPod({ name, namespace });
      const statuses = pod.status?.containerStatuses ?? [];
      const mine = podOptions.container ? statuses.filter((s) => s.name === podOptions.container) : statuses;
      const restarts = mine.reduce((sum, s) => sum + (s.restartCount ?? 0), 0);
      if (restarts > 0) metrics.operatorRestarts.inc(restarts);
      return restarts;
    },
  };
}
