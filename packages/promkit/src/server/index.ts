export { startMetricsServer, type MetricsServerOptions, type RunningMetricsServer, type ServerLogger } from './status-server.js';
export { metricsHandler, type MetricsHandlerOptions, type MetricsRequestHandler } from './metrics-handler.js';
export type { MetricsSource } from './shared-scrape.js';
export { bearerTokenAuthorizer, bearerTokenOf, type AuthDecision, type Authorizer } from './auth.js';
export { HealthState, type HealthSnapshot, type HealthStatus, type HealthStateOptions } from './health-state.js';
export { loadSystemConfig, SystemConfigError, SYSTEM_DEFAULTS, SYSTEM_ENV_VARS, type SystemServerConfig } from './env-config.js';
export { createRequestMetrics, REQUEST_LABELS, REQUESTS_HELP, DURATION_HELP, DURATION_BUCKETS, type RequestMetrics } from './request-metrics.js';
export { loadTlsFiles, type TlsFiles } from './tls.js';
export { listen, localUrl, formatHostPort, Drainer } from './http-lifecycle.js';
