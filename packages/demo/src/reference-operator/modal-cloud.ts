/**
 * A stand-in for Modal's API (the reference operator never calls the real one, in either
 * mode): a submitted call queues, starts and finishes on a timeline fixed at submission.
 * Containers stay warm for a while after a call of the same function on the same GPU type;
 * a call that finds none warm cold-starts and queues longer. Functions named `*oom*` run
 * out of GPU memory and fail.
 */
import type { Random } from './random.js';

export type CallState = 'pending' | 'running' | 'succeeded' | 'failed';

export interface CallSpec {
  function: string;
  gpuType: string;
  replicas: number;
}

export interface CallStatus {
  state: CallState;
  coldStart: boolean;
  /** Epoch ms; set once running. */
  startedAt?: number;
  finishedAt?: number;
  message?: string;
  /** Fraction 0–1, while running (the operator reports it in percent). */
  gpuUtilization: number;
  ingressMbps: number;
  egressMbps: number;
}

interface Call {
  spec: CallSpec;
  coldStart: boolean;
  startAt: number;
  endAt: number;
  fails: boolean;
  cancelled: boolean;
  load: number;
}

/** An error as Modal's client raises it: an HTTP status the operator's error taxonomy understands. */
export class ModalApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'ModalApiError';
  }
}

const WARM_SECONDS = 20;

export class ModalCloud {
  readonly #calls = new Map<string, Call>();
  readonly #warmUntil = new Map<string, number>();
  readonly #failNext: number[] = [];
  #nextId = 1;

  constructor(private readonly random: Random) {}

  /** The next submit fails with this HTTP status (429: rate limited, 503: unavailable). */
  failNextSubmit(code: number): void {
    this.#failNext.push(code);
  }

  submit(spec: CallSpec, now = Date.now()): string {
    const failure = this.#failNext.shift();
    if (failure !== undefined) {
      throw new ModalApiError(failure, failure === 429 ? 'Modal API rate limit exceeded; retry later' : `Modal API unavailable (HTTP ${failure})`);
    }
    const key = `${spec.function}@${spec.gpuType}`;
    const warm =
      (this.#warmUntil.get(key) ?? 0) > now ||
      [...this.#calls.values()].some((c) => `${c.spec.function}@${c.spec.gpuType}` === key && c.startAt <= now && now < c.endAt);
    const queueSeconds = warm ? this.random.between(0.2, 0.8) : this.random.between(1.5, 3.5);
    const runSeconds = this.random.between(3, 8) * (spec.function.includes('oom') ? 0.3 : 1);
    const call: Call = {
      spec,
      coldStart: !warm,
      startAt: now + queueSeconds * 1000,
      endAt: now + (queueSeconds + runSeconds) * 1000,
      fails: spec.function.includes('oom') || this.random.chance(0.08),
      cancelled: false,
      load: this.random.between(0.55, 0.95),
    };
    const id = `fc-${String(this.#nextId++).padStart(6, '0')}`;
    this.#calls.set(id, call);
    this.#warmUntil.set(key, Math.max(this.#warmUntil.get(key) ?? 0, call.endAt + WARM_SECONDS * 1000));
    return id;
  }

  status(callId: string, now = Date.now()): CallStatus {
    const call = this.#calls.get(callId);
    if (!call) throw new ModalApiError(404, `function call ${callId} not found`);
    const idle = { gpuUtilization: 0, ingressMbps: 0, egressMbps: 0 };
    if (call.cancelled) return { state: 'failed', coldStart: call.coldStart, startedAt: call.startAt, finishedAt: now, message: 'cancelled', ...idle };
    if (now < call.startAt) return { state: 'pending', coldStart: call.coldStart, ...idle };
    if (now < call.endAt) {
      const wobble = 0.05 * Math.sin(now / 700);
      return {
        state: 'running',
        coldStart: call.coldStart,
        startedAt: call.startAt,
        gpuUtilization: Math.min(1, Math.max(0, call.load + wobble)),
        ingressMbps: Math.round(200 * call.spec.replicas * (call.load + wobble)),
        egressMbps: Math.round(60 * call.spec.replicas * (call.load - wobble)),
      };
    }
    return {
      state: call.fails ? 'failed' : 'succeeded',
      coldStart: call.coldStart,
      startedAt: call.startAt,
      finishedAt: call.endAt,
      ...(call.fails ? { message: call.spec.function.includes('oom') ? 'CUDA out of memory' : 'function raised an exception' } : {}),
      ...idle,
    };
  }

  cancel(callId: string): void {
    const call = this.#calls.get(callId);
    if (call) call.cancelled = true;
  }

  /** Drops a call whose outcome the operator has recorded. */
  forget(callId: string): void {
    this.#calls.delete(callId);
  }
}
