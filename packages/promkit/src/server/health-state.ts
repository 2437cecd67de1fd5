/** Readiness of a process: a system status, per-endpoint statuses, and start-up holds. */

export type HealthStatus = 'ready' | 'notready';

export const HEALTH_STATUSES: readonly HealthStatus[] = ['ready', 'notready'];

export interface HealthSnapshot {
  status: HealthStatus;
  /** Seconds since the process (or runtime) started. */
  uptime: number;
  endpoints: Record<string, HealthStatus>;
}

export interface HealthStateOptions {
  /** Status before code sets one (DYN_SYSTEM_STARTING_HEALTH_STATUS). Default 'notready'. */
  startingStatus?: HealthStatus;
  /** Endpoint names whose health decides readiness (DYN_SYSTEM_USE_ENDPOINT_HEALTH_STATUS). */
  useEndpointHealthStatus?: readonly string[];
}

export function assertHealthStatus(what: string, status: unknown): asserts status is HealthStatus {
  if (status !== 'ready' && status !== 'notready') {
    throw new TypeError(`${what}: health status must be 'ready' or 'notready', got ${JSON.stringify(status)}`);
  }
}

/**
 * Readiness, as Dynamo decides it: while any start-up hold is active the process is not
 * ready; otherwise, when endpoints are listed in `useEndpointHealthStatus`, it is ready
 * once every listed endpoint is ready; otherwise the system status decides.
 */
export class HealthState {
  /** Wall-clock start time (ms since the epoch). */
  readonly startedAt = Date.now();
  /** Monotonic start, so uptime never goes backwards with clock changes. */
  private readonly startedMono = performance.now();
  private startingStatus: HealthStatus;
  private explicitStatus: HealthStatus | undefined;
  private gatingEndpoints: readonly string[];
  private readonly endpointStatus = new Map<string, HealthStatus>();
  private readonly holds = new Map<symbol, string>();

  constructor(options: HealthStateOptions = {}) {
    this.startingStatus = 'notready';
    this.gatingEndpoints = [];
    this.configure(options);
  }

  /** Applies configuration; a status already set by code keeps precedence over `startingStatus`. */
  configure(options: Pick<HealthStateOptions, 'startingStatus' | 'useEndpointHealthStatus'>): void {
    if (options.startingStatus !== undefined) {
      assertHealthStatus('startingStatus', options.startingStatus);
      this.startingStatus = options.startingStatus;
    }
    if (options.useEndpointHealthStatus !== undefined) {
      for (const name of options.useEndpointHealthStatus) {
        if (typeof name !== 'string' || name === '')
          throw new TypeError(`useEndpointHealthStatus: endpoint names must be non-empty strings, got ${JSON.stringify(name)}`);
      }
      this.gatingEndpoints = [...options.useEndpointHealthStatus];
    }
  }

  get systemStatus(): HealthStatus {
    return this.explicitStatus ?? this.startingStatus;
  }

  setSystemStatus(status: HealthStatus): void {
    assertHealthStatus('setSystemStatus', status);
    this.explicitStatus = status;
  }

  setEndpointStatus(endpoint: string, status: HealthStatus): void {
    if (typeof endpoint !== 'string' || endpoint === '')
      throw new TypeError(`setEndpointStatus: endpoint name must be a non-empty string, got ${JSON.stringify(endpoint)}`);
    assertHealthStatus(`setEndpointStatus('${endpoint}')`, status);
    this.endpointStatus.set(endpoint, status);
  }

  markEndpointReady(endpoint: string): void {
    this.setEndpointStatus(endpoint, 'ready');
  }

  markEndpointNotReady(endpoint: string): void {
    this.setEndpointStatus(endpoint, 'notready');
  }

  /** Keeps the process not ready until the returned function is called (idempotent). */
  hold(reason: string): () => void {
    const key = Symbol(reason);
    this.holds.set(key, reason);
    return () => void this.holds.delete(key);
  }

  /** Holds readiness while `work` runs; released whether it succeeds or fails. */
  async holdWhile<T>(reason: string, work: Promise<T> | (() => Promise<T> | T)): Promise<T> {
    const release = this.hold(reason);
    try {
      return await (typeof work === 'function' ? work() : work);
    } finally {
      release();
    }
  }

  /** Reasons of the active holds. */
  get pendingHolds(): string[] {
    return [...this.holds.values()];
  }

  get status(): HealthStatus {
    if (this.holds.size > 0) return 'notready';
    if (this.gatingEndpoints.length > 0) {
      return this.gatingEndpoints.every((e) => this.endpointStatus.get(e) === 'ready') ? 'ready' : 'notready';
    }
    return this.systemStatus;
  }

  isReady(): boolean {
    return this.status === 'ready';
  }

  uptimeSeconds(): number {
    return (performance.now() - this.startedMono) / 1000;
  }

  /** What the health endpoint answers; gating endpoints never reported yet show as 'notready'. */
  snapshot(): HealthSnapshot {
    const endpoints: Record<string, HealthStatus> = {};
    for (const e of this.gatingEndpoints) endpoints[e] = 'notready';
    for (const [e, s] of this.endpointStatus) endpoints[e] = s;
    return { status: this.status, uptime: this.uptimeSeconds(), endpoints };
  }
}
