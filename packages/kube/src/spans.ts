/**
 * Span names and attributes of the operator kit. Attributes are named like the kit's
 * metric labels (`resource_type`, `namespace`, `result`, `error_type`), so a TraceQL query
 * and the PromQL behind a dashboard panel speak the same words. Spans are opened through
 * promkit's tracing hooks: real OpenTelemetry spans once `@promkit/tracing` is
 * initialised, nothing otherwise (the kit does not depend on OpenTelemetry).
 */
import { withSpan, type SpanAttributes, type SpanHandle } from 'promkit/integration';

export const RECONCILE_SPAN = 'reconcile';
export const ADMISSION_SPAN = 'admission';

export interface ReconcileTarget {
  resourceType: string;
  namespace: string;
  /** The object's name; '' when unknown. */
  name: string;
}

export function reconcileAttributes(target: ReconcileTarget): SpanAttributes {
  return { resource_type: target.resourceType, namespace: target.namespace, name: target.name };
}

/** Set when the reconcile ends: `result` is success, error or requeue; `error_type` only for errors. */
export function setReconcileOutcome(span: SpanHandle, result: string, errorType?: string): void {
  span.setAttribute('result', result);
  if (errorType !== undefined) span.setAttribute('error_type', errorType);
}

/** Runs one reconcile inside a `reconcile` span (a child of the active span, if any). */
export function withReconcileSpan<T>(target: ReconcileTarget, fn: (span: SpanHandle) => Promise<T>): Promise<T> {
  return withSpan(RECONCILE_SPAN, reconcileAttributes(target), fn);
}

export interface AdmissionTarget {
  kind: string;
  operation: string;
  namespace?: string;
  name?: string;
  uid?: string;
}

export function admissionAttributes(review: AdmissionTarget): SpanAttributes {
  const attributes: SpanAttributes = { resource_type: review.kind, operation: review.operation, namespace: review.namespace ?? '', name: review.name ?? '' };
  if (review.uid !== undefined) attributes.uid = review.uid;
  return attributes;
}

/** Set when the review is answered. */
export function setAdmissionOutcome(span: SpanHandle, allowed: boolean, reason?: string): void {
  span.setAttribute('allowed', allowed);
  if (reason !== undefined) span.setAttribute('reason', reason);
}
