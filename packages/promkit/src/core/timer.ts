/** Starts a monotonic timer; the returned function gives elapsed seconds. */
export function startClock(): () => number {
  const start = process.hrtime.bigint();
  return () => Number(process.hrtime.bigint() - start) / 1e9;
}

/** Starts a timer; the returned function hands the elapsed seconds (and its own arguments) to `record`, and returns the seconds. */
export function startTimerFor<A extends unknown[]>(record: (seconds: number, ...args: A) => void): (...args: A) => number {
  const elapsed = startClock();
  return (...args) => {
    const seconds = elapsed();
    record(seconds, ...args);
    return seconds;
  };
}
