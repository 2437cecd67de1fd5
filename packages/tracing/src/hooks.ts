/**
 * promkit's tracing hooks on OpenTelemetry: installed by `initTracing()` (or by hand with
 * `installTracingHooks()` when the application registers its own tracer provider), so the
 * status server, the admission webhook and reconciles open real spans.
 */
import type { Span } from '@opentelemetry/api';
import { setTracingHooks, type SpanHandle, type TracingHooks } from 'promkit/integration';
import { correlationFields } from './correlation.js';
import { traceIncomingRequest } from './http-span.js';
import { recordSpanError, withSpan } from './spans.js';

function handleOf(span: Span): SpanHandle {
  return {
    setAttribute: (key, value) => void span.setAttribute(key, value),
    recordError: (error) => recordSpanError(span, error),
  };
}

export const openTelemetryHooks: TracingHooks = {
  withSpan: (name, attributes, fn) => withSpan(name, attributes, (span) => fn(handleOf(span))),
  traceRequest: (req, res, options, handler) => traceIncomingRequest(req, res, options, () => handler()),
  correlationFields: () => ({ ...correlationFields() }),
};

/** Makes promkit's components open OpenTelemetry spans; returns the hooks it replaced. */
export function installTracingHooks(): TracingHooks {
  return setTracingHooks(openTelemetryHooks);
}
