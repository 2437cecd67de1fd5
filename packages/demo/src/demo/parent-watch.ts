/**
 * Calls `onOrphaned` once the process that started this one has gone. `npm start` runs
 * the demo as npm -> sh -> node: a SIGTERM to npm reaches sh, which dies without passing
 * it on, and the demo would keep running with its ports bound. The kernel then re-parents
 * us (to init or a subreaper), which is what this notices.
 */
export function watchParent(onOrphaned: () => void, intervalMs = 250): () => void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent) {
      clearInterval(timer);
      onOrphaned();
    }
  }, intervalMs);
  // Only a watch: it must not keep a finished process alive.
  timer.unref();
  return () => clearInterval(timer);
}
