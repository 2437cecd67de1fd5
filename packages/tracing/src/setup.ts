/**
 * Installs OpenTelemetry's tracer provider for the process: AsyncLocalStorage context (so
 * spans, log lines and exemplars see the active span across awaits), W3C trace context and
 * baggage propagation, and, with `OTEL_EXPORT_ENABLED`, batched OTLP/HTTP export.
 * Without export, spans still exist: their ids reach logs and exemplars, as in Dynamo.
 */
import { context, diag, DiagLogLevel, propagation, trace, type Attributes, type DiagLogger } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, detectResources, envDetector, processDetector, resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, type BufferConfig, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { getLogger, setExemplarProvider, setTracingHooks, type Logger } from 'promkit/integration';
import { loadTracingConfig, TRACING_ENV_VARS, tracesUrlOf, type TracingConfig } from './env-config.js';
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
  /**
   * Added to the resource over what OpenTelemetry's detection finds (OTEL_RESOURCE_ATTRIBUTES,
   * the process); `service.name` is set from the config.
   */
  resourceAttributes?: Attributes;
  /** Default: the `promkit::tracing` logger. */
  logger?: Logger;
  /**
   * How long `shutdown()` waits for the last export; spans not sent by then are dropped
   * (and logged). Default 3 000 ms: a pod's termination grace is 30 s for everything.
   */
  shutdownTimeoutMs?: number;
}

export interface Tracing {
  readonly config: Readonly<TracingConfig>;
  readonly provider: NodeTracerProvider;
  /** Exports every ended span now (instead of waiting for the batch). */
  forceFlush(): Promise<void>;
  /**
   * Flushes for at most `shutdownTimeoutMs`, stops exporting and removes the global
   * provider, context manager and propagator. Never rejects: an export that fails or
   * times out is logged at warn. Idempotent.
   */
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
    if (url === undefined)
      throw new TypeError(`initTracing: endpoint must be an http(s) URL such as http://tempo:4318/v1/traces, got ${JSON.stringify(options.endpoint)}`);
    config.endpoint = url;
  }
  return config;
}

/**
 * Shuts the provider down, waiting at most `timeoutMs` for the last export. Resolves
 * whatever happens: a process stopping on SIGTERM must not die of an unreachable collector.
 */
async function flushWithin(provider: NodeTracerProvider, timeoutMs: number, logger: Logger, config: TracingConfig): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const where = config.exportEnabled ? { endpoint: config.endpoint } : {};
  try {
    const outcome = await Promise.race([provider.shutdown().then(() => 'done' as const), timedOut]);
    if (outcome === 'timeout')
      logger.warn(
        { ...where, timeout_ms: timeoutMs },
        `tracing shutdown: the last export did not finish within ${timeoutMs} ms; unexported spans were dropped`,
      );
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    logger.warn({ ...where, err: error }, `tracing shutdown: the last export failed (${detail}); unexported spans were dropped`);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * OpenTelemetry's own detection (OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME from
 * process.env; the process), then `resourceAttributes`, then `service.name`: the
 * `serviceName` option, else OTEL_SERVICE_NAME, else `service.name` of
 * OTEL_RESOURCE_ATTRIBUTES, else promkit's default. Updates `config.serviceName` to it.
 */
function buildResource(options: TracingOptions, config: TracingConfig): Resource {
  // hostDetector is left out: its host.id arrives asynchronously, and a resource with
  // pending attributes delays every export (a SimpleSpanProcessor's included) until it lands.
  const detected = detectResources({ detectors: [envDetector, processDetector] });
  const env = options.env ?? process.env;
  const fromAttributes = detected.attributes['service.name'];
  if (options.serviceName === undefined && !env[TRACING_ENV_VARS.serviceName]?.trim() && typeof fromAttributes === 'string' && fromAttributes !== '') {
    config.serviceName = fromAttributes;
  }
  return defaultResource()
    .merge(detected)
    .merge(resourceFromAttributes({ ...options.resourceAttributes, 'service.name': config.serviceName }));
}

/** Sets up tracing once per process; call `shutdown()` before setting it up again. */
export function initTracing(options: TracingOptions = {}): Tracing {
  if (active !== undefined) throw new Error('initTracing: tracing is already set up in this process; call shutdown() on it first');
  const logger = options.logger ?? getLogger('promkit::tracing');
  const config = resolveConfig(options, logger);
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? 3_000;
  if (!Number.isFinite(shutdownTimeoutMs) || shutdownTimeoutMs <= 0) {
    throw new TypeError(`initTracing: shutdownTimeoutMs must be a positive number of milliseconds, got ${String(options.shutdownTimeoutMs)}`);
  }
  const processors = [...(options.spanProcessors ?? [])];
  if (config.exportEnabled) processors.push(new BatchSpanProcessor(options.exporter ?? new OTLPTraceExporter({ url: config.endpoint }), options.batch));
  const provider = new NodeTracerProvider({
    resource: buildResource(options, config),
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
      stopping ??= flushWithin(provider, shutdownTimeoutMs, logger, config).finally(() => {
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
