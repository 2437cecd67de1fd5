/**
 * The remote-write sender: snapshots a registry every interval into a bounded queue and
 * drains it one request at a time, in order (a receiver rejects out-of-order samples).
 * 2xx: sent. 5xx, 429 and network errors: the same batch again after a doubling backoff
 * (Retry-After honoured). Other 4xx: the batch is dropped and counted as failed. A full
 * queue drops its oldest samples, counted. `stop()` takes a last snapshot and flushes.
 */
import { getLogger } from '../integration/logger.js';
import type { Registry } from '../core/registry.js';
import { createHealthMetrics, type RemoteWriteHealth } from './health-metrics.js';
import { post, type RemoteWriteTls } from './http-post.js';
import { RemoteWriteError, resolveOptions, type RemoteWriteOptions, type ResolvedOptions } from './options.js';
import { snapshotSamplesAsync } from './snapshot.js';
import { snappyCompress } from './snappy.js';
import { encodeWriteRequest, type RemoteSample } from './write-request.js';

export interface RemoteWriteStats {
  /** Snapshots taken (interval ticks, plus the one of stop()). */
  snapshots: number;
  /** Samples queued by those snapshots. */
  enqueued: number;
  sent: number;
  failed: number;
  dropped: number;
  retried: number;
  /** Waiting, the batch in flight included. */
  queued: number;
  /** Unix ms of the last accepted request, or undefined. */
  lastSuccessMs: number | undefined;
}

export interface StopOptions {
  /** How long the final flush may retry before the rest is dropped (counted). Default 10 000 ms. */
  timeoutMs?: number;
}

export interface RemoteWrite {
  /** Takes a snapshot now (besides the interval's) and resolves once the queue is empty or the sender stopped. */
  flush(): Promise<void>;
  /** Stops the interval, snapshots once more and flushes; resolves with the final counts. Idempotent. */
  stop(options?: StopOptions): Promise<RemoteWriteStats>;
  stats(): RemoteWriteStats;
}

const defaultOnError = (e: RemoteWriteError): void => getLogger('promkit::remote_write').error(`remote write: ${e.message}`);

class Sender implements RemoteWrite {
  private queue: RemoteSample[] = [];
  private head = 0;
  private inflight = 0;
  private draining: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopping: Promise<RemoteWriteStats> | undefined;
  /** Set when the flush deadline passed: the drain loop gives up. */
  private abandoned = false;
  private wake: (() => void) | undefined;
  private readonly counts: RemoteWriteStats = { snapshots: 0, enqueued: 0, sent: 0, failed: 0, dropped: 0, retried: 0, queued: 0, lastSuccessMs: undefined };
  private readonly health: RemoteWriteHealth | undefined;
  private readonly onError: (e: RemoteWriteError) => void;

  constructor(
    private readonly registry: Registry,
    private readonly o: ResolvedOptions,
    private readonly externalLabels: Record<string, string>,
    private readonly tls: RemoteWriteTls | undefined,
    metricsRegistry: Registry | undefined,
    name: string,
    onError: ((e: RemoteWriteError) => void) | undefined,
  ) {
    this.health = metricsRegistry === undefined ? undefined : createHealthMetrics(metricsRegistry, name);
    this.onError = onError ?? defaultOnError;
    this.timer = setInterval(() => void this.tick(), o.intervalMs);
    // A sender alone must not keep a process alive; stop() flushes what it has.
    this.timer.unref();
  }

  private get pending(): number {
    return this.queue.length - this.head;
  }

  private report(message: string, status: number | undefined, samples: number, retrying: boolean): void {
    try {
      this.onError(new RemoteWriteError(message, status, samples, retrying));
    } catch {
      // A throwing handler must not stop the sender.
    }
  }

  private updateQueueLength(): void {
    this.counts.queued = this.pending + this.inflight;
    this.health?.queueLength(this.counts.queued);
  }

  /** Snapshots run one after another: two interleaved ones would queue samples out of time order. */
  private snapshotChain: Promise<void> = Promise.resolve();

  private snapshot(): Promise<void> {
    const next = this.snapshotChain.then(() => this.takeSnapshot());
    this.snapshotChain = next.catch(() => undefined);
    return next;
  }

  /** Timestamp of the last snapshot: the next one is stamped at least 1 ms later. */
  private lastTimestampMs = 0;

  private async takeSnapshot(): Promise<void> {
    const families = await this.registry.gather();
    // Two snapshots in one millisecond (a tick just before stop()'s or flush()'s) would give
    // each series two samples with one timestamp: the receiver keeps one (same value) or
    // rejects the batch with 400 (different values). Strictly increasing stamps avoid both.
    const timestampMs = Math.max(Date.now(), this.lastTimestampMs + 1);
    this.lastTimestampMs = timestampMs;
    const samples = await snapshotSamplesAsync(families, timestampMs, this.externalLabels);
    this.counts.snapshots++;
    this.counts.enqueued += samples.length;
    for (const s of samples) this.queue.push(s);
    const over = this.pending + this.inflight - this.o.maxQueueSamples;
    if (over > 0) {
      const drop = Math.min(over, this.pending);
      this.head += drop;
      this.counts.dropped += drop;
      this.health?.dropped(drop);
      this.report(`queue full (${this.o.maxQueueSamples} samples): dropped the ${drop} oldest`, undefined, drop, false);
    }
    if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    this.updateQueueLength();
    this.draining ??= this.drain().finally(() => (this.draining = undefined));
  }

  private async tick(): Promise<void> {
    try {
      await this.snapshot();
    } catch (error) {
      this.report(`snapshot failed: ${error instanceof Error ? error.message : String(error)}`, undefined, 0, false);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done(): void {
        clearTimeout(t);
        resolve();
      }
      this.wake = done;
    });
  }

  private async drain(): Promise<void> {
    let backoff = this.o.minBackoffMs;
    while (this.pending > 0 && !this.abandoned) {
      const batch = this.queue.slice(this.head, this.head + this.o.maxSamplesPerSend);
      this.head += batch.length;
      this.inflight = batch.length;
      const body = snappyCompress(encodeWriteRequest(batch));
      for (;;) {
        let status: number | undefined;
        let detail: string;
        let retryAfter: number | undefined;
        try {
          const res = await post(this.o.url, this.o.headers, body, this.o.timeoutMs, this.tls);
          status = res.status;
          retryAfter = res.retryAfterSeconds;
          detail = `HTTP ${res.status}${res.body ? `: ${res.body.trim()}` : ''}`;
        } catch (error) {
          detail = error instanceof Error ? error.message : String(error);
        }
        if (status !== undefined && status >= 200 && status < 300) {
          this.counts.sent += batch.length;
          this.counts.lastSuccessMs = Date.now();
          this.health?.sent(batch.length);
          this.health?.succeeded();
          backoff = this.o.minBackoffMs;
          break;
        }
        const retryable = status === undefined || status >= 500 || status === 429;
        if (!retryable) {
          this.counts.failed += batch.length;
          this.health?.failed(batch.length);
          this.report(`${this.o.url.origin} rejected ${batch.length} samples (${detail}); not retried`, status, batch.length, false);
          break;
        }
        if (this.abandoned) {
          this.counts.dropped += batch.length;
          this.health?.dropped(batch.length);
          break;
        }
        this.report(`${this.o.url.origin} failed (${detail}); retrying ${batch.length} samples in ${backoff} ms`, status, batch.length, true);
        await this.sleep(retryAfter !== undefined ? Math.min(retryAfter * 1000, this.o.maxBackoffMs) : backoff);
        backoff = Math.min(backoff * 2, this.o.maxBackoffMs);
        if (this.abandoned) {
          this.counts.dropped += batch.length;
          this.health?.dropped(batch.length);
          break;
        }
        this.counts.retried += batch.length;
        this.health?.retried(batch.length);
      }
      this.inflight = 0;
      this.updateQueueLength();
    }
  }

  async flush(): Promise<void> {
    await this.snapshot();
    while (this.draining) await this.draining;
  }

  stop(options: StopOptions = {}): Promise<RemoteWriteStats> {
    this.stopping ??= (async () => {
      clearInterval(this.timer);
      this.timer = undefined;
      const deadline = setTimeout(() => {
        this.abandoned = true;
        this.wake?.();
      }, options.timeoutMs ?? 10_000);
      try {
        await this.flush();
      } finally {
        clearTimeout(deadline);
      }
      const left = this.pending;
      if (left > 0) {
        this.head += left;
        this.counts.dropped += left;
        this.health?.dropped(left);
        this.report(`stopped with ${left} samples unsent (flush timed out); dropped`, undefined, left, false);
      }
      this.updateQueueLength();
      return this.stats();
    })();
    return this.stopping;
  }

  stats(): RemoteWriteStats {
    return { ...this.counts };
  }
}

/**
 * Starts sending `registry` to a remote-write 1.0 receiver every `intervalMs`.
 * The first snapshot is taken one interval after start; `flush()` takes one now.
 */
export function startRemoteWrite(options: RemoteWriteOptions): RemoteWrite {
  const resolved = resolveOptions(options);
  const metricsRegistry = options.metricsRegistry === false ? undefined : (options.metricsRegistry ?? options.registry);
  return new Sender(
    options.registry,
    resolved,
    { ...(options.externalLabels ?? {}) },
    options.tls,
    metricsRegistry,
    options.name ?? resolved.url.host,
    options.onError,
  );
}
