/**
 * A small typed client for the Prometheus HTTP API (`/api/v1/*`), using the
 * global `fetch` of Node 20.
 *
 * Sample values arrive as strings on the wire (`"1"`, `"NaN"`, `"+Inf"`,
 * `"-Inf"`, `"1e+06"`); this client converts them to JavaScript numbers with
 * {@link parseSampleValue}. Timestamps are Unix seconds (floating point), as
 * in the API.
 *
 * @packageDocumentation
 */

/** A label set (including `__name__` when present). */
export type Labels = Record<string, string>;

/**
 * A point in time accepted by the API helpers: a `Date`, Unix **seconds** as a
 * number, or a string passed through verbatim (RFC 3339 or Unix seconds).
 */
export type PromTime = Date | number | string;

/** A duration: seconds as a number, or a Prometheus duration string (`'15s'`, `'1m'`). */
export type PromDuration = number | string;

/** One float sample. */
export interface SamplePoint {
  /** Unix seconds. */
  timestamp: number;
  value: number;
}

/** One bucket of a native histogram, as returned by the API. */
export interface NativeHistogramBucket {
  /** 0: open left, 1: open right, 2: open both, 3: closed both. */
  boundaryRule: number;
  lower: number;
  upper: number;
  count: number;
}

/** A native histogram sample value (only with `--enable-feature=native-histograms`). */
export interface NativeHistogram {
  count: number;
  sum: number;
  buckets: NativeHistogramBucket[];
}

/** One element of an instant vector. */
export interface InstantSample {
  metric: Labels;
  /** Unix seconds. */
  timestamp: number;
  /** The float value; `NaN` when the sample is a native histogram (see `histogram`). */
  value: number;
  histogram?: NativeHistogram;
}

/** One series of a range vector (matrix). */
export interface RangeSeries {
  metric: Labels;
  values: SamplePoint[];
  histograms?: Array<{ timestamp: number; histogram: NativeHistogram }>;
}

/** Result of an instant or range query, discriminated by `resultType`. */
export type QueryResult =
  | { resultType: 'vector'; result: InstantSample[] }
  | { resultType: 'matrix'; result: RangeSeries[] }
  | { resultType: 'scalar'; result: SamplePoint }
  | { resultType: 'string'; result: { timestamp: number; value: string } };

/** Health of a scrape target. */
export type TargetHealth = 'up' | 'down' | 'unknown';

/** An active target from `/api/v1/targets`. */
export interface ActiveTarget {
  discoveredLabels: Labels;
  labels: Labels;
  scrapePool: string;
  scrapeUrl: string;
  globalUrl: string;
  /** Empty string when the last scrape succeeded (or none happened yet). */
  lastError: string;
  /** RFC 3339; `0001-01-01T00:00:00Z` before the first scrape. */
  lastScrape: string;
  /** Seconds. */
  lastScrapeDuration: number;
  health: TargetHealth;
  scrapeInterval: string;
  scrapeTimeout: string;
}

/** A target dropped by relabelling. */
export interface DroppedTarget {
  discoveredLabels: Labels;
}

/** Result of `/api/v1/targets`. */
export interface TargetsResult {
  activeTargets: ActiveTarget[];
  droppedTargets: DroppedTarget[];
}

/** State of an alert. */
export type AlertState = 'firing' | 'pending' | 'inactive';

/** An active alert (`/api/v1/alerts`, or inside an alerting rule). */
export interface Alert {
  labels: Labels;
  annotations: Labels;
  state: AlertState;
  /** RFC 3339. */
  activeAt?: string;
  /** The value of the alert expression when it last fired, as a number. */
  value: number;
}

interface RuleCommon {
  name: string;
  query: string;
  labels?: Labels;
  health: 'ok' | 'err' | 'unknown';
  lastError?: string;
  /** Seconds. */
  evaluationTime: number;
  /** RFC 3339. */
  lastEvaluation: string;
}

/** An alerting rule from `/api/v1/rules`. */
export interface AlertingRule extends RuleCommon {
  type: 'alerting';
  /** The `for` duration, in seconds. */
  duration: number;
  annotations: Labels;
  alerts: Alert[];
  state: AlertState;
}

/** A recording rule from `/api/v1/rules`. */
export interface RecordingRule extends RuleCommon {
  type: 'recording';
}

/** Any rule. */
export type Rule = AlertingRule | RecordingRule;

/** A rule group from `/api/v1/rules`. */
export interface RuleGroup {
  name: string;
  file: string;
  rules: Rule[];
  /** Evaluation interval in seconds. */
  interval: number;
  limit?: number;
  evaluationTime: number;
  lastEvaluation: string;
}

/** One exemplar. */
export interface Exemplar {
  labels: Labels;
  value: number;
  /** Unix seconds. */
  timestamp: number;
}

/** Exemplars of one series from `/api/v1/query_exemplars`. */
export interface ExemplarSeries {
  seriesLabels: Labels;
  exemplars: Exemplar[];
}

/** Metric metadata from `/api/v1/metadata`. */
export interface MetricMetadata {
  type: string;
  help: string;
  unit: string;
}

/** Build information from `/api/v1/status/buildinfo`. */
export interface BuildInfo {
  version: string;
  revision: string;
  branch: string;
  buildUser: string;
  buildDate: string;
  goVersion: string;
}

/** Error returned by the Prometheus API (`"status": "error"`) or a non-JSON/HTTP failure. */
export class PrometheusApiError extends Error {
  override readonly name = 'PrometheusApiError';
  constructor(
    message: string,
    /** HTTP status code. */
    readonly status: number,
    /** API `errorType` (`bad_data`, `execution`, `timeout`, ...), or `http` for non-API failures. */
    readonly errorType: string,
    /** API path that failed, e.g. `/api/v1/query`. */
    readonly endpoint: string,
  ) {
    super(message);
  }
}

/**
 * Parses a sample value as sent by Prometheus: decimal/scientific notation,
 * `NaN`, `+Inf`, `-Inf` (also `Inf`).
 *
 * @throws TypeError on anything else.
 */
export function parseSampleValue(value: string): number {
  switch (value) {
    case 'NaN':
      return Number.NaN;
    case '+Inf':
    case 'Inf':
      return Number.POSITIVE_INFINITY;
    case '-Inf':
      return Number.NEGATIVE_INFINITY;
  }
  const n = value.trim() === '' ? Number.NaN : Number(value);
  if (Number.isNaN(n)) throw new TypeError(`not a Prometheus sample value: ${JSON.stringify(value)}`);
  return n;
}

/** Formats a {@link PromTime} for the API. */
export function formatPromTime(time: PromTime): string {
  if (time instanceof Date) return (time.getTime() / 1000).toFixed(3);
  if (typeof time === 'number') return String(time);
  return time;
}

function formatDuration(d: PromDuration): string {
  return typeof d === 'number' ? String(d) : d;
}

type WirePoint = [number, string];
interface WireHistogram {
  count: string;
  sum: string;
  buckets?: Array<[number, string, string, string]>;
}

function parseHistogram(h: WireHistogram): NativeHistogram {
  return {
    count: parseSampleValue(h.count),
    sum: parseSampleValue(h.sum),
    buckets: (h.buckets ?? []).map(([boundaryRule, lower, upper, count]) => ({
      boundaryRule,
      lower: parseSampleValue(lower),
      upper: parseSampleValue(upper),
      count: parseSampleValue(count),
    })),
  };
}

function parsePoint([timestamp, value]: WirePoint): SamplePoint {
  return { timestamp, value: parseSampleValue(value) };
}

/** Converts the raw `data` of a query response into a typed {@link QueryResult}. */
export function parseQueryData(data: { resultType: string; result: unknown }): QueryResult {
  switch (data.resultType) {
    case 'vector': {
      const raw = data.result as Array<{ metric: Labels; value?: WirePoint; histogram?: [number, WireHistogram] }>;
      return {
        resultType: 'vector',
        result: raw.map((s) => {
          if (s.histogram) {
            return { metric: s.metric, timestamp: s.histogram[0], value: Number.NaN, histogram: parseHistogram(s.histogram[1]) };
          }
          const p = parsePoint(s.value as WirePoint);
          return { metric: s.metric, timestamp: p.timestamp, value: p.value };
        }),
      };
    }
    case 'matrix': {
      const raw = data.result as Array<{ metric: Labels; values?: WirePoint[]; histograms?: Array<[number, WireHistogram]> }>;
      return {
        resultType: 'matrix',
        result: raw.map((s) => {
          const series: RangeSeries = { metric: s.metric, values: (s.values ?? []).map(parsePoint) };
          if (s.histograms) {
            series.histograms = s.histograms.map(([timestamp, h]) => ({ timestamp, histogram: parseHistogram(h) }));
          }
          return series;
        }),
      };
    }
    case 'scalar':
      return { resultType: 'scalar', result: parsePoint(data.result as WirePoint) };
    case 'string': {
      const [timestamp, value] = data.result as [number, string];
      return { resultType: 'string', result: { timestamp, value } };
    }
    default:
      throw new TypeError(`unknown Prometheus resultType ${JSON.stringify(data.resultType)}`);
  }
}

type RawAlert = Omit<Alert, 'value'> & { value: string };
type RawRule = Omit<Rule, 'alerts'> & { alerts?: RawAlert[] };

function parseAlert(a: RawAlert): Alert {
  return { ...a, annotations: a.annotations ?? {}, labels: a.labels ?? {}, value: parseSampleValue(a.value) };
}

/** Options common to the client's requests. */
export interface PrometheusClientOptions {
  /** Per-request timeout in milliseconds (default 10 000). */
  requestTimeoutMs?: number;
}

/** Optional time window for metadata endpoints (`series`, `labels`, `label/<name>/values`). */
export interface TimeWindow {
  start?: PromTime;
  end?: PromTime;
}

/**
 * Typed client for the Prometheus HTTP API at `url` (e.g. `http://127.0.0.1:9090`).
 *
 * Every method rejects with {@link PrometheusApiError} when the API answers
 * `"status": "error"` or with a non-JSON body.
 */
export class PrometheusClient {
  /** Base URL without trailing slash. */
  readonly url: string;
  readonly #timeoutMs: number;

  constructor(url: string, options: PrometheusClientOptions = {}) {
    this.url = url.replace(/\/+$/, '');
    this.#timeoutMs = options.requestTimeoutMs ?? 10_000;
  }

  /**
   * Low-level API call: returns the `data` field of a successful response.
   * `params` with array values are repeated (`match[]=a&match[]=b`).
   */
  async api<T = unknown>(path: string, params: Record<string, string | string[] | undefined> = {}, method: 'GET' | 'POST' = 'GET'): Promise<T> {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) search.append(key, v);
    }
    const endpoint = path.startsWith('/') ? path : `/${path}`;
    const init: RequestInit = { method, signal: AbortSignal.timeout(this.#timeoutMs) };
    let target = `${this.url}${endpoint}`;
    if (method === 'POST') {
      init.body = search;
      init.headers = { 'content-type': 'application/x-www-form-urlencoded' };
    } else if ([...search.keys()].length > 0) {
      target += `?${search.toString()}`;
    }
    const response = await fetch(target, init);
    const text = await response.text();
    let body: { status?: string; data?: unknown; errorType?: string; error?: string };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new PrometheusApiError(`${method} ${endpoint}: HTTP ${response.status}, non-JSON body: ${text.slice(0, 500)}`, response.status, 'http', endpoint);
    }
    if (body.status !== 'success') {
      const detail = params.query ? ` (query: ${String(params.query)})` : '';
      throw new PrometheusApiError(
        `${method} ${endpoint}: ${body.errorType ?? 'error'}: ${body.error ?? text.slice(0, 500)}${detail}`,
        response.status,
        body.errorType ?? 'unknown',
        endpoint,
      );
    }
    return body.data as T;
  }

  /** Instant query (`/api/v1/query`) at `time` (default: now on the server). */
  async query(expr: string, time?: PromTime): Promise<QueryResult> {
    const data = await this.api<{ resultType: string; result: unknown }>(
      '/api/v1/query',
      { query: expr, time: time === undefined ? undefined : formatPromTime(time) },
      'POST',
    );
    return parseQueryData(data);
  }

  /** Instant query that must return a vector; returns its samples. */
  async queryVector(expr: string, time?: PromTime): Promise<InstantSample[]> {
    const r = await this.query(expr, time);
    if (r.resultType !== 'vector') throw new TypeError(`expected a vector from ${expr}, got ${r.resultType}`);
    return r.result;
  }

  /**
   * Instant query returning a single number: the value of a scalar, or of the
   * only element of a vector; `undefined` for an empty vector.
   *
   * @throws TypeError when the vector has more than one element.
   */
  async queryValue(expr: string, time?: PromTime): Promise<number | undefined> {
    const r = await this.query(expr, time);
    if (r.resultType === 'scalar') return r.result.value;
    if (r.resultType !== 'vector') throw new TypeError(`expected a vector or scalar from ${expr}, got ${r.resultType}`);
    if (r.result.length === 0) return undefined;
    if (r.result.length > 1) {
      throw new TypeError(`expected at most one series from ${expr}, got ${r.result.length}: ${JSON.stringify(r.result.map((s) => s.metric))}`);
    }
    return r.result[0]!.value;
  }

  /** Range query (`/api/v1/query_range`). */
  async queryRange(expr: string, start: PromTime, end: PromTime, step: PromDuration): Promise<RangeSeries[]> {
    const data = await this.api<{ resultType: string; result: unknown }>(
      '/api/v1/query_range',
      { query: expr, start: formatPromTime(start), end: formatPromTime(end), step: formatDuration(step) },
      'POST',
    );
    const r = parseQueryData(data);
    if (r.resultType !== 'matrix') throw new TypeError(`expected a matrix from query_range, got ${r.resultType}`);
    return r.result;
  }

  /** Series matching any of the selectors (`/api/v1/series`). */
  series(match: string | string[], window: TimeWindow = {}): Promise<Labels[]> {
    return this.api<Labels[]>('/api/v1/series', { 'match[]': match, ...windowParams(window) }, 'POST');
  }

  /** Label names (`/api/v1/labels`). */
  labelNames(options: TimeWindow & { match?: string | string[] } = {}): Promise<string[]> {
    return this.api<string[]>('/api/v1/labels', { 'match[]': options.match, ...windowParams(options) });
  }

  /** Values of label `name` (`/api/v1/label/<name>/values`), optionally restricted to series matching `match`. */
  labelValues(name: string, options: TimeWindow & { match?: string | string[] } = {}): Promise<string[]> {
    return this.api<string[]>(`/api/v1/label/${encodeURIComponent(name)}/values`, {
      'match[]': options.match,
      ...windowParams(options),
    });
  }

  /** Scrape targets (`/api/v1/targets`). */
  targets(state: 'active' | 'dropped' | 'any' = 'any'): Promise<TargetsResult> {
    return this.api<TargetsResult>('/api/v1/targets', { state });
  }

  /**
   * Exemplars of the series selected by `query` in `[start, end]`
   * (`/api/v1/query_exemplars`). Needs `--enable-feature=exemplar-storage` and
   * targets scraped in OpenMetrics format (the text format has no exemplars).
   */
  async exemplars(query: string, start: PromTime, end: PromTime): Promise<ExemplarSeries[]> {
    const raw = await this.api<Array<{ seriesLabels: Labels; exemplars: Array<{ labels: Labels; value: string; timestamp: number }> }>>(
      '/api/v1/query_exemplars',
      { query, start: formatPromTime(start), end: formatPromTime(end) },
    );
    return (raw ?? []).map((s) => ({
      seriesLabels: s.seriesLabels,
      exemplars: s.exemplars.map((e) => ({ labels: e.labels, value: parseSampleValue(e.value), timestamp: e.timestamp })),
    }));
  }

  /** Rule groups (`/api/v1/rules`), optionally only alerting or recording rules. */
  async rules(type?: 'alert' | 'record'): Promise<RuleGroup[]> {
    const data = await this.api<{ groups: Array<Omit<RuleGroup, 'rules'> & { rules: RawRule[] }> }>('/api/v1/rules', { type });
    return data.groups.map((g) => ({
      ...g,
      rules: g.rules.map((r) => (r.type === 'alerting' ? ({ ...r, alerts: (r.alerts ?? []).map(parseAlert) } as AlertingRule) : (r as RecordingRule))),
    }));
  }

  /** Active (pending and firing) alerts (`/api/v1/alerts`). */
  async alerts(): Promise<Alert[]> {
    const data = await this.api<{ alerts: RawAlert[] }>('/api/v1/alerts');
    return data.alerts.map(parseAlert);
  }

  /** Metric metadata (HELP/TYPE/UNIT) collected from targets (`/api/v1/metadata`). */
  metadata(metric?: string): Promise<Record<string, MetricMetadata[]>> {
    return this.api<Record<string, MetricMetadata[]>>('/api/v1/metadata', { metric });
  }

  /** Build information (`/api/v1/status/buildinfo`). */
  buildInfo(): Promise<BuildInfo> {
    return this.api<BuildInfo>('/api/v1/status/buildinfo');
  }

  /** Command-line flags the server runs with (`/api/v1/status/flags`). */
  flags(): Promise<Record<string, string>> {
    return this.api<Record<string, string>>('/api/v1/status/flags');
  }

  /** `true` when `/-/ready` answers 200 (TSDB opened, config loaded). Never rejects. */
  async isReady(): Promise<boolean> {
    try {
      const response = await fetch(`${this.url}/-/ready`, { signal: AbortSignal.timeout(Math.min(this.#timeoutMs, 2_000)) });
      await response.arrayBuffer();
      return response.status === 200;
    } catch {
      return false;
    }
  }
}

function windowParams(window: TimeWindow): Record<string, string | undefined> {
  return {
    start: window.start === undefined ? undefined : formatPromTime(window.start),
    end: window.end === undefined ? undefined : formatPromTime(window.end),
  };
}
