/**
 * Where promkit's servers and the operator kit open spans. The engine does not depend on
 * OpenTelemetry: these hooks do nothing but run the work until `@promkit/tracing`
 * installs its OpenTelemetry implementation (`initTracing()` does), so instrumented code
 * costs next to nothing without tracing.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export type SpanAttributeValue = string | number | boolean;
export type SpanAttributes = Record<string, SpanAttributeValue>;

/** What instrumented code may do with the span it runs in. */
export interface SpanHandle {
  setAttribute(key: string, value: SpanAttributeValue): void;
  /** Marks the span failed with the exception. */
  recordError(error: unknown): void;
}

export interface RequestEnd {
  /** The status sent, or 499 when none was (the client went away first). */
  statusCode: number;
}

export interface TraceRequestOptions {
  /** The matched route (bounded cardinality), e.g. `/metrics`. */
  route?: string;
  attributes?: SpanAttributes;
  /** Called once the response is closed, inside the request's span. */
  onClose?: (end: RequestEnd) => void;
}

export interface TracingHooks {
  /** Runs `fn` in a child span of the active one, ending it when `fn` returns or settles; a throw marks it failed and is passed on. */
  withSpan<T>(name: string, attributes: SpanAttributes, fn: (span: SpanHandle) => T): T;
  /** Runs `handler` in a server span for the request (continuing the caller's trace); the span ends when the response closes. */
  traceRequest<T>(req: IncomingMessage, res: ServerResponse, options: TraceRequestOptions, handler: () => T): T;
  /** Fields that tie a log line written now to its trace (`trace_id`, `span_id`, `x_request_id`). */
  correlationFields(): Record<string, string>;
}

/** Status recorded when the client went away (or was cut) before a status was sent. */
export const CLIENT_CLOSED_STATUS = 499;

const NOOP_SPAN: SpanHandle = { setAttribute() {}, recordError() {} };

const noTracing: TracingHooks = {
  withSpan: (_name, _attributes, fn) => fn(NOOP_SPAN),
  traceRequest(_req, res, options, handler) {
    if (options.onClose) {
      const onClose = options.onClose;
      res.once('close', () => onClose({ statusCode: res.headersSent ? res.statusCode : CLIENT_CLOSED_STATUS }));
    }
    return handler();
  },
  correlationFields: () => ({}),
};

let hooks: TracingHooks = noTracing;

/** Installs the hooks (undefined: back to none). Returns the previous ones. */
export function setTracingHooks(next: TracingHooks | undefined): TracingHooks {
  const previous = hooks;
  hooks = next ?? noTracing;
  return previous;
}

export function withSpan<T>(name: string, attributes: SpanAttributes, fn: (span: SpanHandle) => T): T {
  return hooks.withSpan(name, attributes, fn);
}

export function traceRequest<T>(req: IncomingMessage, res: ServerResponse, options: TraceRequestOptions, handler: () => T): T {
  return hooks.traceRequest(req, res, options, handler);
}

export function correlationFields(): Record<string, string> {
  return hooks.correlationFields();
}
