/**
 * Trace export settings from the environment. The spec names the variables only; the
 * defaults follow Dynamo (service `dynamo`), except the endpoint: promkit exports
 * OTLP over HTTP (JSON), whose port is 4318, where Dynamo speaks gRPC on 4317.
 */
import { envFlag } from 'promkit/integration';

export const TRACING_ENV_VARS = Object.freeze({
  exportEnabled: 'OTEL_EXPORT_ENABLED',
  endpoint: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  /** OpenTelemetry's base endpoint for every signal: traces go to its `/v1/traces`. */
  baseEndpoint: 'OTEL_EXPORTER_OTLP_ENDPOINT',
  serviceName: 'OTEL_SERVICE_NAME',
  /** Read by OpenTelemetry's own resource detection (`envDetector`), from process.env. */
  resourceAttributes: 'OTEL_RESOURCE_ATTRIBUTES',
});

export interface TracingConfig {
  exportEnabled: boolean;
  /** Where spans are POSTed (OTLP/HTTP JSON), path included. */
  endpoint: string;
  serviceName: string;
}

export const TRACING_DEFAULTS: Readonly<TracingConfig> = Object.freeze({
  exportEnabled: false,
  endpoint: 'http://localhost:4318/v1/traces',
  serviceName: 'dynamo',
});

/** The standard path of OTLP/HTTP traces, added to an endpoint given without a path. */
export const OTLP_TRACES_PATH = '/v1/traces';

/**
 * The export URL for an endpoint setting: `http://tempo:4318` gets `/v1/traces`; a URL
 * with a path is used as given. Undefined when it is not an http(s) URL.
 */
export function tracesUrlOf(endpoint: string): string | undefined {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.pathname === '/' || url.pathname === '') url.pathname = OTLP_TRACES_PATH;
  return url.toString();
}

/**
 * The traces URL under a base endpoint, as OpenTelemetry defines OTEL_EXPORTER_OTLP_ENDPOINT:
 * `v1/traces` appended to its path. Undefined when it is not an http(s) URL.
 */
export function tracesUrlOfBase(base: string): string | undefined {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  url.pathname = url.pathname.replace(/\/+$/, '') + OTLP_TRACES_PATH;
  return url.toString();
}

/**
 * Never throws: problems (bad flag, bad URL, the gRPC port) are listed for the caller to
 * log. The endpoint is OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, else OTEL_EXPORTER_OTLP_ENDPOINT's
 * `/v1/traces`, else the default.
 */
export function loadTracingConfig(env: NodeJS.ProcessEnv = process.env): { config: TracingConfig; problems: string[] } {
  const problems: string[] = [];
  const exportEnabled = envFlag(env, TRACING_ENV_VARS.exportEnabled, problems);
  const serviceName = env[TRACING_ENV_VARS.serviceName]?.trim() || TRACING_DEFAULTS.serviceName;
  let endpoint = TRACING_DEFAULTS.endpoint;
  const signal = env[TRACING_ENV_VARS.endpoint]?.trim();
  const base = env[TRACING_ENV_VARS.baseEndpoint]?.trim();
  const [name, given, toUrl] = signal ? [TRACING_ENV_VARS.endpoint, signal, tracesUrlOf] : [TRACING_ENV_VARS.baseEndpoint, base, tracesUrlOfBase];
  if (given) {
    const url = toUrl(given);
    if (url === undefined) problems.push(`${name}=${JSON.stringify(given)} is not an http(s) URL; using ${endpoint}`);
    else {
      endpoint = url;
      if (new URL(url).port === '4317') {
        problems.push(`${name}=${given}: port 4317 is OTLP/gRPC, but promkit exports OTLP/HTTP (usually port 4318)`);
      }
    }
  }
  return { config: { exportEnabled, endpoint, serviceName }, problems };
}
