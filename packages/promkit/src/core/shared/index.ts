export {
  sharedRegistry,
  attachWorker,
  SharedMetrics,
  type SharedMetricsHandle,
  type SharedRegistryOptions,
  type AttachWorkerOptions,
  type WatchableWorker,
  type WatchablePool,
} from './shared-metrics.js';
export { SharedCounter, SharedCounterChild, SharedGauge, SharedGaugeChild } from './shared-scalar.js';
export { SharedHistogram, SharedHistogramChild } from './shared-histogram.js';
export { SharedSummary, SharedSummaryChild } from './shared-summary.js';
export type {
  SharedMetricConfiguration,
  SharedGaugeConfiguration,
  SharedHistogramConfiguration,
  SharedSummaryConfiguration,
  SharedMetricDefinition,
  SharedMetricType,
} from './definition.js';
