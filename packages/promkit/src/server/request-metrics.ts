import type { LabelValue } from '../core/label-values.js';
import { Counter } from '../core/counter.js';
import { Histogram } from '../core/histogram.js';
import { Registry } from '../core/registry.js';

/** Exemplar labels, e.g. `{ trace_id, span_id }` of the request's span. */
type ExemplarLabels = Readonly<Record<string, LabelValue>>;

/**
 * Records one served request: its route (not the raw path, to bound cardinality), status
 * code and duration; `exemplar` (shown in OpenMetrics only) links the samples to its trace.
 */
export interface RequestMetrics {
  observe(route: string, statusCode: number, seconds: number, exemplar?: ExemplarLabels): void;
}

/** The factories of a runtime scope that request metrics need (structural, so server does not import runtime). */
export interface VecFactories {
  createCounterVec(
    name: string,
    help: string,
    labelNames: readonly string[],
  ): { withLabelValues(...values: string[]): { inc(value?: number, exemplar?: ExemplarLabels): void } };
  createHistogramVec(
    name: string,
    help: string,
    labelNames: readonly string[],
    constLabels?: undefined,
    buckets?: readonly number[],
  ): { withLabelValues(...values: string[]): { observe(value: number, exemplar?: ExemplarLabels): void } };
}

/** `code`, as Prometheus' own promhttp names it, so existing dashboards and alerts apply. */
export const REQUEST_LABELS = ['path', 'code'] as const;

export const REQUESTS_HELP = 'Requests served by the metrics/status HTTP server, by path and status code';
export const DURATION_HELP = 'Time to answer a request of the metrics/status HTTP server, in seconds';

/**
 * Health probes answer from memory in well under a millisecond; a scrape of a large
 * registry takes milliseconds to a few hundred; anything near the usual 10 s scrape
 * timeout is already an outage. Hence 0.5 ms to 2.5 s.
 */
export const DURATION_BUCKETS: readonly number[] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

function isVecFactories(target: unknown): target is VecFactories {
  const t = target as Partial<VecFactories> | null;
  return t !== null && typeof t === 'object' && typeof t.createCounterVec === 'function' && typeof t.createHistogramVec === 'function';
}

/**
 * Creates `<prefix>_requests_total{path,code}` and
 * `<prefix>_request_duration_seconds{path}` in a core registry, or through a runtime
 * scope's factories (which add the runtime's own prefix, e.g. `dynamo_`). Returns
 * undefined when the target can hold neither.
 */
export function createRequestMetrics(target: unknown, prefix: string): RequestMetrics | undefined {
  if (target instanceof Registry) {
    // Two servers on one registry (e.g. metrics and probes ports) share the metrics.
    const requestsName = `${prefix}_requests_total`;
    const durationName = `${prefix}_request_duration_seconds`;
    const requests =
      (target.getSingleMetric(requestsName) as Counter | undefined) ??
      new Counter({ name: requestsName, help: REQUESTS_HELP, labelNames: REQUEST_LABELS, registers: [target] });
    const duration =
      (target.getSingleMetric(durationName) as Histogram | undefined) ??
      new Histogram({ name: durationName, help: DURATION_HELP, labelNames: ['path'], buckets: DURATION_BUCKETS, registers: [target] });
    return {
      observe(route, statusCode, seconds, exemplar) {
        requests.labels(route, String(statusCode)).inc(1, exemplar);
        duration.labels(route).observe(seconds, exemplar);
      },
    };
  }
  if (isVecFactories(target)) {
    const requests = target.createCounterVec(`${prefix}_requests_total`, REQUESTS_HELP, REQUEST_LABELS);
    const duration = target.createHistogramVec(`${prefix}_request_duration_seconds`, DURATION_HELP, ['path'], undefined, DURATION_BUCKETS);
    return {
      observe(route, statusCode, seconds, exemplar) {
        requests.withLabelValues(route, String(statusCode)).inc(1, exemplar);
        duration.withLabelValues(route).observe(seconds, exemplar);
      },
    };
  }
  return undefined;
}
