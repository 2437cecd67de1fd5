/**
 * DataMover instrumentation (datamover-operator-metrics.md), shaped like its backup
 * workflow: CreatingClonedPVC → CreatingPod → (data sync in the pod) → CleaningUp.
 * A phase counts `started` when entered and `success` or `failure` when it ends, with its
 * duration. Phases usually span several reconciles, so the end can be recorded from the
 * time the phase started (kept in the CR status) as well as around in-process work.
 */
import { datamoverCatalog, DATAMOVER_PHASES } from '@promkit/catalogs';
import type { Handles } from 'promkit/catalog';
import { globalRegistry, type Registry } from 'promkit';
import { startClock } from 'promkit/integration';
import { instantiateOnce } from './catalog-instances.js';

export type DataMoverPhase = (typeof DATAMOVER_PHASES)[number];
export type Outcome = 'success' | 'failure';

export interface PhaseEnd {
  /** Seconds the phase took. */
  seconds?: number;
  /** When the phase started (e.g. from the CR status); the duration is measured to now. */
  startedAt?: Date | string | number;
}

export interface DataMoverMetrics {
  readonly metrics: Handles<(typeof datamoverCatalog)['metrics']>;
  /** Counts the phase as started. */
  phaseStarted(phase: DataMoverPhase, namespace: string): void;
  /** Counts the phase's outcome and observes its duration (when known). */
  phaseFinished(phase: DataMoverPhase, namespace: string, outcome: Outcome, end?: PhaseEnd): void;
  /** Runs in-process phase work: started, then success or failure with the measured duration. Rethrows. */
  runPhase<R>(phase: DataMoverPhase, namespace: string, work: () => R | Promise<R>): Promise<R>;
  /** Job/pod creation: started, then success or failure. Rethrows. */
  createPod<R>(namespace: string, create: () => R | Promise<R>): Promise<R>;
  podCreation(namespace: string, status: 'started' | Outcome): void;
  /** PVC cleanup outcome; `cleanup(ns, fn)` records it around the work. Rethrows. */
  cleanup<R>(namespace: string, work: () => R | Promise<R>): Promise<R>;
  cleanupResult(namespace: string, outcome: Outcome): void;
  /** Data sync outcome, e.g. from the sync pod's exit (Succeeded/Failed). */
  dataSyncResult(namespace: string, outcome: Outcome): void;
}

const PHASES = new Set<string>(DATAMOVER_PHASES);

function assertPhase(phase: string): void {
  if (!PHASES.has(phase)) throw new TypeError(`DataMover phase '${phase}' is unknown: use one of ${DATAMOVER_PHASES.join(', ')}`);
}

function secondsSince(startedAt: Date | string | number): number | undefined {
  const t = startedAt instanceof Date ? startedAt.getTime() : typeof startedAt === 'number' ? startedAt : Date.parse(startedAt);
  return Number.isFinite(t) ? Math.max(0, (Date.now() - t) / 1000) : undefined;
}

async function measured<R>(work: () => R | Promise<R>, done: (outcome: Outcome, seconds: number) => void): Promise<R> {
  const elapsed = startClock();
  let result: R;
  try {
    result = await work();
  } catch (error) {
    done('failure', elapsed());
    throw error;
  }
  done('success', elapsed());
  return result;
}

export function createDataMoverMetrics(options: { registry?: Registry } = {}): DataMoverMetrics {
  const metrics = instantiateOnce(options.registry ?? globalRegistry(), 'datamover', () => datamoverCatalog);
  const api: DataMoverMetrics = {
    metrics,
    phaseStarted(phase, namespace) {
      assertPhase(phase);
      metrics.operations.labels(phase, 'started', namespace).inc();
    },
    phaseFinished(phase, namespace, outcome, end = {}) {
      assertPhase(phase);
      metrics.operations.labels(phase, outcome, namespace).inc();
      const seconds = end.seconds ?? (end.startedAt !== undefined ? secondsSince(end.startedAt) : undefined);
      if (seconds !== undefined && Number.isFinite(seconds)) metrics.phaseDuration.labels(phase, namespace).observe(Math.max(0, seconds));
    },
    runPhase(phase, namespace, work) {
      api.phaseStarted(phase, namespace);
      return measured(work, (outcome, seconds) => api.phaseFinished(phase, namespace, outcome, { seconds }));
    },
    createPod(namespace, create) {
      api.podCreation(namespace, 'started');
      return measured(create, (outcome) => api.podCreation(namespace, outcome));
    },
    podCreation(namespace, status) {
      metrics.podCreationOperations.labels(status, namespace).inc();
    },
    cleanup(namespace, work) {
      return measured(work, (outcome) => api.cleanupResult(namespace, outcome));
    },
    cleanupResult(namespace, outcome) {
      metrics.cleanupOperations.labels(outcome, namespace).inc();
    },
    dataSyncResult(namespace, outcome) {
      metrics.dataSyncOperations.labels(outcome, namespace).inc();
    },
  };
  return api;
}
