import { Counter } from '../core/counter.js';
import { Gauge } from '../core/gauge.js';
import type { Registry } from '../core/registry.js';

/** The sender's own health, as `promkit_remote_write_*` series labelled with the remote's name. */
export interface RemoteWriteHealth {
  sent(n: number): void;
  failed(n: number): void;
  dropped(n: number): void;
  retried(n: number): void;
  queueLength(n: number): void;
  succeeded(): void;
}

/** The registered metric of this name and type, or a new one: several senders share the families. */
function shared<M>(registry: Registry, name: string, create: () => M): M {
  return (registry.getSingleMetric(name) as M | undefined) ?? create();
}

export function createHealthMetrics(registry: Registry, remote: string): RemoteWriteHealth {
  const registers = [registry];
  const labelNames = ['remote'] as const;
  const sent = shared(
    registry,
    'promkit_remote_write_samples_sent_total',
    () =>
      new Counter({
        name: 'promkit_remote_write_samples_sent_total',
        help: 'Samples (floats and native histograms) the remote accepted.',
        labelNames,
        registers,
      }),
  );
  const failed = shared(
    registry,
    'promkit_remote_write_samples_failed_total',
    () =>
      new Counter({
        name: 'promkit_remote_write_samples_failed_total',
        help: 'Samples the remote rejected with a non-retryable 4xx; they are not sent again.',
        labelNames,
        registers,
      }),
  );
  const dropped = shared(
    registry,
    'promkit_remote_write_samples_dropped_total',
    () =>
      new Counter({
        name: 'promkit_remote_write_samples_dropped_total',
        help: 'Samples dropped unsent: queue overflow, or still queued when the shutdown flush timed out.',
        labelNames,
        registers,
      }),
  );
  const retried = shared(
    registry,
    'promkit_remote_write_samples_retried_total',
    () =>
      new Counter({ name: 'promkit_remote_write_samples_retried_total', help: 'Samples sent again after a 5xx, 429 or network error.', labelNames, registers }),
  );
  const queue = shared(
    registry,
    'promkit_remote_write_queue_length',
    () => new Gauge({ name: 'promkit_remote_write_queue_length', help: 'Samples waiting to be sent, the batch in flight included.', labelNames, registers }),
  );
  const lastSuccess = shared(
    registry,
    'promkit_remote_write_last_success_timestamp_seconds',
    () =>
      new Gauge({
        name: 'promkit_remote_write_last_success_timestamp_seconds',
        help: 'When the remote last accepted a request (Unix seconds).',
        labelNames,
        registers,
      }),
  );
  const s = sent.labels(remote);
  const f = failed.labels(remote);
  const d = dropped.labels(remote);
  const r = retried.labels(remote);
  const q = queue.labels(remote);
  const l = lastSuccess.labels(remote);
  return {
    sent: (n) => s.inc(n),
    failed: (n) => f.inc(n),
    dropped: (n) => d.inc(n),
    retried: (n) => r.inc(n),
    queueLength: (n) => q.set(n),
    succeeded: () => l.set(Date.now() / 1000),
  };
}
