/**
 * Span names and attributes of the operator kit. Attributes are named like the kit's
 * metric labels (`resource_type`, `namespace`, `result`, `error_type`), so a TraceQL query
 * and the PromQL behind a dashboard panel speak the same words.
 */
import type { Attributes, Span } from '@opentelemetry/api';
import { withSpan } from './spans.js';

export const RECONCILE_SPAN = 'reconcile';
export const ADMISSION_SPAN = 'admission';

export interface ReconcileTarget {
  resourceType: string;
  namespace: string;
  /** The object's name; '' when unknown. */
  name: string;
}

export function reconcileAttributes(target: ReconcileTarget): Attributes {
  return { resource_type: target.resourceType, namespace: target.namespace, name: target.name };
}

/** Set when the reconcile ends: `result` is success, error or requeue; `error_type` only for errors. */
export function setReconcileOutcome(span: Span, result: string, errorType?: string): void {
  span.setAttribute('result', result);
  if (errorType !== undefined) span.setAttribute('error_type', errorType);
}

/** Runs one reconcile inside a `reconcile` span (a child of the active span, if any). */
export function withReconcileSpan<T>(target: ReconcileTarget, fn: (span: Span) => Promise<T>): Promise<T> {
  return withSpan(RECONCILE_SPAN, reconcileAttributes(target), fn);
}

export interface AdmissionTarget {
  kind: string;
  operation: string;
  namespace?: string;
  name?: string;
  uid?: string;
}

export function admissionAttributes(review: AdmissionTarget): Attributes {
  const attributes: Attributes = { resource_type: review.kind, operation: review.operation, namespace: review.namespace ?? '', name: review.name ?? '' };
  if (review.uid !== undefined) attributes.uid = review.uid;
  return attributes;
}

/** Set when the review is answered. */
export function setAdmissionOutcome(span: Span, allowed: boolean, reason?: string): void {
  span.setAttribute('allowed', allowed);
  if (reason !== undefined) span.setAttribute('reason', reason);
}
