/**
 * Building `prometheus.yml` for the test harness, and choosing the exposition
 * format a test target should serve.
 *
 * ## What Prometheus 2.42 sends, and how to force a format
 *
 * Observed with a logging `node:http` server scraped by Debian's Prometheus
 * 2.42.0, every scrape request carries:
 *
 * ```
 * User-Agent: Prometheus/2.42.0+ds
 * Accept: application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*\/*;q=0.1
 * Accept-Encoding: gzip
 * X-Prometheus-Scrape-Timeout-Seconds: 1
 * ```
 *
 * (`--enable-feature=exemplar-storage` does not change it; with
 * `--enable-feature=native-histograms` the protobuf format is put first:
 * {@link PROMETHEUS_2_42_ACCEPT_NATIVE_HISTOGRAMS}.)
 *
 * Prometheus 2.42 has **no** way to change that header: `scrape_protocols`
 * only arrived in 2.49 and `scrape_classic_histograms` also came later (2.42 rejects
 * both as `field ... not found in type config.ScrapeConfig`). The format is
 * picked by the target: Prometheus chooses its parser from the **response's
 * `Content-Type`** (`application/openmetrics-text` → OpenMetrics parser,
 * anything else → text 0.0.4 parser), whatever it asked for.
 *
 * So the harness forces a format from the target side: the
 * {@link ScrapeTarget.openMetrics} option adds the query parameter
 * `?format=openmetrics` or `?format=text` ({@link EXPOSITION_FORMAT_PARAM}) to
 * the scrape URL through the scrape config's `params:`, and the test server
 * honours it, e.g. with {@link negotiateExpositionFormat}, which falls back to
 * the `Accept` header (so without the parameter Prometheus gets OpenMetrics).
 *
 * @packageDocumentation
 */
import { resolve } from 'node:path';

/** Exposition formats a test target can serve. */
export type ExpositionFormat = 'text' | 'openmetrics';

/** Query parameter used to force a target's exposition format (`?format=text|openmetrics`). */
export const EXPOSITION_FORMAT_PARAM = 'format';

/** `Accept` header sent by Prometheus 2.42 on every scrape (default features). */
export const PROMETHEUS_2_42_ACCEPT =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

/** `Accept` header sent by Prometheus 2.42 with `--enable-feature=native-histograms`. */
export const PROMETHEUS_2_42_ACCEPT_NATIVE_HISTOGRAMS =
  'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited,' +
  'application/openmetrics-text;version=1.0.0;q=0.8,application/openmetrics-text;version=0.0.1;q=0.75,' +
  'text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

/** `Content-Type` of the Prometheus text format 0.0.4. */
export const TEXT_FORMAT_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** `Content-Type` of OpenMetrics 1.0.0. */
export const OPENMETRICS_CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

/** The `Content-Type` to answer with for `format`. */
export function contentTypeFor(format: ExpositionFormat): string {
  return format === 'openmetrics' ? OPENMETRICS_CONTENT_TYPE : TEXT_FORMAT_CONTENT_TYPE;
}

/**
 * Picks the format preferred by an `Accept` header: OpenMetrics when
 * `application/openmetrics-text` is listed explicitly with a q-value at least
 * that of `text/plain`; otherwise text (also for a missing header or `*\/*`).
 */
export function preferredFormatFromAccept(accept: string | undefined): ExpositionFormat {
  if (!accept) return 'text';
  let openMetricsQ = -1;
  let textQ = -1;
  for (const range of accept.split(',')) {
    const [mediaType = '', ...params] = range.split(';').map((p) => p.trim().toLowerCase());
    let q = 1;
    for (const param of params) {
      const [key, value] = param.split('=').map((x) => x.trim());
      if (key === 'q' && value !== undefined) q = Number(value);
    }
    if (!Number.isFinite(q)) continue;
    if (mediaType === 'application/openmetrics-text') openMetricsQ = Math.max(openMetricsQ, q);
    else if (mediaType === 'text/plain') textQ = Math.max(textQ, q);
  }
  return openMetricsQ > 0 && openMetricsQ >= textQ ? 'openmetrics' : 'text';
}

/**
 * Decides which format a scrape request wants: the
 * `?format=text|openmetrics` query parameter ({@link EXPOSITION_FORMAT_PARAM})
 * when present, else the `Accept` header ({@link preferredFormatFromAccept}).
 *
 * Accepts a `node:http` `IncomingMessage` (or anything with `url` and `headers`).
 */
export function negotiateExpositionFormat(request: { url?: string | undefined; headers: { accept?: string | string[] | undefined } }): ExpositionFormat {
  const query = new URL(request.url ?? '/', 'http://localhost').searchParams.get(EXPOSITION_FORMAT_PARAM);
  const forced = query?.toLowerCase();
  if (forced === 'text' || forced === 'prometheus') return 'text';
  if (forced === 'openmetrics' || forced === 'om') return 'openmetrics';
  const accept = request.headers.accept;
  return preferredFormatFromAccept(Array.isArray(accept) ? accept.join(',') : accept);
}

/** A target to scrape, described by its URL. */
export interface ScrapeTarget {
  /** `job_name` (and `job` label). Several targets may share a job if their scrape settings are equal. */
  job: string;
  /**
   * Full scrape URL, e.g. `http://127.0.0.1:1234/metrics`. Path → `metrics_path`,
   * query parameters → `params`, `user:pass@` → `basic_auth`.
   */
  url: string;
  /** Overrides the URL's scheme. */
  scheme?: 'http' | 'https';
  /** Sent as `Authorization: Bearer <token>`. */
  bearerToken?: string;
  /** `tls_config.insecure_skip_verify` (self-signed test certificates). */
  tlsInsecure?: boolean;
  /**
   * Force the exposition format: `true` adds `?format=openmetrics`, `false`
   * adds `?format=text` (the target must honour the parameter, see
   * {@link negotiateExpositionFormat}). Unset: no parameter; Prometheus 2.42's
   * `Accept` header prefers OpenMetrics.
   */
  openMetrics?: boolean;
  /** Extra target labels. */
  labels?: Record<string, string>;
  /** Per-job `scrape_interval` (default: the global one). */
  scrapeInterval?: string;
  /** Per-job `scrape_timeout` (must not exceed the interval). */
  scrapeTimeout?: string;
  /** `honor_labels`. */
  honorLabels?: boolean;
  /** `honor_timestamps` (Prometheus default: true). */
  honorTimestamps?: boolean;
}

/** A raw `scrape_configs` entry (snake_case, as in `prometheus.yml`). */
export type ScrapeConfig = Record<string, unknown>;

/** Converts one {@link ScrapeTarget} into a `scrape_configs` entry. */
export function targetToScrapeConfig(target: ScrapeTarget): ScrapeConfig {
  let url: URL;
  try {
    url = new URL(target.url);
  } catch {
    throw new TypeError(`target ${target.job}: invalid url ${JSON.stringify(target.url)}`);
  }
  const scheme = target.scheme ?? url.protocol.replace(/:$/, '');
  if (scheme !== 'http' && scheme !== 'https') {
    throw new TypeError(`target ${target.job}: unsupported scheme ${JSON.stringify(scheme)} (http or https)`);
  }
  const port = url.port || (scheme === 'https' ? '443' : '80');
  const address = `${url.hostname}:${port}`;
  const params: Record<string, string[]> = {};
  for (const [key, value] of url.searchParams) {
    params[key] ??= [];
    params[key].push(value);
  }
  if (target.openMetrics !== undefined) {
    params[EXPOSITION_FORMAT_PARAM] = [target.openMetrics ? 'openmetrics' : 'text'];
  }
  const config: ScrapeConfig = {
    job_name: target.job,
    scheme,
    metrics_path: url.pathname || '/',
  };
  if (Object.keys(params).length > 0) config.params = params;
  if (target.scrapeInterval !== undefined) config.scrape_interval = target.scrapeInterval;
  if (target.scrapeTimeout !== undefined) config.scrape_timeout = target.scrapeTimeout;
  if (target.honorLabels !== undefined) config.honor_labels = target.honorLabels;
  if (target.honorTimestamps !== undefined) config.honor_timestamps = target.honorTimestamps;
  if (url.username !== '') {
    config.basic_auth = { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) };
  }
  if (target.bearerToken !== undefined) config.authorization = { type: 'Bearer', credentials: target.bearerToken };
  if (target.tlsInsecure) config.tls_config = { insecure_skip_verify: true };
  const staticConfig: Record<string, unknown> = { targets: [address] };
  if (target.labels && Object.keys(target.labels).length > 0) staticConfig.labels = { ...target.labels };
  config.static_configs = [staticConfig];
  return config;
}

/**
 * Converts targets to `scrape_configs`, merging targets of the same job.
 *
 * @throws TypeError when two targets of one job need different scrape settings
 *   (Prometheus requires unique `job_name`s).
 */
export function targetsToScrapeConfigs(targets: readonly ScrapeTarget[]): ScrapeConfig[] {
  const byJob = new Map<string, ScrapeConfig>();
  for (const target of targets) {
    const config = targetToScrapeConfig(target);
    const existing = byJob.get(target.job);
    if (!existing) {
      byJob.set(target.job, config);
      continue;
    }
    const { static_configs: newStatic, ...newRest } = config;
    const { static_configs: oldStatic, ...oldRest } = existing;
    if (JSON.stringify(newRest) !== JSON.stringify(oldRest)) {
      throw new TypeError(
        `targets of job ${JSON.stringify(target.job)} need different scrape settings ` +
          `(${JSON.stringify(oldRest)} vs ${JSON.stringify(newRest)}); use distinct job names`,
      );
    }
    (oldStatic as unknown[]).push(...(newStatic as unknown[]));
  }
  return [...byJob.values()];
}

/** Inputs of {@link buildPrometheusConfig}. */
export interface PrometheusConfigInput {
  scrapeConfigs?: readonly ScrapeConfig[];
  targets?: readonly ScrapeTarget[];
  /** Global `scrape_interval` (default `'1s'`). */
  scrapeInterval?: string;
  /** Global `evaluation_interval` (default `'1s'`). */
  evaluationInterval?: string;
  /** Rule files; relative paths are resolved against `process.cwd()`. */
  ruleFiles?: readonly string[];
  /** `global.external_labels`. */
  externalLabels?: Record<string, string>;
  /** Extra top-level keys merged into the config (e.g. `remote_write`, `storage`). */
  extraConfig?: Record<string, unknown>;
}

/**
 * Builds the configuration object written to `prometheus.yml`.
 *
 * `scrape_timeout` is left unset globally: Prometheus then uses
 * `min(10s, scrape_interval)`.
 */
export function buildPrometheusConfig(input: PrometheusConfigInput): Record<string, unknown> {
  const scrapeConfigs = [...(input.scrapeConfigs ?? []), ...targetsToScrapeConfigs(input.targets ?? [])];
  const jobs = new Set<string>();
  for (const config of scrapeConfigs) {
    const job = config.job_name;
    if (typeof job !== 'string' || job === '') throw new TypeError(`scrape config without job_name: ${JSON.stringify(config)}`);
    if (jobs.has(job)) throw new TypeError(`duplicate job_name ${JSON.stringify(job)}`);
    jobs.add(job);
  }
  const global: Record<string, unknown> = {
    scrape_interval: input.scrapeInterval ?? '1s',
    evaluation_interval: input.evaluationInterval ?? '1s',
  };
  if (input.externalLabels) global.external_labels = { ...input.externalLabels };
  const config: Record<string, unknown> = { global };
  if (input.ruleFiles && input.ruleFiles.length > 0) config.rule_files = input.ruleFiles.map((f) => resolve(f));
  config.scrape_configs = scrapeConfigs;
  return { ...config, ...(input.extraConfig ?? {}) };
}

/** Job names of `scrape_configs` entries. */
export function jobNamesOf(scrapeConfigs: readonly ScrapeConfig[]): string[] {
  return scrapeConfigs.map((c) => c.job_name).filter((j): j is string => typeof j === 'string');
}
