export { Counter, CounterImpl, CounterChild, type CounterConfiguration, type IncreaseDataWithExemplar } from './counter.js';
export { Gauge, GaugeImpl, GaugeChild, type GaugeConfiguration } from './gauge.js';
export { Histogram, HistogramImpl, HistogramChild, type HistogramConfiguration, type ObserveDataWithExemplar } from './histogram.js';
export { Summary, SummaryImpl, SummaryChild, type SummaryConfiguration } from './summary.js';
export { Registry, type RegistryConstructor } from './registry-constructor.js';
export {
  // The class itself, as CounterImpl: a declaration file can name the type of `new Registry()` through it.
  Registry as RegistryImpl,
  globalRegistry,
  COLLECT_ERRORS_METRIC,
  type Collector,
  type CustomCollector,
  type CustomMetricJson,
  type RegisteredMetric,
  type CollectErrorHandler,
  type ScrapeOptions,
  type PrometheusContentType,
  type OpenMetricsContentType,
  type RegistryContentType,
} from './registry.js';
export { AggregatorRegistry } from './cluster.js';
export { aggregators, AggregatorFactory, type AggregatorFunction } from './aggregators.js';
export { SERIES_LIMITED_METRIC, SERIES_OVERFLOW_VALUE, SeriesLimitError, type SeriesLimitAction, type SeriesLimitOptions } from './series-limit.js';
export { Metric, type Aggregator, type CollectFunction, type MetricConfiguration, type MetricObjectWithValues, type MetricValue } from './metric.js';
export { linearBuckets, exponentialBuckets, DEFAULT_BUCKETS } from './buckets.js';
export { validateMetricName, validateLabelName } from './validation.js';
export type { LabelValue, LabelValues } from './label-values.js';
export type { LabelTuple } from './typed-labels.js';
export {
  collectDefaultMetrics,
  defaultMetricsNames,
  DEFAULT_GC_DURATION_BUCKETS,
  type DefaultMetricsCollectorConfiguration,
  type DefaultMetricsHandle,
} from './default-metrics/index.js';
export { Pushgateway, PushgatewayError, type PushgatewayOptions, type PushgatewayParameters, type PushgatewayResponse } from './pushgateway.js';
export { setExemplarProvider, type ExemplarProvider } from './exemplar-provider.js';
