/**
 * The public `Registry`, typed as prom-client's typings type it: `new Registry()` is a
 * `Registry<PrometheusContentType>` (prom-client's default type argument) and
 * `new Registry(contentType)` a registry of that content type. Libraries typed against
 * prom-client ask for `Registry<PrometheusContentType>` (fastify-metrics'
 * `defaultMetrics.register`), which a registry typed with both content types is not.
 * As a type, `Registry` alone still means a registry of either content type, which is
 * what promkit's own functions take.
 */
import { Registry as RegistryClass, type OpenMetricsContentType, type PrometheusContentType, type RegistryContentType } from './registry.js';

export interface RegistryConstructor {
  new (contentType?: undefined): RegistryClass<PrometheusContentType>;
  new <T extends RegistryContentType>(contentType?: T): RegistryClass<T>;
  readonly prototype: RegistryClass;
  readonly PROMETHEUS_CONTENT_TYPE: PrometheusContentType;
  readonly OPENMETRICS_CONTENT_TYPE: OpenMetricsContentType;
  readonly merge: typeof RegistryClass.merge;
}

export const Registry = RegistryClass as RegistryConstructor;
export type Registry<T extends RegistryContentType = RegistryContentType> = RegistryClass<T>;
