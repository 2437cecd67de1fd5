/**
 * Installs OpenTelemetry's tracer provider for the process: AsyncLocalStorage context (so
 * spans, log lines and exemplars see the active span across awaits), W3C trace context and
 * baggage propagation, and, with `OTEL_EXPORT_ENABLED`, batched OTLP/HTTP export.
 * Without export, spans still exist: their ids reach logs and exemplars, as in Dynamo.
 */
import { context, diag, DiagLogLevel, propagation, trace, type Attributes, type DiagLogger } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, type BufferConfig, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { getLogger, setExemplarProvider, setTracingHooks, type Logger } from 'promkit/integration';
import { loadTracingConfig, tracesUrlOf, type TracingConfig } from './env-config.js';
import { exemplarFromActiveSpan } from './exemplars.js';
import { installTracingHooks } from './hooks.js';

export interface TracingOptions extends Partial<TracingConfig> {
  /** Read instead of process.env; options given here win over it. */
  env?: NodeJS.ProcessEnv;
  /** More processors, e.g. a SimpleSpanProcessor over an InMemorySpanExporter. */
  spanProcessors?: SpanProcessor[];
  /** Replaces the OTLP/HTTP exporter used when export is enabled. */
  exporter?: SpanExporter;
  /** Batching of the export (queue size, batch size, delay); OpenTelemetry's defaults otherwise. */
  batch?: BufferConfig;
  /** Added to the resource beside `service.name`. */
  resourceAttributes?: Attributes;
  /** Default: the `promkit::tracing` logger. */
  logger?: Logger;
}

export interface Tracing {
  readonly config: Readonly<TracingConfig>;
  readonly provider: NodeTracerProvider;
  /** Exports every ended span now (instead of waiting for the batch). */
  forceFlush(): Promise<void>;
  /** Flushes, stops exporting and removes the global provider, context manager and propagator. Idempotent. */
  shutdown(): Promise<void>;
}

let active: Tracing | undefined;

/** OpenTelemetry's own diagnostics (e.g. failed exports) go to our log at warn and above. */
function diagLoggerOf(logger: Logger): DiagLogger {
  return {
    error: (message, ...args) => logger.error({ args }, message),
    warn: (message, ...args) => logger.warn({ args }, message),
    info: (message, ...args) => logger.info({ args }, message),
    debug: (message, ...args) => logger.debug({ args }, message),
    verbose: (message, ...args) => logger.debug({ args }, message),
  };
}

function resolveConfig(options: TracingOptions, logger: Logger): TracingConfig {
  const { config, problems } = loadTracingConfig(options.env ?? process.env);
  for (const problem of problems) logger.warn(problem);
  if (options.exportEnabled !== undefined) config.exportEnabled = options.exportEnabled;
  if (options.serviceName !== undefined) config.serviceName = options.serviceName;
  if (options.endpoint !== undefined) {
    const url = tracesUrlOf(options.endpoint);
    if (url === undefined) throw new TypeError(`initTracing: endpoint must be an http(s) URL such as http://tempo:4318/v1/traces, got ${JSON.stringify(options.endpoint)}`);
    config.endpoint = url;
  }
  return config;
}

/** Sets up tracing once per process; call `shutdown()` before setting it up again. */
export function initTracing(options: TracingOptions = {}): Tracing {
  if (active !== undefined) throw new Error('initTracing: tracing is already set up in this process; call shutdown() on it first');
  const logger = options.logger ?? getLogger('promkit::tracing');
  const config = resolveConfig(options, logger);
  const processors = [...(options.spanProcessors ?? [])];
  if (config.exportEnabled) processors.push(new BatchSpanProcessor(options.exporter ?? new OTLPTraceExporter({ url: config.endpoint }), options.batch));
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ ...options.resourceAttributes, 'service.name': config.serviceName }),
    spanProcessors: processors,
  });
  diag.setLogger(diagLoggerOf(logger), DiagLogLevel.WARN);
  provider.register({ propagator: new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }) });
  if (config.exportEnabled) logger.info({ endpoint: config.endpoint, service: config.serviceName }, 'OpenTelemetry OTLP export enabled');
  // Metrics created with enableExemplars get the active span's ids without passing them.
  const previousExemplarProvider = setExemplarProvider(exemplarFromActiveSpan);
  // The status server, webhook and reconciles open spans through promkit's hooks.
  const previousHooks = installTracingHooks();

  let stopping: Promise<void> | undefined;
  const tracing: Tracing = {
    config,
    provider,
    forceFlush: () => provider.forceFlush(),
    shutdown() {
      stopping ??= provider.shutdown().finally(() => {
        trace.disable();
        context.disable();
        propagation.disable();
        diag.disable();
        setExemplarProvider(previousExemplarProvider);
        setTracingHooks(previousHooks);
        if (active === tracing) active = undefined;
      });
      return stopping;
    },
  };
  active = tracing;
  return tracing;
}

/** The tracing set up by `initTracing`, if any. */
export function activeTracing(): Tracing | undefined {
  return active;
}
