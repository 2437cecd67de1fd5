/**
 * promkit: Prometheus-native metrics for TypeScript. The root export is a superset of
 * prom-client's API, so switching is a change of import.
 */
import { globalRegistry, type PrometheusContentType, type Registry } from './core/registry.js';

export * from './core/index.js';
export * from './core/shared/index.js';
export {
  PROMETHEUS_CONTENT_TYPE as prometheusContentType,
  OPENMETRICS_CONTENT_TYPE as openMetricsContentType,
  PROTOBUF_CONTENT_TYPE as protobufContentType,
  negotiate,
  negotiateScrape,
  acceptsGzip,
  negotiateEncoding,
  type ScrapeFormat,
} from './exposition/index.js';
export {
  startRemoteWrite,
  RemoteWriteError,
  type RemoteWrite,
  type RemoteWriteOptions,
  type RemoteWriteStats,
  type RemoteWriteTls,
} from './remote-write/index.js';
export type { NativeHistogramConfiguration } from './core/native-histogram.js';

/** The global registry's content type (a live binding; set it with `register.setContentType`). */
export { globalContentType as contentType } from './core/registry.js';

/**
 * prom-client's `MetricType` enum, for code that names it in types or compares with it.
 * (A metric's `type` field itself is the string, e.g. 'counter', in both libraries.)
 */
export const MetricType = { Counter: 0, Gauge: 1, Histogram: 2, Summary: 3 } as const;
export type MetricType = (typeof MetricType)[keyof typeof MetricType];

/**
 * The global registry, as prom-client's `register`, typed as its typings type it
 * (`Registry<PrometheusContentType>`, the content type it starts with), so it can be handed
 * to libraries typed against prom-client. `setContentType()` still takes OpenMetrics.
 */
export const register = globalRegistry() as Registry<PrometheusContentType>;
