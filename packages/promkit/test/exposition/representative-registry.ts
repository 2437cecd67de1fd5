/**
 * A registry exercising every feature of the exposition: all metric types, labelled and
 * unlabelled, default labels, units, exemplars, special values and label values that
 * need escaping. Values are fixed, so every scrape of it returns the same samples.
 * Lint-clean for `promtool check metrics` (counters end in _total, base units).
 */
import { Counter, Gauge, Histogram, Registry, Summary } from '../../src/index.js';

/** Label values that need escaping or are unusual, each with the value it is exposed with. */
export const TRICKY_VALUES: ReadonlyArray<readonly [string, number]> = [
  ['plain', 1],
  ['with "double quotes"', 2],
  ['back\\slash and \\n literally', 3],
  ['line\nfeed', 4],
  ['ünïcödé – 日本語 😀 𝄞', 5],
  ['{braces}, commas = equals', 6],
  ['trailing backslash \\', 7],
  ['tab\tand carriage\rreturn', 8],
];

export const TRICKY_HELP = 'Help with "quotes", a backslash \\ and\na second line.';

export function representativeRegistry(): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service: 'roundtrip', zone: 'eu-1' });

  const requests = new Counter({
    name: 'app_requests_total',
    help: 'Requests handled, by method and status code.',
    labelNames: ['method', 'code'],
    enableExemplars: true,
    exemplarsOnTextRegistry: true,
    registers: [registry],
  });
  requests.inc({ labels: { method: 'GET', code: 200 }, value: 1027, exemplarLabels: { trace_id: '4bf92f3577b34da6a3ce929d0e0e4736' } });
  requests.inc({ labels: { method: 'POST', code: 500 }, value: 3 });
  requests.inc({ labels: { method: 'PUT', code: 201 }, value: 0.5 });

  new Counter({ name: 'app_restarts_total', help: 'Restarts.', registers: [registry] }).inc(2);
  new Counter({ name: 'app_untouched_total', help: 'Declared, never incremented.', labelNames: ['reason'], registers: [registry] });
  new Counter({ name: 'app_sent_bytes_total', help: 'Bytes sent.', unit: 'bytes', registers: [registry] }).inc(123456789);

  const tricky = new Gauge({ name: 'app_tricky_labels', help: TRICKY_HELP, labelNames: ['value'], registers: [registry] });
  for (const [value, n] of TRICKY_VALUES) tricky.set({ value }, n);

  const special = new Gauge({ name: 'app_special_values', help: 'NaN and infinities.', labelNames: ['kind'], registers: [registry] });
  special.set({ kind: 'nan' }, NaN);
  special.set({ kind: 'pos_inf' }, Infinity);
  special.set({ kind: 'neg_inf' }, -Infinity);
  special.set({ kind: 'negative' }, -12.5);
  special.set({ kind: 'tiny' }, 1e-300);
  special.set({ kind: 'huge' }, 1.5e300);

  new Gauge({ name: 'app_temperature_celsius', help: 'Temperature.', unit: 'celsius', registers: [registry] }).set(21.5);
  new Gauge({
    name: 'app_queue_length',
    help: 'Set by a collect callback.',
    labelNames: ['queue'],
    registers: [registry],
    collect() {
      this.set({ queue: 'high' }, 4);
      this.set({ queue: 'low' }, 40);
    },
  });

  const latency = new Histogram({
    name: 'app_request_duration_seconds',
    help: 'Request latency.',
    labelNames: ['route'],
    buckets: [0.005, 0.01, 0.1, 0.5, 1, 2.5, 10],
    enableExemplars: true,
    exemplarsOnTextRegistry: true,
    unit: 'seconds',
    registers: [registry],
  });
  for (const v of [0.003, 0.007, 0.05, 0.2, 0.2, 0.7, 1.5, 3, 12]) latency.observe({ labels: { route: '/api' }, value: v });
  latency.observe({ labels: { route: '/api' }, value: 0.3, exemplarLabels: { trace_id: 'abc123' } });
  latency.observe({ labels: { route: '/health' }, value: 0.001 });
  latency.zero({ route: '/never' });

  const sizes = new Histogram({ name: 'app_payload_size_bytes', help: 'Payload sizes.', buckets: [100, 1000, 10000], registers: [registry] });
  sizes.observe(50);
  sizes.observe(5000);

  const rpc = new Summary({
    name: 'app_rpc_duration_seconds',
    help: 'RPC latency.',
    labelNames: ['service'],
    percentiles: [0.5, 0.9, 0.99],
    registers: [registry],
  });
  for (let i = 1; i <= 100; i++) rpc.observe({ service: 'billing' }, i / 100);
  new Summary({ name: 'app_idle_duration_seconds', help: 'Never observed.', percentiles: [0.5], registers: [registry] });

  return registry;
}
