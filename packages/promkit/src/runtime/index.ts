export { DistributedRuntime, RUNTIME_LOG_TARGET, type DistributedRuntimeOptions } from './distributed-runtime.js';
export { Namespace, Component, Endpoint } from './levels.js';
export { MetricsScope, type ConstLabels, type ExpositionOptions, type RuntimeHistogramOptions, type ScopeLevel } from './scope.js';
export { MetricVec, type CounterVec, type GaugeVec, type HistogramVec } from './vec.js';
export type { UpdateCallback } from './update-callbacks.js';
export { DEFAULT_PREFIX, type AutoLabelNames, type AutoLabelOption } from './naming.js';
export type { SystemServerOptions } from './system-server.js';
export type { CounterChild, GaugeChild, HistogramChild } from '../core/index.js';
