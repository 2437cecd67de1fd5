/**
 * Scenario 6: a registry of 100k counter series (2 labels) and 10k histogram series
 * (2 labels, default buckets). Measures the heap those series hold, the time per
 * `registry.metrics()`, and the longest event-loop stall while a scrape runs.
 */
import { cpuMs, startStallMonitor } from '../harness.js';
import type { BenchRegistry, Library } from '../libraries.js';

export const COUNTER_SERIES = 100_000;
export const HISTOGRAM_SERIES = 10_000;
/** Buckets (11 bounds + +Inf), _sum and _count per histogram series. */
const HISTOGRAM_SAMPLES_PER_SERIES = 12 + 2;
export const EXPECTED_SAMPLES = COUNTER_SERIES + HISTOGRAM_SERIES * HISTOGRAM_SAMPLES_PER_SERIES;

const OBSERVED = [0.003, 0.04, 0.7, 3, 12];

export interface ScrapeResult {
  /** Heap (+ external memory, where typed-array backing stores live) held by the 110k series. */
  seriesBytes: number;
  heapUsedBytes: number;
  externalBytes: number;
  scrapeMs: number[];
  /** Process CPU time per scrape (includes GC helper threads). */
  scrapeCpuMs: number[];
  longestStallMs: number[];
  /** Per scrape, the most CPU time spent within one event-loop gap. */
  longestStallCpuMs: number[];
  eventLoopDelayMaxMs: number[];
  exposedBytes: number;
  exposedSamples: number;
}

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) throw new Error('run with node --expose-gc');
  collect();
  collect();
}

/** Creates the series through each library's ordinary API; label values are fresh strings held only by the library. */
export function populate(lib: Library, registry: BenchRegistry): void {
  const counter = lib.counter(registry, 'bench_requests_total');
  for (let i = 0; i < COUNTER_SERIES; i++) {
    counter.labels(`service-${i % 1000}`, `operation-${Math.floor(i / 1000)}`).inc((i % 7) + 1);
  }
  const histogram = lib.histogram(registry, 'bench_request_duration_seconds');
  for (let i = 0; i < HISTOGRAM_SERIES; i++) {
    const child = histogram.labels(`service-${i % 100}`, `operation-${Math.floor(i / 100)}`);
    for (let k = 0; k <= i % 3; k++) child.observe(OBSERVED[(i + k) % OBSERVED.length]);
  }
}

function sampleCount(text: string): number {
  let samples = 0;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    if (end > start && text.charCodeAt(start) !== 35 /* # */) samples++;
    start = end + 1;
  }
  return samples;
}

export async function measureScrape(lib: Library, options: { warmups?: number; scrapes?: number } = {}): Promise<ScrapeResult> {
  const warmups = options.warmups ?? 2;
  const scrapes = options.scrapes ?? 7;

  const registry = lib.createRegistry();
  gc();
  const before = process.memoryUsage();
  populate(lib, registry);
  gc();
  const after = process.memoryUsage();
  const heapUsedBytes = after.heapUsed - before.heapUsed;
  const externalBytes = after.external - before.external;

  let text = '';
  for (let i = 0; i < warmups; i++) text = await registry.metrics();
  const exposedSamples = sampleCount(text);
  if (exposedSamples !== EXPECTED_SAMPLES) throw new Error(`${lib.id}: scrape has ${exposedSamples} samples, expected ${EXPECTED_SAMPLES}`);

  const scrapeMs: number[] = [];
  const scrapeCpuMs: number[] = [];
  const longestStallMs: number[] = [];
  const longestStallCpuMs: number[] = [];
  const eventLoopDelayMaxMs: number[] = [];
  for (let i = 0; i < scrapes; i++) {
    text = '';
    gc();
    // Let the ticker's first turn happen before the scrape starts.
    await new Promise((resolve) => setImmediate(resolve));
    const monitor = startStallMonitor();
    const c0 = cpuMs();
    const t0 = performance.now();
    text = await registry.metrics();
    scrapeMs.push(performance.now() - t0);
    scrapeCpuMs.push(cpuMs() - c0);
    const stall = monitor.stop();
    longestStallMs.push(stall.longestGapMs);
    longestStallCpuMs.push(stall.longestGapCpuMs);
    eventLoopDelayMaxMs.push(stall.eventLoopDelayMaxMs);
  }
  return {
    seriesBytes: heapUsedBytes + externalBytes,
    heapUsedBytes,
    externalBytes,
    scrapeMs,
    scrapeCpuMs,
    longestStallMs,
    longestStallCpuMs,
    eventLoopDelayMaxMs,
    exposedBytes: Buffer.byteLength(text),
    exposedSamples,
  };
}
