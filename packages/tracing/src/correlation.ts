/**
 * What ties a log line or a metric sample to a trace: the active span's ids and the
 * caller's `x-request-id`. Only `@opentelemetry/api` is used, so logging and the status
 * server can read it without loading the SDK; without `initTracing()` there is no active
 * span and these return nothing.
 */
import { context, createContextKey, isSpanContextValid, trace, type Context, type SpanContext } from '@opentelemetry/api';

const REQUEST_ID_KEY = createContextKey('promkit x-request-id');

/** The span context of the active span, when it is valid. */
export function activeSpanContext(ctx: Context = context.active()): SpanContext | undefined {
  const spanContext = trace.getSpanContext(ctx);
  return spanContext !== undefined && isSpanContextValid(spanContext) ? spanContext : undefined;
}

/** `ctx` carrying a request id (the `x-request-id` header) for the logs written under it. */
export function contextWithRequestId(ctx: Context, requestId: string): Context {
  return ctx.setValue(REQUEST_ID_KEY, requestId);
}

/** Runs `fn` with a request id that log lines written inside it carry as `x_request_id`. */
export function withRequestId<T>(requestId: string, fn: () => T): T {
  return context.with(contextWithRequestId(context.active(), requestId), fn);
}

export function activeRequestId(ctx: Context = context.active()): string | undefined {
  const id = ctx.getValue(REQUEST_ID_KEY);
  return typeof id === 'string' ? id : undefined;
}

export interface CorrelationFields {
  trace_id?: string;
  span_id?: string;
  x_request_id?: string;
}

/** The fields a log line written now carries: `trace_id`, `span_id`, `x_request_id`. */
export function correlationFields(): CorrelationFields {
  const ctx = context.active();
  const spanContext = activeSpanContext(ctx);
  const requestId = activeRequestId(ctx);
  const fields: CorrelationFields = {};
  if (spanContext) {
    fields.trace_id = spanContext.traceId;
    fields.span_id = spanContext.spanId;
  }
  if (requestId !== undefined) fields.x_request_id = requestId;
  return fields;
}
