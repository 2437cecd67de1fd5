import { Worker } from 'node:worker_threads';

export interface StartedWorker {
  worker: Worker;
  /** The worker's first report (its thread column), or the error it died with. */
  report: Promise<{ column: number }>;
  /** Resolves with the exit code, however the worker ends. */
  exited: Promise<number>;
}

/**
 * Starts a TypeScript worker module through ts-worker-entry.mjs (Node 20 workers do not
 * inherit `--import tsx`). `data` goes to the module as workerData.
 */
export function startWorker(module: string, data: Record<string, unknown>): StartedWorker {
  const worker = new Worker(new URL('./ts-worker-entry.mjs', import.meta.url), {
    workerData: { script: new URL(module, import.meta.url).href, ...data },
  });
  const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
  const report = new Promise<{ column: number }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    void exited.then((code) => reject(new Error(`worker exited with code ${code} before reporting`)));
  });
  // A rejected report nobody awaits (a crash test awaits `exited`) must not fail the run.
  report.catch(() => {});
  return { worker, report, exited };
}
