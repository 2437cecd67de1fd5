/** Starts a monotonic timer; the returned function gives elapsed seconds. */
export function startClock(): () => number {
  const start = process.hrtime.bigint();
  return () => Number(process.hrtime.bigint() - start) / 1e9;
}
