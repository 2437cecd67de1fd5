/**
 * promkit/tracing: OpenTelemetry set up from `OTEL_EXPORT_ENABLED`,
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` and `OTEL_SERVICE_NAME`; spans for promkit's
 * servers and operator kit; exemplars and log fields from the active span.
 * See docs/logging-tracing.md.
 */
export { initTracing, activeTracing, type Tracing, type TracingOptions } from './setup.js';
export { loadTracingConfig, tracesUrlOf, TRACING_DEFAULTS, TRACING_ENV_VARS, OTLP_TRACES_PATH, type TracingConfig } from './env-config.js';
export { withSpan, promkitTracer, recordSpanError, PROMKIT_TRACER } from './spans.js';
export { exemplarFromActiveSpan, exemplarOf, type TraceExemplar } from './exemplars.js';
export { activeSpanContext, activeRequestId, correlationFields, withRequestId, type CorrelationFields } from './correlation.js';
export {
  traceIncomingRequest,
  requestIdOf,
  REQUEST_ID_HEADER,
  REQUEST_ID_ATTRIBUTE,
  type IncomingRequestSpanOptions,
  type RequestEnd,
} from './http-span.js';
export { installTracingHooks, openTelemetryHooks } from './hooks.js';
