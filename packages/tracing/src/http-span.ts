/**
 * A server span per incoming HTTP request, continuing the caller's trace from W3C
 * `traceparent`/`tracestate`, with the caller's `x-request-id` on the span and on every
 * log line written while serving it. Used by the status server and the admission webhook.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { context, defaultTextMapGetter, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';
import { CLIENT_CLOSED_STATUS } from 'promkit/integration';
import { contextWithRequestId } from './correlation.js';
import { promkitTracer } from './spans.js';

export const REQUEST_ID_HEADER = 'x-request-id';
/** Span attribute and log field of the request id, as Dynamo names it. */
export const REQUEST_ID_ATTRIBUTE = 'x_request_id';

/** Visible ASCII, at most 128 characters: anything else is not trusted into logs. */
const REQUEST_ID = /^[\x21-\x7e]{1,128}$/;

export function requestIdOf(req: IncomingMessage): string | undefined {
  const value = req.headers[REQUEST_ID_HEADER];
  const id = Array.isArray(value) ? value[0] : value;
  return id !== undefined && REQUEST_ID.test(id) ? id : undefined;
}

export interface RequestEnd {
  span: Span;
  /** The status sent, or 499 when none was. */
  statusCode: number;
}

export interface IncomingRequestSpanOptions {
  /** Default: `<METHOD> <route>` (or the method alone), as OpenTelemetry's HTTP conventions name server spans. */
  name?: string;
  /** The matched route (bounded cardinality), recorded as `http.route`. */
  route?: string;
  attributes?: Attributes;
  /**
   * Called once the response is closed, inside the request's context: metrics recorded
   * here can take the span's exemplar and log lines carry its ids.
   */
  onClose?: (end: RequestEnd) => void;
}

function requestAttributes(req: IncomingMessage, options: IncomingRequestSpanOptions, requestId: string | undefined): Attributes {
  const attributes: Attributes = {
    'http.request.method': req.method ?? 'GET',
    'url.path': (req.url ?? '/').split('?')[0],
    'url.scheme': 'encrypted' in req.socket && req.socket.encrypted ? 'https' : 'http',
    'network.protocol.version': req.httpVersion,
  };
  if (options.route !== undefined) attributes['http.route'] = options.route;
  if (requestId !== undefined) attributes[REQUEST_ID_ATTRIBUTE] = requestId;
  return { ...attributes, ...options.attributes };
}

/** Runs `handler` inside a server span for the request; the span ends when the response closes. */
export function traceIncomingRequest<T>(req: IncomingMessage, res: ServerResponse, options: IncomingRequestSpanOptions, handler: (span: Span) => T): T {
  const parent = propagation.extract(ROOT_CONTEXT, req.headers, defaultTextMapGetter);
  const requestId = requestIdOf(req);
  const method = req.method ?? 'GET';
  const name = options.name ?? (options.route !== undefined ? `${method} ${options.route}` : method);
  const span = promkitTracer().startSpan(name, { kind: SpanKind.SERVER, attributes: requestAttributes(req, options, requestId) }, parent);
  let ctx = trace.setSpan(parent, span);
  if (requestId !== undefined) ctx = contextWithRequestId(ctx, requestId);
  res.once('close', () => {
    const statusCode = res.headersSent ? res.statusCode : CLIENT_CLOSED_STATUS;
    span.setAttribute('http.response.status_code', statusCode);
    if (statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR, message: `HTTP ${statusCode}` });
    try {
      if (options.onClose) context.with(ctx, options.onClose, undefined, { span, statusCode });
    } finally {
      span.end();
    }
  });
  return context.with(ctx, handler, undefined, span);
}
