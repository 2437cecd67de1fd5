/** Timing utilities shared by the benchmark children. */
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface OpsResult {
  /** Wall-clock nanoseconds per operation of each timed repetition. */
  samplesNsPerOp: number[];
  /** Process CPU nanoseconds per operation of the same repetitions (less sensitive to other load on the machine). */
  samplesCpuNsPerOp: number[];
  opsPerBatch: number;
}

export interface MeasureOptions {
  /** Time spent running the batch before timing starts, so the JIT has settled. */
  warmupMs?: number;
  /** How long one timed repetition should take. */
  repMs?: number;
  reps?: number;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function nowNs(): number {
  return Number(process.hrtime.bigint());
}

/** User + system CPU time of this process, in milliseconds. */
export function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/**
 * Times `batch(n)` (which must do n operations) and returns ns/op. The batch size is
 * calibrated during warm-up so that one repetition takes about `repMs`; the timer is
 * read only around whole batches, so its own cost is negligible.
 */
export function measureOps(batch: (n: number) => void, options: MeasureOptions = {}): OpsResult {
  const warmupMs = options.warmupMs ?? 250;
  const repMs = options.repMs ?? 60;
  const reps = options.reps ?? 5;

  let n = 1000;
  let spentNs = 0;
  let lastNsPerOp = Infinity;
  while (spentNs < warmupMs * 1e6) {
    const t0 = nowNs();
    batch(n);
    const dt = nowNs() - t0;
    spentNs += dt;
    lastNsPerOp = dt / n;
    if (dt < (repMs * 1e6) / 4) n *= 2;
  }
  const opsPerBatch = Math.max(1000, Math.round((repMs * 1e6) / lastNsPerOp));

  const samples: number[] = [];
  const cpuSamples: number[] = [];
  for (let r = 0; r < reps; r++) {
    const c0 = cpuMs();
    const t0 = nowNs();
    batch(opsPerBatch);
    samples.push((nowNs() - t0) / opsPerBatch);
    cpuSamples.push(((cpuMs() - c0) * 1e6) / opsPerBatch);
  }
  return { samplesNsPerOp: samples, samplesCpuNsPerOp: cpuSamples, opsPerBatch };
}

/**
 * Records the longest gap between turns of the event loop while it runs: a setImmediate
 * ticker notes the time at every turn, so a synchronous stretch of work (or a GC pause)
 * shows up as one long gap. It also notes the process CPU time spent in each gap: on a
 * machine shared with other processes a gap can be long because this process was not
 * scheduled, which the CPU time does not count. `monitorEventLoopDelay` at 1 ms
 * resolution is kept as a cross-check; it only samples when timers get to run, so it
 * reads 0 for a scrape that never yields.
 */
export interface StallResult {
  longestGapMs: number;
  /** Largest process CPU time spent within one gap. */
  longestGapCpuMs: number;
  eventLoopDelayMaxMs: number;
}

export function startStallMonitor(): { stop(): StallResult } {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  let last = performance.now();
  let lastCpu = cpuMs();
  let longest = 0;
  let longestCpu = 0;
  let running = true;
  const note = (): void => {
    const now = performance.now();
    const cpu = cpuMs();
    if (now - last > longest) longest = now - last;
    if (cpu - lastCpu > longestCpu) longestCpu = cpu - lastCpu;
    last = now;
    lastCpu = cpu;
  };
  const tick = (): void => {
    note();
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  return {
    stop() {
      running = false;
      note();
      histogram.disable();
      return { longestGapMs: longest, longestGapCpuMs: longestCpu, eventLoopDelayMaxMs: histogram.max / 1e6 };
    },
  };
}
