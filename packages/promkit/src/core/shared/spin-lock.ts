/**
 * A mutex in one Int32 of shared memory, taken only when a series is created (never on
 * the update path). The word holds 0 when free, else the holder's column + 1, so the
 * main thread can break the lock of a thread that was terminated while holding it.
 */
export function lock(words: Int32Array, index: number, column: number): void {
  const mine = column + 1;
  for (;;) {
    const seen = Atomics.compareExchange(words, index, 0, mine);
    if (seen === 0) return;
    // Sleep until the holder releases (or 1 ms, to recheck a broken lock); Atomics.wait
    // is not allowed on the main thread of a browser but is in Node's.
    Atomics.wait(words, index, seen, 1);
  }
}

export function unlock(words: Int32Array, index: number): void {
  Atomics.store(words, index, 0);
  Atomics.notify(words, index);
}

/** Frees the lock if a (dead) column holds it. */
export function breakLock(words: Int32Array, index: number, column: number): void {
  if (Atomics.compareExchange(words, index, column + 1, 0) === column + 1) Atomics.notify(words, index);
}
