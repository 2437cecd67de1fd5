/**
 * A service instrumented with the runtime hierarchy and served by the system status server.
 *
 *   DYN_SYSTEM_ENABLED=true DYN_SYSTEM_PORT=8081 node --conditions=@promkit/source --import tsx examples/runtime-service/main.ts
 *   curl localhost:8081/metrics
 *   curl localhost:8081/health
 *
 * With DYN_SYSTEM_PORT=0 the server takes a random free port and prints it.
 */
import { DistributedRuntime } from 'promkit/runtime';

const runtime = new DistributedRuntime();
const backend = runtime.namespace('dynamo').component('backend');
const generate = backend.endpoint('generate');

// The spec's example: dynamo_my_counter{namespace="dynamo",component="backend",endpoint="generate"} 42
const counter = generate.createCounter('my_counter', 'My custom counter');
for (let i = 0; i < 42; i++) counter.inc();

const requestsByModel = generate.createCounterVec('requests_by_model', 'Requests by model type', ['model_type', 'model_size']);
const latency = generate.createHistogram('request_latency_seconds', 'Request latency distribution', {}, [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5]);
const memoryByGpu = backend.createGaugeVec('gpu_memory_bytes', 'GPU memory usage by device', ['gpu_id', 'memory_type']);

// Values that are cheaper to read when scraped than to track continuously.
backend.addUpdateCallback(() => {
  memoryByGpu.withLabelValues('0', 'allocated').set(process.memoryUsage().heapUsed);
  memoryByGpu.withLabelValues('0', 'cached').set(process.memoryUsage().rss);
});

function handleRequest(model: string, size: string): void {
  const stop = latency.startTimer();
  requestsByModel.withLabelValues(model, size).inc();
  stop();
}

const server = await runtime.health.holdWhile('loading models', async () => {
  const started = await runtime.startSystemServer();
  await new Promise((resolve) => setTimeout(resolve, 100)); // stand-in for start-up work
  return started;
});
generate.setHealthStatus('ready');
runtime.health.setSystemStatus('ready');

if (server === null) {
  console.log('system status server disabled: set DYN_SYSTEM_ENABLED=true to serve /metrics');
  console.log(await runtime.prometheusMetricsFmt());
} else {
  console.log(`metrics at ${server.url}/metrics`);
  const traffic = setInterval(() => handleRequest(Math.random() < 0.5 ? 'llama' : 'gpt', '7b'), 250);
  const shutdown = async (): Promise<void> => {
    clearInterval(traffic);
    runtime.health.setSystemStatus('notready');
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}
