/**
 * Reconcile instrumentation: `reconcile_duration_seconds`, `reconcile_total{result}` and
 * `reconcile_errors_total{error_type}` around any reconcile function, as controller-runtime
 * records them around `Reconcile(ctx, req)`.
 */
import { startClock } from '../core/timer.js';
import { classifyError, isErrorType, type ErrorType } from './error-taxonomy.js';
import type { OperatorHandles } from './operator-catalog.js';

export type ReconcileOutcome = 'success' | 'error' | 'requeue';

/**
 * What a reconcile may return, after controller-runtime's `Result`: `requeue: true` or a
 * positive `requeueAfter` (milliseconds) ask to run again and count as `requeue`.
 * Returning nothing (or anything else) counts as `success`.
 */
export interface ReconcileResult {
  requeue?: boolean;
  requeueAfter?: number;
}

export interface InstrumentReconcileOptions<A extends unknown[]> {
  /** The `namespace` label; default: read from the first argument (see `namespaceOfTarget`). */
  namespaceOf?: (...args: A) => string | undefined;
  /** Overrides the error taxonomy; return undefined to fall back to `classifyError`. */
  classify?: (error: unknown) => ErrorType | undefined;
}

export interface ReconcileRecord {
  resourceType: string;
  namespace: string;
  outcome: ReconcileOutcome;
  seconds: number;
  /** Required when `outcome` is 'error': its error_type is counted. */
  errorType?: ErrorType;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object';
}

/** `success` or `requeue` for a returned value. */
export function outcomeOfResult(result: unknown): 'success' | 'requeue' {
  if (!isRecord(result)) return 'success';
  if (result.requeue === true) return 'requeue';
  const after = result.requeueAfter;
  return typeof after === 'number' && after > 0 ? 'requeue' : 'success';
}

/**
 * The namespace of what is being reconciled: a Kubernetes object (`metadata.namespace`),
 * a controller-runtime style request (`{ namespace, name }`) or a cache key (`'ns/name'`).
 * Cluster-scoped targets give ''.
 */
export function namespaceOfTarget(target: unknown): string {
  if (typeof target === 'string') {
    const slash = target.indexOf('/');
    return slash > 0 ? target.slice(0, slash) : '';
  }
  if (!isRecord(target)) return '';
  if (isRecord(target.metadata) && typeof target.metadata.namespace === 'string') return target.metadata.namespace;
  return typeof target.namespace === 'string' ? target.namespace : '';
}

/** Records one finished reconcile. */
export function recordReconcile(handles: OperatorHandles, record: ReconcileRecord): void {
  const { resourceType, namespace, outcome } = record;
  handles.reconcileDuration.labels(resourceType, namespace, outcome).observe(Math.max(0, record.seconds));
  handles.reconcileTotal.labels(resourceType, namespace, outcome).inc();
  if (outcome === 'error') handles.reconcileErrors.labels(resourceType, namespace, record.errorType ?? 'internal').inc();
}

function errorTypeOf(error: unknown, classify: InstrumentReconcileOptions<never>['classify']): ErrorType {
  if (classify) {
    try {
      const t = classify(error);
      if (isErrorType(t)) return t;
    } catch {
      // fall through to the built-in taxonomy
    }
  }
  return classifyError(error);
}

/**
 * Wraps a reconcile function. The wrapper returns what it returns and rethrows what it
 * throws, so retry and requeue logic around it is unchanged.
 */
export function instrumentReconcile<A extends unknown[], R>(
  handles: OperatorHandles,
  resourceType: string,
  reconcile: (...args: A) => R | Promise<R>,
  options: InstrumentReconcileOptions<A> = {},
): (...args: A) => Promise<Awaited<R>> {
  if (typeof reconcile !== 'function') throw new TypeError(`instrumentReconcile('${resourceType}'): reconcile must be a function`);
  if (typeof resourceType !== 'string' || resourceType === '') throw new TypeError('instrumentReconcile: resourceType must be a non-empty string, e.g. the kind');
  const namespaceOf = (args: A): string => {
    try {
      return (options.namespaceOf ? options.namespaceOf(...args) : namespaceOfTarget(args[0])) ?? '';
    } catch {
      return '';
    }
  };
  return async (...args: A): Promise<Awaited<R>> => {
    const namespace = namespaceOf(args);
    const elapsed = startClock();
    let result: Awaited<R>;
    try {
      result = await reconcile(...args);
    } catch (error) {
      recordReconcile(handles, { resourceType, namespace, outcome: 'error', seconds: elapsed(), errorType: errorTypeOf(error, options.classify) });
      throw error;
    }
    recordReconcile(handles, { resourceType, namespace, outcome: outcomeOfResult(result), seconds: elapsed() });
    return result;
  };
}
