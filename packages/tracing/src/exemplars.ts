/**
 * Exemplar labels from the active span, so a histogram bucket or counter sample points to
 * the trace behind it (Grafana's "exemplar" link to Tempo). Pass the result as
 * `exemplarLabels` to `inc`/`observe`; the core consults it by itself once an exemplar
 * provider is set (see docs/logging-tracing.md).
 */
import { TraceFlags, type SpanContext } from '@opentelemetry/api';
import { activeSpanContext } from './correlation.js';

export interface TraceExemplar {
  trace_id: string;
  span_id: string;
  [label: string]: string;
}

/**
 * `{ trace_id, span_id }` of a sampled span context; undefined otherwise, since an
 * exemplar pointing to a trace that was never recorded leads nowhere.
 */
export function exemplarOf(spanContext: SpanContext | undefined): TraceExemplar | undefined {
  if (spanContext === undefined || (spanContext.traceFlags & TraceFlags.SAMPLED) === 0) return undefined;
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}

/** Exemplar labels of the active span, or undefined outside a sampled span. */
export function exemplarFromActiveSpan(): TraceExemplar | undefined {
  return exemplarOf(activeSpanContext());
}
