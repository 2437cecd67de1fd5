/**
 * A Dynamo-style service for the runtime endpoint: a DistributedRuntime with two namespaces
 * (graphs), their components and endpoints handling simulated requests. Every endpoint
 * records the dynamo-runtime catalog's work-handler families (requests, latency, errors);
 * each level also carries one of the spec's own examples (namespace: model_requests and
 * model_latency_seconds; component: backend_requests and gpu_memory_bytes by device;
 * endpoint: requests_by_model and active_connections), so the hierarchy's auto labels show.
 */
import { dynamoRuntimeCatalog } from '@promkit/catalogs';
import { DistributedRuntime, type Endpoint } from 'promkit/runtime';
import type { Log } from './log.js';
import { Random } from './random.js';

/** namespace → component → endpoints, and how long a request to each endpoint takes (seconds). */
const GRAPHS = {
  dynamo: { frontend: { http: [0.08, 1.5] }, backend: { generate: [0.05, 2.5], clear_kv_blocks: [0.001, 0.01] }, prefill: { generate: [0.02, 0.4] } },
  'llama-70b': { backend: { generate: [0.2, 6] } },
} as const satisfies Record<string, Record<string, Record<string, readonly [number, number]>>>;

const ERROR_TYPES = ['timeout', 'overloaded', 'invalid_request'] as const;
const MODEL_TYPES = [
  ['llama', '8b'],
  ['llama', '70b'],
  ['qwen', '7b'],
] as const;
const TICK_MS = 250;

const PREFIX = 'dynamo_';
const runtimeName = (name: string) => name.slice(PREFIX.length);
const { componentRequests, componentRequestDuration, componentErrors } = dynamoRuntimeCatalog.metrics;

/** The catalog's work-handler families on one endpoint; `record` is one handled request. */
function instrument(endpoint: Endpoint): (seconds: number, errorType?: string) => void {
  const requests = endpoint.createCounter(runtimeName(componentRequests.name), componentRequests.help);
  const duration = endpoint.createHistogram(runtimeName(componentRequestDuration.name), componentRequestDuration.help, {}, componentRequestDuration.buckets);
  const errors = endpoint.createCounterVec(runtimeName(componentErrors.name), componentErrors.help, ['error_type']);
  return (seconds, errorType) => {
    requests.inc();
    duration.observe(seconds);
    if (errorType) errors.withLabelValues(errorType).inc();
  };
}

export interface RuntimeSimulationHandle {
  readonly runtime: DistributedRuntime;
  stop(): Promise<void>;
}

export function startRuntimeSimulation(options: { seed?: number; log?: Log } = {}): RuntimeSimulationHandle {
  const log = options.log ?? (() => {});
  const random = new Random((options.seed ?? 1) ^ 0x5eed);
  const runtime = new DistributedRuntime({ logger: { info: (m) => log('debug', m), error: (m) => log('error', m) } });
  const perTick: Array<() => void> = [];

  for (const [nsName, components] of Object.entries(GRAPHS)) {
    const ns = runtime.namespace(nsName);
    const modelRequests = ns.createCounter('model_requests', 'Requests for this specific model');
    const modelLatency = ns.createHistogram('model_latency_seconds', 'Model inference latency', {}, [0.001, 0.01, 0.1, 1, 10]);
    for (const [componentName, eps] of Object.entries(components)) {
      const component = ns.component(componentName);
      const componentRequestsTotal = component.createCounter('backend_requests', 'Requests handled by this backend component');
      const gpuMemory = component.createGaugeVec('gpu_memory_bytes', 'GPU memory usage by device', ['gpu_id', 'memory_type']);
      const gpus = componentName === 'frontend' ? 0 : nsName === 'llama-70b' ? 4 : 2;
      // Read when scraped, as the spec suggests for values cheaper to read than to track.
      component.addUpdateCallback(() => {
        for (let gpu = 0; gpu < gpus; gpu++) {
          gpuMemory.withLabelValues(String(gpu), 'allocated').set(Math.round((60 + 15 * Math.sin(Date.now() / 5_000 + gpu)) * 2 ** 30));
          gpuMemory.withLabelValues(String(gpu), 'cached').set(Math.round(8 * 2 ** 30));
        }
      });
      for (const [endpointName, latency] of Object.entries(eps) as Array<[string, readonly [number, number]]>) {
        const endpoint = component.endpoint(endpointName);
        const record = instrument(endpoint);
        const byModel = endpoint.createCounterVec('requests_by_model', 'Requests by model type', ['model_type', 'model_size']);
        const connections = endpoint.createGauge('active_connections', 'Number of active client connections');
        perTick.push(() => {
          const n = random.int(0, endpointName === 'clear_kv_blocks' ? 1 : 4);
          for (let i = 0; i < n; i++) {
            // Log-uniform latency within the endpoint's range; 3% of requests fail.
            const seconds = Math.exp(random.between(Math.log(latency[0]), Math.log(latency[1])));
            record(seconds, random.chance(0.03) ? random.pick(ERROR_TYPES) : undefined);
            const [type, size] = random.pick(MODEL_TYPES);
            byModel.withLabelValues(type, size).inc();
            componentRequestsTotal.inc();
            modelRequests.inc();
            modelLatency.observe(seconds);
          }
          connections.set(random.int(0, 32));
        });
        endpoint.setHealthStatus('ready');
      }
    }
  }
  runtime.health.setSystemStatus('ready');

  const timer = setInterval(() => {
    for (const tick of perTick) tick();
  }, TICK_MS);
  return {
    runtime,
    async stop() {
      clearInterval(timer);
    },
  };
}
