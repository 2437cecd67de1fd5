/**
 * Unit tests (no binaries) for config generation, format negotiation and
 * sample value parsing.
 */
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { test } from 'node:test';
import {
  PROMETHEUS_2_42_ACCEPT,
  PROMETHEUS_2_42_ACCEPT_NATIVE_HISTOGRAMS,
  buildPrometheusConfig,
  negotiateExpositionFormat,
  parseQueryData,
  parseSampleValue,
  preferredFormatFromAccept,
  targetToScrapeConfig,
  targetsToScrapeConfigs,
} from '../src/prometheus.js';

test('targetToScrapeConfig maps URL parts and options', () => {
  assert.deepEqual(
    targetToScrapeConfig({
      job: 'app',
      url: 'https://user:p%40ss@localhost:8443/custom/metrics?module=x&module=y',
      bearerToken: 't0k',
      tlsInsecure: true,
      openMetrics: false,
      labels: { env: 'test' },
      scrapeInterval: '500ms',
      scrapeTimeout: '400ms',
      honorLabels: true,
    }),
    {
      job_name: 'app',
      scheme: 'https',
      metrics_path: '/custom/metrics',
      params: { module: ['x', 'y'], format: ['text'] },
      scrape_interval: '500ms',
      scrape_timeout: '400ms',
      honor_labels: true,
      basic_auth: { username: 'user', password: 'p@ss' },
      authorization: { type: 'Bearer', credentials: 't0k' },
      tls_config: { insecure_skip_verify: true },
      static_configs: [{ targets: ['localhost:8443'], labels: { env: 'test' } }],
    },
  );
  assert.deepEqual(targetToScrapeConfig({ job: 'a', url: 'http://127.0.0.1/metrics', openMetrics: true }), {
    job_name: 'a',
    scheme: 'http',
    metrics_path: '/metrics',
    params: { format: ['openmetrics'] },
    static_configs: [{ targets: ['127.0.0.1:80'] }],
  });
  assert.throws(() => targetToScrapeConfig({ job: 'a', url: 'not a url' }), /invalid url/);
  assert.throws(() => targetToScrapeConfig({ job: 'a', url: 'ftp://h/x' }), /unsupported scheme/);
});

test('targets of one job are merged; conflicting settings are rejected', () => {
  const merged = targetsToScrapeConfigs([
    { job: 'a', url: 'http://127.0.0.1:1/metrics' },
    { job: 'a', url: 'http://127.0.0.1:2/metrics' },
    { job: 'b', url: 'http://127.0.0.1:3/metrics' },
  ]);
  assert.equal(merged.length, 2);
  assert.deepEqual(merged[0]?.static_configs, [{ targets: ['127.0.0.1:1'] }, { targets: ['127.0.0.1:2'] }]);
  assert.throws(
    () =>
      targetsToScrapeConfigs([
        { job: 'a', url: 'http://127.0.0.1:1/metrics' },
        { job: 'a', url: 'http://127.0.0.1:2/other' },
      ]),
    /different scrape settings/,
  );
});

test('buildPrometheusConfig: defaults, rule files, duplicate jobs', () => {
  const config = buildPrometheusConfig({
    scrapeConfigs: [{ job_name: 'raw', static_configs: [{ targets: ['127.0.0.1:9'] }] }],
    targets: [{ job: 't', url: 'http://127.0.0.1:10/metrics' }],
    ruleFiles: ['rules/a.yml'],
    externalLabels: { cluster: 'test' },
  });
  assert.deepEqual(config.global, { scrape_interval: '1s', evaluation_interval: '1s', external_labels: { cluster: 'test' } });
  assert.deepEqual(config.rule_files, [resolve('rules/a.yml')]);
  assert.deepEqual(
    (config.scrape_configs as Array<{ job_name: string }>).map((c) => c.job_name),
    ['raw', 't'],
  );
  assert.throws(() => buildPrometheusConfig({ scrapeConfigs: [{ job_name: 't' }], targets: [{ job: 't', url: 'http://h:1/' }] }), /duplicate job_name "t"/);
  assert.throws(() => buildPrometheusConfig({ scrapeConfigs: [{}] }), /without job_name/);
});

test('format negotiation: Accept q-values and the ?format= override', () => {
  assert.equal(preferredFormatFromAccept(PROMETHEUS_2_42_ACCEPT), 'openmetrics');
  assert.equal(preferredFormatFromAccept(PROMETHEUS_2_42_ACCEPT_NATIVE_HISTOGRAMS), 'openmetrics');
  assert.equal(preferredFormatFromAccept(undefined), 'text');
  assert.equal(preferredFormatFromAccept('*/*'), 'text');
  assert.equal(preferredFormatFromAccept('text/plain;version=0.0.4'), 'text');
  assert.equal(preferredFormatFromAccept('application/openmetrics-text;q=0.3,text/plain;q=0.9'), 'text');
  assert.equal(preferredFormatFromAccept('application/openmetrics-text;q=0'), 'text');
  const headers = { accept: PROMETHEUS_2_42_ACCEPT };
  assert.equal(negotiateExpositionFormat({ url: '/metrics', headers }), 'openmetrics');
  assert.equal(negotiateExpositionFormat({ url: '/metrics?format=text', headers }), 'text');
  assert.equal(negotiateExpositionFormat({ url: '/metrics?format=openmetrics', headers: {} }), 'openmetrics');
  assert.equal(negotiateExpositionFormat({ url: '/metrics?format=bogus', headers: {} }), 'text');
});

test('parseSampleValue handles Prometheus float spellings', () => {
  assert.ok(Number.isNaN(parseSampleValue('NaN')));
  assert.equal(parseSampleValue('+Inf'), Infinity);
  assert.equal(parseSampleValue('-Inf'), -Infinity);
  assert.equal(parseSampleValue('1e+06'), 1e6);
  assert.equal(parseSampleValue('-0.5'), -0.5);
  assert.throws(() => parseSampleValue('abc'), TypeError);
  assert.throws(() => parseSampleValue(''), TypeError);
});

test('parseQueryData converts every result type', () => {
  assert.deepEqual(parseQueryData({ resultType: 'vector', result: [{ metric: { a: 'b' }, value: [10.5, '+Inf'] }] }), {
    resultType: 'vector',
    result: [{ metric: { a: 'b' }, timestamp: 10.5, value: Infinity }],
  });
  assert.deepEqual(
    parseQueryData({
      resultType: 'matrix',
      result: [
        {
          metric: {},
          values: [
            [1, '1'],
            [2, '-Inf'],
          ],
        },
      ],
    }),
    {
      resultType: 'matrix',
      result: [
        {
          metric: {},
          values: [
            { timestamp: 1, value: 1 },
            { timestamp: 2, value: -Infinity },
          ],
        },
      ],
    },
  );
  assert.deepEqual(parseQueryData({ resultType: 'scalar', result: [3, '4'] }), { resultType: 'scalar', result: { timestamp: 3, value: 4 } });
  assert.deepEqual(parseQueryData({ resultType: 'string', result: [3, 'x'] }), { resultType: 'string', result: { timestamp: 3, value: 'x' } });
  const hist = parseQueryData({
    resultType: 'vector',
    result: [{ metric: {}, histogram: [5, { count: '2', sum: '3.5', buckets: [[0, '0.5', '1', '2']] }] }],
  });
  assert.equal(hist.resultType, 'vector');
  assert.deepEqual(hist.resultType === 'vector' && hist.result[0]?.histogram, {
    count: 2,
    sum: 3.5,
    buckets: [{ boundaryRule: 0, lower: 0.5, upper: 1, count: 2 }],
  });
  assert.throws(() => parseQueryData({ resultType: 'nope', result: [] }), /unknown Prometheus resultType/);
});
