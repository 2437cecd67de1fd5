/**
 * Scenario 7: 4 workers × 25k counter series (100k series) scraped from the main
 * thread. promkit reads shared memory (sharedRegistry); @prometheus-io/client's
 * WorkerRegistry asks worker threads over BroadcastChannel at every scrape; prom-client's
 * AggregatorRegistry asks node:cluster processes over IPC (its only multi-core answer).
 * Measures time per scrape and the longest main-thread stall during one.
 */
import cluster from 'node:cluster';
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { cpuMs, measureOps, median, startStallMonitor } from '../harness.js';
import type { LibraryId } from '../libraries.js';
import { SERIES_PER_WORKER, WORKERS } from '../workers/series.js';

export interface WorkersResult {
  scrapeMs: number[];
  scrapeCpuMs: number[];
  longestStallMs: number[];
  exposedSamples: number;
  /** promkit only: ns per bound inc() in a worker (shared memory) and on one thread (plain Counter). */
  workerBoundIncNs?: number;
  singleThreadBoundIncNs?: number;
}

interface Setup {
  scrape(): Promise<string>;
  stop(): Promise<void>;
  workerBoundIncNs?: number;
  singleThreadBoundIncNs?: number;
}

function startThreads(script: string, data: (i: number) => Record<string, unknown>): Promise<{ workers: Worker[]; reports: Array<{ boundIncNs?: number }> }> {
  const workers = Array.from(
    { length: WORKERS },
    (_, i) =>
      new Worker(new URL('../workers/ts-entry.mjs', import.meta.url), {
        workerData: { script: new URL(`../workers/${script}`, import.meta.url).href, index: i, ...data(i) },
      }),
  );
  return Promise.all(
    workers.map(
      (w) =>
        new Promise<{ boundIncNs?: number }>((resolve, reject) => {
          w.once('message', resolve);
          w.once('error', reject);
        }),
    ),
  ).then((reports) => ({ workers, reports }));
}

async function stopThreads(workers: Worker[]): Promise<void> {
  await Promise.all(
    workers.map(
      (w) =>
        new Promise((r) => {
          w.once('exit', r);
          w.postMessage('stop');
        }),
    ),
  );
}

async function setupPromkit(): Promise<Setup> {
  const promkit = await import('../../packages/promkit/src/index.js');
  const registry = new promkit.Registry();
  const shared = promkit.sharedRegistry({ registers: [registry], maxThreads: WORKERS + 1 });
  shared.counter({ name: 'bench_worker_requests_total', help: 'bench counter', labelNames: ['worker', 'operation'] });
  shared.counter({ name: 'bench_worker_bound_total', help: 'bench counter' });
  const { workers, reports } = await startThreads('promkit-worker.ts', (i) => ({ handle: shared.handle(), timeInc: i === 0 }));
  for (const w of workers) shared.watch(w);
  // The same bound inc() on one thread with the ordinary Counter, for the within-2x check.
  const plain = new promkit.Counter({ name: 'bench_plain_total', help: 'bench counter', registers: [] });
  const singleThreadBoundIncNs = median(
    measureOps((n) => {
      for (let i = 0; i < n; i++) plain.inc();
    }).samplesNsPerOp,
  );
  registry.removeSingleMetric('bench_worker_bound_total');
  return { scrape: () => registry.metrics(), stop: () => stopThreads(workers), workerBoundIncNs: reports[0].boundIncNs, singleThreadBoundIncNs };
}

async function setupPrometheusIo(): Promise<Setup> {
  const lib = (await import('@prometheus-io/client')).default as unknown as { WorkerRegistry: new () => { workerMetrics(): Promise<string> } };
  const registry = new lib.WorkerRegistry();
  const { workers } = await startThreads('pio-worker.ts', () => ({}));
  // Announcements travel over a BroadcastChannel: wait until all four are known.
  const counted = lib.WorkerRegistry as unknown as { workerCount(): number };
  while (counted.workerCount() < WORKERS) await new Promise((r) => setTimeout(r, 10));
  return { scrape: () => registry.workerMetrics(), stop: () => stopThreads(workers) };
}

async function setupPromClientCluster(): Promise<Setup> {
  const client = (await import('prom-client')).default;
  const registry = new client.AggregatorRegistry();
  cluster.setupPrimary({ exec: fileURLToPath(new URL('../workers/cluster-worker.ts', import.meta.url)), execArgv: ['--import', 'tsx'] });
  const forked = Array.from({ length: WORKERS }, (_, i) => cluster.fork({ BENCH_WORKER_INDEX: String(i) }));
  await Promise.all(forked.map((w) => new Promise((r) => w.once('message', r))));
  return {
    scrape: () => registry.clusterMetrics(),
    stop: async () => {
      await Promise.all(
        forked.map(
          (w) =>
            new Promise((r) => {
              w.once('exit', r);
              w.kill();
            }),
        ),
      );
    },
  };
}

function sampleCount(text: string): number {
  let n = 0;
  for (const line of text.split('\n')) if (line !== '' && !line.startsWith('#')) n++;
  return n;
}

export async function measureWorkers(lib: LibraryId, options: { warmups?: number; scrapes?: number } = {}): Promise<WorkersResult> {
  const setup = lib === 'promkit' ? await setupPromkit() : lib === 'prom-client' ? await setupPromClientCluster() : await setupPrometheusIo();
  try {
    let text = '';
    for (let i = 0; i < (options.warmups ?? 2); i++) text = await setup.scrape();
    const exposedSamples = sampleCount(text);
    if (exposedSamples !== WORKERS * SERIES_PER_WORKER)
      throw new Error(`${lib}: scrape has ${exposedSamples} samples, expected ${WORKERS * SERIES_PER_WORKER}`);
    const scrapeMs: number[] = [];
    const scrapeCpuMs: number[] = [];
    const longestStallMs: number[] = [];
    for (let i = 0; i < (options.scrapes ?? 5); i++) {
      await new Promise((resolve) => setImmediate(resolve));
      const monitor = startStallMonitor();
      const c0 = cpuMs();
      const t0 = performance.now();
      text = await setup.scrape();
      scrapeMs.push(performance.now() - t0);
      scrapeCpuMs.push(cpuMs() - c0);
      longestStallMs.push(monitor.stop().longestGapMs);
    }
    return {
      scrapeMs,
      scrapeCpuMs,
      longestStallMs,
      exposedSamples,
      workerBoundIncNs: setup.workerBoundIncNs,
      singleThreadBoundIncNs: setup.singleThreadBoundIncNs,
    };
  } finally {
    await setup.stop();
  }
}
