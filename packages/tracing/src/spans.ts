/**
 * Spans around promkit's own work (reconciles, admission reviews, requests) and the
 * user's. With no tracer provider registered (`initTracing()` not called) the API hands
 * out no-op spans, so instrumented code costs next to nothing.
 */
import { context, SpanStatusCode, trace, type Attributes, type Span, type SpanOptions, type Tracer } from '@opentelemetry/api';

export const PROMKIT_TRACER = 'promkit';

export function promkitTracer(): Tracer {
  return trace.getTracer(PROMKIT_TRACER);
}

/** Marks the span failed with the exception. */
export function recordSpanError(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}

/**
 * Runs `fn` inside a new active span (a child of the active one) and ends it when `fn`
 * returns or settles. A throw or rejection marks the span failed and is passed on.
 */
export function withSpan<T>(name: string, attributes: Attributes, fn: (span: Span) => T, options: SpanOptions = {}): T {
  const span = promkitTracer().startSpan(name, { ...options, attributes: { ...options.attributes, ...attributes } });
  const fail = (error: unknown): never => {
    recordSpanError(span, error);
    span.end();
    throw error;
  };
  let result: T;
  try {
    result = context.with(trace.setSpan(context.active(), span), fn, undefined, span);
  } catch (error) {
    return fail(error);
  }
  if (result instanceof Promise) {
    return result.then((value: unknown) => {
      span.end();
      return value;
    }, fail) as T;
  }
  span.end();
  return result;
}
