/** Exponential backoff with a cap and a little jitter, reset after a success. */
export interface BackoffOptions {
  /** First delay (default 500 ms). */
  initialMs?: number;
  /** Largest delay (default 60 s). */
  maxMs?: number;
  /** Growth per consecutive failure (default 2). */
  factor?: number;
  /** Random spread added to each delay, as a fraction of it (default 0.1). */
  jitter?: number;
}

export class Backoff {
  readonly #initial: number;
  readonly #max: number;
  readonly #factor: number;
  readonly #jitter: number;
  #attempt = 0;

  constructor(options: BackoffOptions = {}) {
    this.#initial = options.initialMs ?? 500;
    this.#max = options.maxMs ?? 60_000;
    this.#factor = options.factor ?? 2;
    this.#jitter = options.jitter ?? 0.1;
    if (!(this.#initial > 0) || !(this.#max >= this.#initial) || !(this.#factor >= 1) || !(this.#jitter >= 0)) {
      throw new RangeError(`backoff: need 0 < initialMs <= maxMs, factor >= 1 and jitter >= 0, got ${JSON.stringify(options)}`);
    }
  }

  /** Consecutive failures so far. */
  get attempts(): number {
    return this.#attempt;
  }

  /** The delay before the next retry; each call counts one more failure. */
  next(): number {
    const base = Math.min(this.#max, this.#initial * this.#factor ** this.#attempt);
    this.#attempt++;
    return Math.min(this.#max, base * (1 + Math.random() * this.#jitter));
  }

  reset(): void {
    this.#attempt = 0;
  }
}
