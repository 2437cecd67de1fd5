/**
 * Reconcile instrumentation: `reconcile_duration_seconds`, `reconcile_total{result}` and
 * `reconcile_errors_total{error_type}` around any reconcile function, as controller-runtime
 * records them around `Reconcile(ctx, req)`; each reconcile runs in a `reconcile` span
 * (the metrics are recorded inside it, so they carry its ids as exemplars) and failures
 * are logged under `promkit::kube::reconcile`.
 */
import { startClock } from 'promkit/integration';
import { getLogger, type Logger } from 'promkit/integration';
import { setReconcileOutcome, withReconcileSpan } from './spans.js';
import { classifyError, isErrorType, statusFactsOf, type ErrorType } from './error-taxonomy.js';
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
  /** The object's name, for the span and log lines (not a metric label); default: read from the first argument (see `nameOfTarget`). */
  nameOf?: (...args: A) => string | undefined;
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

/**
 * The name of what is being reconciled: `metadata.name` of an object, `name` of a request,
 * the part after '/' of a cache key 'ns/name' (a key without '/' is a cluster-scoped
 * object's name). Anything else gives ''.
 */
export function nameOfTarget(target: unknown): string {
  if (typeof target === 'string') return target.slice(target.indexOf('/') + 1);
  if (!isRecord(target)) return '';
  if (isRecord(target.metadata) && typeof target.metadata.name === 'string') return target.metadata.name;
  return typeof target.name === 'string' ? target.name : '';
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

/** A label read by an option or the default reader; a throw or non-string reads ''. */
function reader<A extends unknown[]>(option: ((...args: A) => string | undefined) | undefined, fallback: (target: unknown) => string): (args: A) => string {
  return (args) => {
    try {
      const value = option ? option(...args) : fallback(args[0]);
      return typeof value === 'string' ? value : '';
    } catch {
      return '';
    }
  };
}

/** Logging must not change what the reconcile returns or throws. */
function safely(write: () => void): void {
  try {
    write();
  } catch {
    // a broken log destination is not the reconcile's failure
  }
}

/**
 * Wraps a reconcile function. The wrapper returns what it returns and rethrows what it
 * throws, so retry and requeue logic around it is unchanged. Each call runs in a
 * `reconcile` span (a child of the active span, if any) with `resource_type`, `namespace`,
 * `name`, `result` and, on errors, `error_type`; failures are logged at error and
 * successes at debug under `promkit::kube::reconcile`.
 */
/**
 * One short line per failure: the Status reason, code and message rather than the
 * client's exception (whose text repeats the raw body and headers; reconcile errors
 * such as conflicts are routine and would drown the log). The full error is at debug.
 */
function logFailure(log: Logger, fields: Record<string, unknown>, error: unknown): void {
  const facts = statusFactsOf(error);
  const fallback = error instanceof Error ? error.message.split('\n')[0] : String(error);
  log.error({ ...fields, reason: facts.reason, code: facts.code, detail: facts.message ?? fallback }, 'reconcile failed');
  log.debug({ ...fields, err: error }, 'reconcile failure detail');
}

export function instrumentReconcile<A extends unknown[], R>(
  handles: OperatorHandles,
  resourceType: string,
  reconcile: (...args: A) => R | Promise<R>,
  options: InstrumentReconcileOptions<A> = {},
): (...args: A) => Promise<Awaited<R>> {
  if (typeof reconcile !== 'function') throw new TypeError(`instrumentReconcile('${resourceType}'): reconcile must be a function`);
  if (typeof resourceType !== 'string' || resourceType === '')
    throw new TypeError('instrumentReconcile: resourceType must be a non-empty string, e.g. the kind');
  const namespaceOf = reader(options.namespaceOf, namespaceOfTarget);
  const nameOf = reader(options.nameOf, nameOfTarget);
  // Taken here, not at module load, so a setDefaultLogging() before wiring the operator applies.
  const log: Logger = getLogger('promkit::kube::reconcile');
  return (...args: A): Promise<Awaited<R>> => {
    const namespace = namespaceOf(args);
    const name = nameOf(args);
    return withReconcileSpan({ resourceType, namespace, name }, async (span): Promise<Awaited<R>> => {
      const elapsed = startClock();
      let result: Awaited<R>;
      try {
        result = await reconcile(...args);
      } catch (error) {
        const seconds = elapsed();
        const errorType = errorTypeOf(error, options.classify);
        setReconcileOutcome(span, 'error', errorType);
        recordReconcile(handles, { resourceType, namespace, outcome: 'error', seconds, errorType });
        safely(() => logFailure(log, { resource_type: resourceType, namespace, name, error_type: errorType, seconds }, error));
        throw error;
      }
      const seconds = elapsed();
      const outcome = outcomeOfResult(result);
      setReconcileOutcome(span, outcome);
      recordReconcile(handles, { resourceType, namespace, outcome, seconds });
      safely(() => log.debug({ resource_type: resourceType, namespace, name, result: outcome, seconds }, 'reconciled'));
      return result;
    });
  };
}
