/**
 * One thread's column of a shared summary series, in float64 slots: the count and sum
 * of every observation (summed over threads at scrape, kept when a thread exits, like a
 * histogram's), the head word, a ring of windowSize + 1 slots holding the thread's latest
 * observations as (value, time in ms) pairs, then the store's first-touch stamp.
 *
 * The thread is the only writer of its column. It writes an entry in the slot at head mod
 * slots, then publishes head + 1 with Atomics.store; a reader loads the head with
 * Atomics.load before and after copying the ring and drops the slots written meanwhile
 * and the one the writer may be writing now (the oldest), so it never takes an entry that
 * was not wholly written. That spare slot is why the ring has windowSize + 1: a reader
 * gets the latest windowSize entries. An entry whose time is 0 was never written (a new
 * or cleared column); without maxAgeSeconds no time is needed, and entries hold 1 instead
 * (a clock read is most of an observation's cost).
 */
export const COUNT = 0;
export const SUM = 1;
/** Holds the head as an Int32 word (the slot's first word), for Atomics. */
export const HEAD = 2;
export const RING = 3;

export const DEFAULT_WINDOW_SIZE = 256;
export const MAX_WINDOW_SIZE = 65_536;

/** Numbers per series per thread. */
export function summaryWidth(windowSize: number): number {
  return RING + 2 * (windowSize + 1) + 1;
}

export class SummaryRing {
  private readonly slots: number;
  /** The head counts writes modulo this multiple of slots, so head mod slots stays the next slot across its wrap. */
  private readonly limit: number;
  private readonly copy: Float64Array;

  constructor(
    readonly windowSize: number,
    /** Stamp entries with Date.now() (a summary with maxAgeSeconds), else with 1. */
    private readonly timed: boolean,
  ) {
    this.slots = windowSize + 1;
    this.limit = this.slots * Math.floor(0x7fffffff / this.slots);
    this.copy = new Float64Array(2 * this.slots);
  }

  /** Adds one observation to this thread's column at `offset`. */
  record(view: Float64Array, words: Int32Array, offset: number, value: number): void {
    const headWord = 2 * (offset + HEAD);
    const head = words[headWord];
    const entry = offset + RING + 2 * (head % this.slots);
    view[entry] = value;
    view[entry + 1] = this.timed ? Date.now() : 1;
    Atomics.store(words, headWord, head + 1 === this.limit ? 0 : head + 1);
    view[offset + COUNT]++;
    view[offset + SUM] += value;
  }

  /**
   * Appends to `out` from `n` on the values of the column at `offset` observed after
   * `since` (ms; 0 for all), and returns the new length.
   */
  collect(view: Float64Array, words: Int32Array, offset: number, since: number, out: Float64Array, n: number): number {
    const size = this.slots;
    const headWord = 2 * (offset + HEAD);
    const start = offset + RING;
    const before = Atomics.load(words, headWord);
    this.copy.set(view.subarray(start, start + 2 * size));
    const written = (Atomics.load(words, headWord) - before + this.limit) % this.limit;
    const first = before % size;
    for (let p = 0; p < size; p++) {
      // Slots first .. first + written were rewritten during the copy or may be being written.
      if ((p - first + size) % size <= written) continue;
      // A time of 0 (never written) is never after `since`.
      if (this.copy[2 * p + 1] > since) out[n++] = this.copy[2 * p];
    }
    return n;
  }
}
