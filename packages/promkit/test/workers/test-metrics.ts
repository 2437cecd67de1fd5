import type { SharedMetrics } from '../../src/index.js';

/** The metrics the tests' threads share, declared by one function both sides call. */
export function declareTestMetrics(shared: SharedMetrics) {
  return {
    requests: shared.counter({ name: 'test_requests_total', help: 'Requests', labelNames: ['method', 'code'] }),
    latency: shared.histogram({ name: 'test_latency_seconds', help: 'Latency', labelNames: ['route'], buckets: [0.25, 0.5, 1] }),
    inflight: shared.gauge({ name: 'test_inflight', help: 'In flight', aggregator: 'sum' }),
    perThread: shared.gauge({ name: 'test_level', help: 'Level per thread', threadLabel: 'thread' }),
  };
}
