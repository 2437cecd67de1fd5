/**
 * The workload on the embedded cluster: an opening that exercises every outcome once within
 * a few seconds (so every documented metric family has series early), then a seeded random
 * mix at about two actions per second, with object counts kept bounded.
 */
import { DATAMOVER, DCD, DGD, DGDR, DGDSA, DM, MODAL_JOB } from './crds.js';
import type { Log } from './log.js';
import type { Random } from './random.js';
import { MAX_PER_NAMESPACE, WorkloadActions, type WorkloadEnv, type WorkloadStats } from './workload-actions.js';

export interface Workload {
  readonly stats: WorkloadStats;
  /** Resolves when the opening sequence has run. */
  readonly opened: Promise<void>;
  stop(): Promise<void>;
}

const STEP_MS = 500;
/** Finished backups and jobs are deleted this long after creation. */
const KEEP_FINISHED_SECONDS = 20;

/** Every outcome at least once: successes, denials, API failures, failed backups and jobs, cold starts. */
async function opening(act: WorkloadActions, pause: () => Promise<void>): Promise<void> {
  const [a, b, c] = [act.namespaces[0]!, act.namespaces[1] ?? act.namespaces[0]!, act.namespaces[2] ?? act.namespaces[0]!];
  await act.createSourceVolumes();
  const steps: Array<() => unknown> = [
    () => act.createGraph(a),
    () => act.submitJob(a),
    () => act.createBackup(a),
    () => act.createGraph(b, { broken: true }),
    () => act.submitJob(b, 'oom'),
    () => act.createBackup(b, 'missing-source'),
    () => act.createEmptyGraph(c),
    () => act.submitJob(c, 'i6pn'),
    () => act.createBackup(c, 'offline'),
    () => act.createModel(a),
    () => act.createModel(b, { gated: true }),
    () => act.createModel(c, { invalid: true }),
    () => act.submitJob(a, 'invalid'),
    () => act.createBackup(b, 'job-quota'),
    () => act.createRequest(a),
    () => act.createRequest(b, { impossible: true }),
    () => act.createRequest(c, { invalid: true }),
    () => act.submitJob(b, 'api-error'),
    () => act.createBackup(c, 'cleanup-error'),
    () => act.createAdapter(a),
    () => act.createAdapter(b, { orphan: true }),
    () => act.sendOutdatedReview(),
    () => act.failNextStatusWrite(DCD, 409),
    () => act.failNextStatusWrite(DGD, 504),
    () => act.failNextStatusWrite(DM, 429),
    () => act.failNextStatusWrite(DGDR, 503),
    () => act.scaleGraph(),
    () => act.changeBackend(),
    () => act.breakComponent(),
    () => act.createGraph(c),
    () => act.deleteOldestAdapter(b),
  ];
  for (const step of steps) {
    await step();
    await pause();
  }
}

/** One random action, keeping each kind at most MAX_PER_NAMESPACE per namespace. */
async function step(act: WorkloadActions, random: Random): Promise<void> {
  const ns = random.pick(act.namespaces);
  const full = (kind: typeof DGD) => act.counts(kind, ns) >= MAX_PER_NAMESPACE;
  switch (
    random.weighted({
      graph: 3,
      scale: 2,
      immutable: 1,
      invalid: 1,
      model: 1,
      request: 1,
      redeploy: 0.5,
      adapter: 1,
      scaleAdapter: 1,
      failure: 1.5,
      backup: 3,
      job: 5,
      webhookError: 0.3,
    })
  ) {
    case 'graph':
      if (act.userGraphs(ns).length >= MAX_PER_NAMESPACE) await act.deleteOldestGraph(ns);
      else await act.createGraph(ns, { broken: random.chance(0.15) });
      return;
    case 'scale':
      await act.scaleGraph();
      return;
    case 'immutable':
      await act.changeBackend();
      return;
    case 'invalid':
      if (random.chance(0.5)) await act.createEmptyGraph(ns);
      else await act.breakComponent();
      return;
    case 'model':
      if (full(DM)) await act.deleteOldestModel(ns);
      else await act.createModel(ns, { gated: random.chance(0.2), invalid: random.chance(0.1) });
      return;
    case 'request':
      if (full(DGDR)) await act.deleteOldestRequest(ns);
      else await act.createRequest(ns, { impossible: random.chance(0.2) });
      return;
    case 'redeploy':
      await act.deleteDeployedGraph();
      return;
    case 'adapter':
      if (full(DGDSA)) await act.deleteOldestAdapter(ns);
      else await act.createAdapter(ns, { orphan: random.chance(0.15) });
      return;
    case 'scaleAdapter':
      await act.scaleAdapter();
      return;
    case 'failure':
      act.failNextStatusWrite(random.pick([DGD, DCD, DM, DGDR, DGDSA]), random.pick([409, 409, 409, 504, 429, 503]));
      return;
    case 'backup':
      if (act.inFlight(DATAMOVER, ns) < 2) {
        await act.createBackup(ns, random.weighted({ ok: 6, 'missing-source': 1, offline: 1, 'job-quota': 0.5, 'cleanup-error': 0.5 }));
      }
      return;
    case 'job':
      if (act.inFlight(MODAL_JOB) < 6) await act.submitJob(ns, random.weighted({ ok: 7, oom: 1, i6pn: 2, invalid: 0.5, 'api-error': 0.5 }));
      return;
    case 'webhookError':
      await act.sendOutdatedReview();
      return;
  }
}

export function startWorkload(env: WorkloadEnv, log: Log): Workload {
  const act = new WorkloadActions(env);
  let stopped = false;
  let wake: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (stopped) return resolve();
      wake = resolve;
      timer = setTimeout(resolve, ms);
    });

  let markOpened!: () => void;
  const opened = new Promise<void>((resolve) => (markOpened = resolve));
  const loop = (async () => {
    try {
      await opening(act, () => sleep(80));
      markOpened();
      for (let i = 0; !stopped; i++) {
        await step(act, env.random);
        if (i % 10 === 0) {
          await act.pruneFinished(DATAMOVER, KEEP_FINISHED_SECONDS);
          await act.pruneFinished(MODAL_JOB, KEEP_FINISHED_SECONDS);
        }
        await sleep(STEP_MS);
      }
    } catch (error) {
      if (!stopped) log('error', `workload generator stopped: ${error instanceof Error ? error.stack : String(error)}`);
    } finally {
      markOpened();
    }
  })();

  return {
    stats: act.stats,
    opened,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      wake?.();
      await loop;
    },
  };
}
