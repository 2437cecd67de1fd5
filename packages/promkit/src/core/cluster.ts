import { createRequire } from 'node:module';
import type { Cluster, Worker } from 'node:cluster';
import { PROMETHEUS_CONTENT_TYPE } from '../exposition/content-types.js';
import { aggregators } from './aggregators.js';
import type { MetricObjectWithValues } from './metric.js';
import { globalRegistry, Registry, type RegistryContentType } from './registry.js';

// Loaded on first use, as prom-client does: some application servers (Passenger) break
// when node:cluster is merely imported. A require anchored anywhere loads a builtin; the
// working directory keeps this free of import.meta, which the CommonJS build cannot have.
const requireBuiltin = createRequire(`${process.cwd()}/`);
let clusterModule: Cluster | undefined;
function cluster(): Cluster {
  clusterModule ??= requireBuiltin('node:cluster') as Cluster;
  return clusterModule;
}

// Not prom-client's message types: a primary that loads both libraries must not have
// prom-client's listener read promkit's answers (it throws on unknown request ids).
const GET_METRICS_REQ = 'promkit:getMetricsReq';
const GET_METRICS_RES = 'promkit:getMetricsRes';

interface MetricsRequestMessage {
  type: typeof GET_METRICS_REQ;
  requestId: number;
}

interface MetricsResponseMessage {
  type: typeof GET_METRICS_RES;
  requestId: number;
  metrics?: MetricObjectWithValues[][];
  error?: string;
}

interface PendingRequest {
  /** Workers that were asked and have not answered yet, by id. */
  readonly waiting: Map<number, Worker>;
  readonly responses: MetricObjectWithValues[][];
  fail(error: Error): void;
  finish(): void;
}

let registries: Registry[] | undefined;
let nextRequestId = 0;
const pending = new Map<number, PendingRequest>();
let primaryListening = false;
let workerListening = false;

function describeWorker(w: Worker): string {
  return `worker ${w.id} (pid ${w.process.pid ?? 'unknown'})`;
}

function listenAsPrimary(): void {
  if (primaryListening) return;
  primaryListening = true;
  cluster().on('message', (worker: Worker, message: unknown) => {
    const m = message as Partial<MetricsResponseMessage> | null;
    if (m === null || typeof m !== 'object' || m.type !== GET_METRICS_RES || typeof m.requestId !== 'number') return;
    const request = pending.get(m.requestId);
    if (request === undefined || !request.waiting.has(worker.id)) return; // late answer of a failed request
    if (typeof m.error === 'string') {
      request.fail(new Error(`cluster metrics: ${describeWorker(worker)} could not collect its metrics: ${m.error}`));
      return;
    }
    for (const registryMetrics of m.metrics ?? []) request.responses.push(registryMetrics);
    request.waiting.delete(worker.id);
    if (request.waiting.size === 0) request.finish();
  });
  // A worker that dies mid-request never answers: fail at once instead of waiting out the timeout.
  cluster().on('exit', (worker: Worker, code: number | null, signal: string | null) => {
    for (const request of pending.values()) {
      if (request.waiting.has(worker.id)) {
        const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        request.fail(new Error(`cluster metrics: ${describeWorker(worker)} ${how} before sending its metrics`));
      }
    }
  });
}

function listenAsWorker(): void {
  if (workerListening) return;
  workerListening = true;
  process.on('message', (message: unknown) => {
    const m = message as Partial<MetricsRequestMessage> | null;
    if (m === null || typeof m !== 'object' || m.type !== GET_METRICS_REQ || typeof m.requestId !== 'number') return;
    const requestId = m.requestId;
    const reply = (answer: Omit<MetricsResponseMessage, 'type' | 'requestId'>) => {
      // The primary may be gone (shutdown): nothing left to answer.
      if (process.connected) process.send!({ type: GET_METRICS_RES, requestId, ...answer }, undefined, undefined, () => {});
    };
    Promise.all((registries ?? [globalRegistry()]).map((r) => r.getMetricsAsJSON())).then(
      (metrics) => reply({ metrics }),
      (error: unknown) => reply({ error: error instanceof Error ? error.message : String(error) }),
    );
  });
}

function addListeners(): void {
  if (cluster().isPrimary) listenAsPrimary();
  if (cluster().isWorker) listenAsWorker();
}

/**
 * prom-client's cluster mode. In the primary, `clusterMetrics()` asks every worker for the
 * metrics of its registries over the cluster IPC channel and returns them aggregated per
 * each metric's `aggregator` ('sum' unless set). Workers answer once they have created an
 * `AggregatorRegistry` or called `AggregatorRegistry.setRegistries()`.
 */
export class AggregatorRegistry<T extends RegistryContentType = RegistryContentType> extends Registry<T> {
  /** How long `clusterMetrics()` waits for the workers before rejecting (prom-client: 5 s). */
  clusterTimeoutMs = 5000;

  constructor(contentType: T = PROMETHEUS_CONTENT_TYPE as T) {
    super(contentType);
    addListeners();
  }

  /**
   * Every connected worker's metrics, aggregated, in this registry's content type. Rejects
   * when a worker fails to collect, exits before answering, or none answers within
   * `clusterTimeoutMs`; resolves '' when there are no workers.
   */
  clusterMetrics(): Promise<string> {
    listenAsPrimary();
    const requestId = nextRequestId++;
    const workers = Object.values(cluster().workers ?? {}).filter((w): w is Worker => w?.isConnected() === true);
    if (workers.length === 0) return Promise.resolve('');
    const timeoutMs = this.clusterTimeoutMs;
    const contentType = this.contentType;
    return new Promise<string>((resolve, reject) => {
      let settled = false;
      const settle = (error: Error | undefined, result?: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        pending.delete(requestId);
        if (error) reject(error);
        else resolve(result!);
      };
      const request: PendingRequest = {
        waiting: new Map(workers.map((w) => [w.id, w])),
        responses: [],
        fail: (error) => settle(error),
        finish: () => {
          try {
            AggregatorRegistry.aggregate(request.responses, contentType)
              .metrics()
              .then((text) => settle(undefined, text), settle);
          } catch (error) {
            settle(error as Error);
          }
        },
      };
      const timer = setTimeout(() => {
        const silent = [...request.waiting.values()].map(describeWorker).join(', ');
        settle(new Error(`cluster metrics: no answer within ${timeoutMs} ms from ${silent}`));
      }, timeoutMs);
      pending.set(requestId, request);
      const message: MetricsRequestMessage = { type: GET_METRICS_REQ, requestId };
      for (const w of workers) {
        try {
          w.send(message, undefined, (error) => {
            if (error) request.fail(new Error(`cluster metrics: could not ask ${describeWorker(w)}: ${error.message}`));
          });
        } catch (error) {
          request.fail(new Error(`cluster metrics: could not ask ${describeWorker(w)}: ${(error as Error).message}`));
        }
      }
    });
  }

  /**
   * A registry of the metrics in `metricsArr` (each element one registry's
   * `getMetricsAsJSON()`), metrics of the same name folded by their `aggregator`.
   */
  static aggregate<T extends RegistryContentType = RegistryContentType>(
    metricsArr: ReadonlyArray<ReadonlyArray<MetricObjectWithValues>>,
    registryType: T = PROMETHEUS_CONTENT_TYPE as T,
  ): Registry<T> {
    const aggregated = new Registry<T>(registryType);
    const byName = new Map<string, MetricObjectWithValues[]>();
    for (const metrics of metricsArr) {
      for (const metric of metrics) {
        const group = byName.get(metric.name);
        if (group === undefined) byName.set(metric.name, [metric]);
        else group.push(metric);
      }
    }
    for (const [name, metrics] of byName) {
      const aggregatorName = metrics[0].aggregator ?? 'sum';
      const aggregate = (aggregators as Record<string, (m: MetricObjectWithValues[]) => MetricObjectWithValues | undefined>)[aggregatorName];
      if (typeof aggregate !== 'function') {
        throw new Error(`metric '${name}': '${String(aggregatorName)}' is not a defined aggregator (use one of ${Object.keys(aggregators).join(', ')})`);
      }
      const result = aggregate(metrics);
      if (result !== undefined) aggregated.registerMetric({ ...result, get: () => result });
    }
    return aggregated;
  }

  /** Which registries a worker reports (default: the global one). Call it in the workers. */
  static setRegistries(regs: Registry | Registry[]): void {
    const list = Array.isArray(regs) ? regs : [regs];
    list.forEach((r, i) => {
      if (!(r instanceof Registry))
        throw new TypeError(`AggregatorRegistry.setRegistries: element ${i} is not a Registry (got ${r === null ? 'null' : typeof r})`);
    });
    registries = list;
    if (cluster().isWorker) listenAsWorker();
  }
}
