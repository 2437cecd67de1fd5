import type { Registry } from '../core/registry.js';
import type { RemoteWriteTls } from './http-post.js';

export interface RemoteWriteOptions {
  /** The receiver, e.g. `http://prometheus:9090/api/v1/write` (Prometheus with `--web.enable-remote-write-receiver`). */
  url: string;
  /** The registry to snapshot. */
  registry: Registry;
  /** Snapshot period. Default 15 000 ms. */
  intervalMs?: number;
  /** Most samples per request. Default 2000. */
  maxSamplesPerSend?: number;
  /** Most samples waiting (in flight included); beyond it the oldest are dropped and counted. Default 100 000. */
  maxQueueSamples?: number;
  /** Backoff after a retryable failure, doubling up to maxBackoffMs. Defaults 30 ms and 5000 ms. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Per-request timeout. Default 30 000 ms. */
  timeoutMs?: number;
  /** Labels added to every series that lacks them (like Prometheus' external_labels). */
  externalLabels?: Record<string, string>;
  /** `Authorization: Basic`. */
  basicAuth?: { username: string; password: string };
  /** `Authorization: Bearer`. */
  bearerToken?: string;
  /** Extra request headers (e.g. `X-Scope-OrgID` for Mimir/Cortex). */
  headers?: Record<string, string>;
  /** For https URLs. */
  tls?: RemoteWriteTls;
  /** Where the sender's own `promkit_remote_write_*` metrics go. Default: `registry` (so they are sent too); `false` for none. */
  metricsRegistry?: Registry | false;
  /** The `remote` label of those metrics. Default: the URL's host. */
  name?: string;
  /** Called on failed requests (retryable or not) and dropped samples. Default: one error line each on the `promkit::remote_write` logger. */
  onError?: (error: RemoteWriteError) => void;
}

/** A failed request or dropped samples; `retrying` says whether the samples are kept for another attempt. */
export class RemoteWriteError extends Error {
  override readonly name = 'RemoteWriteError';
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly samples: number,
    readonly retrying: boolean,
  ) {
    super(message);
  }
}

export interface ResolvedOptions {
  url: URL;
  intervalMs: number;
  maxSamplesPerSend: number;
  maxQueueSamples: number;
  minBackoffMs: number;
  maxBackoffMs: number;
  timeoutMs: number;
  headers: Record<string, string>;
}

function positiveInteger(options: Record<string, unknown>, key: string, fallback: number): number {
  const v = options[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw new TypeError(`startRemoteWrite: ${key} must be a positive integer, got ${String(v)}`);
  return v;
}

export function resolveOptions(options: RemoteWriteOptions): ResolvedOptions {
  if (options === null || typeof options !== 'object') throw new TypeError('startRemoteWrite: an options object is required');
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new TypeError(`startRemoteWrite: url must be an absolute http(s) URL, got ${JSON.stringify(options.url)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new TypeError(`startRemoteWrite: url must be http or https, got ${JSON.stringify(options.url)}`);
  if (options.registry === undefined || typeof (options.registry as { gather?: unknown }).gather !== 'function') {
    throw new TypeError('startRemoteWrite: registry must be a promkit Registry');
  }
  if (options.basicAuth !== undefined && options.bearerToken !== undefined) throw new TypeError('startRemoteWrite: give basicAuth or bearerToken, not both');
  const o = options as unknown as Record<string, unknown>;
  const resolved: ResolvedOptions = {
    url,
    intervalMs: positiveInteger(o, 'intervalMs', 15_000),
    maxSamplesPerSend: positiveInteger(o, 'maxSamplesPerSend', 2000),
    maxQueueSamples: positiveInteger(o, 'maxQueueSamples', 100_000),
    minBackoffMs: positiveInteger(o, 'minBackoffMs', 30),
    maxBackoffMs: positiveInteger(o, 'maxBackoffMs', 5000),
    timeoutMs: positiveInteger(o, 'timeoutMs', 30_000),
    headers: {
      'Content-Encoding': 'snappy',
      'Content-Type': 'application/x-protobuf',
      'User-Agent': 'promkit-remote-write',
      'X-Prometheus-Remote-Write-Version': '0.1.0',
      ...(options.headers ?? {}),
    },
  };
  if (resolved.maxBackoffMs < resolved.minBackoffMs)
    throw new TypeError(`startRemoteWrite: maxBackoffMs (${resolved.maxBackoffMs}) must be >= minBackoffMs (${resolved.minBackoffMs})`);
  if (options.basicAuth !== undefined) {
    const { username, password } = options.basicAuth;
    if (typeof username !== 'string' || typeof password !== 'string') throw new TypeError('startRemoteWrite: basicAuth needs string username and password');
    resolved.headers.Authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  }
  if (options.bearerToken !== undefined) {
    if (typeof options.bearerToken !== 'string' || options.bearerToken === '') throw new TypeError('startRemoteWrite: bearerToken must be a non-empty string');
    resolved.headers.Authorization = `Bearer ${options.bearerToken}`;
  }
  for (const [k, v] of Object.entries(options.externalLabels ?? {})) {
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(k) || typeof v !== 'string')
      throw new TypeError(`startRemoteWrite: external label ${JSON.stringify(k)} must be a valid label name with a string value`);
  }
  return resolved;
}
