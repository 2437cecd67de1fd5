/**
 * promkit: Prometheus-native metrics for TypeScript. The root export is a superset of
 * prom-client's API, so switching is a change of import.
 */
import { globalRegistry } from './core/registry.js';

export * from './core/index.js';
export * from './core/shared/index.js';
export {
  PROMETHEUS_CONTENT_TYPE as prometheusContentType,
  OPENMETRICS_CONTENT_TYPE as openMetricsContentType,
  negotiate,
  acceptsGzip,
} from './exposition/index.js';

/** The global registry, as prom-client's `register`. */
export const register = globalRegistry();
