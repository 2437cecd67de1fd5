/**
 * promkit/integration: the hooks promkit's companion packages plug into, and yours can:
 * the logger promkit writes to, the spans it opens, the exemplar labels it records.
 * `@promkit/logging` and `@promkit/tracing` install themselves here.
 */
export { getLogger, setLoggerFactory, type Logger, type LoggerFactory, type LogMethod } from './logger.js';
export {
  setTracingHooks,
  withSpan,
  traceRequest,
  correlationFields,
  CLIENT_CLOSED_STATUS,
  type TracingHooks,
  type SpanHandle,
  type SpanAttributes,
  type SpanAttributeValue,
  type RequestEnd,
  type TraceRequestOptions,
} from './tracing-hooks.js';
export { envFlag, TRUE_WORDS, FALSE_WORDS } from './env-flag.js';
export { setExemplarProvider, currentExemplar, type ExemplarProvider } from '../core/exemplar-provider.js';
export { startClock } from '../core/timer.js';
