/**
 * End-to-end tests of the Prometheus harness against the real `prometheus`
 * binary. One Prometheus is shared by the whole file (Prometheus 2.42 needs
 * ~5 s before the first scrape), scraping a tiny node:http server with
 * several jobs: text 0.0.4, OpenMetrics, negotiated format, bearer auth and a
 * target that is down.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import {
  PrometheusApiError,
  PrometheusTimeoutError,
  contentTypeFor,
  freePort,
  negotiateExpositionFormat,
  preferredFormatFromAccept,
  promtool,
  startPrometheus,
  waitUntil,
  type AlertingRule,
  type RunningPrometheus,
} from '../src/prometheus.js';

/** The label value every format must round-trip: quote, backslash, newline, unicode. */
const WEIRD = 'quote " backslash \\ newline \n unicode é ✓ 😀';

const TEXT_BODY = String.raw`# HELP promkit_text_requests_total Total requests, with a backslash \\ and a newline \n in HELP.
# TYPE promkit_text_requests_total counter
promkit_text_requests_total{code="200"} 42
promkit_text_requests_total{code="500"} 3
# HELP promkit_text_weird Label values that need escaping.
# TYPE promkit_text_weird gauge
promkit_text_weird{v="quote \" backslash \\ newline \n unicode é ✓ 😀"} 1
# HELP promkit_text_special Special float values.
# TYPE promkit_text_special gauge
promkit_text_special{kind="nan"} NaN
promkit_text_special{kind="inf"} +Inf
promkit_text_special{kind="ninf"} -Inf
promkit_text_special{kind="small"} 1.5e-3
promkit_text_special{kind="neg"} -7
# HELP promkit_text_latency_seconds A histogram.
# TYPE promkit_text_latency_seconds histogram
promkit_text_latency_seconds_bucket{le="0.1"} 1
promkit_text_latency_seconds_bucket{le="1"} 3
promkit_text_latency_seconds_bucket{le="+Inf"} 4
promkit_text_latency_seconds_sum 2.5
promkit_text_latency_seconds_count 4
`;

const OPENMETRICS_BODY = String.raw`# TYPE promkit_om_events counter
# HELP promkit_om_events Events seen.
promkit_om_events_total{kind="a"} 5 # {trace_id="abc123"} 1.0
# TYPE promkit_om_weird gauge
# HELP promkit_om_weird Label values that need escaping.
promkit_om_weird{v="quote \" backslash \\ newline \n unicode é ✓ 😀"} 2
# EOF
`;

function negotiatedBody(format: 'text' | 'openmetrics'): string {
  if (format === 'text') {
    return [
      '# HELP promkit_neg_requests_total Requests.',
      '# TYPE promkit_neg_requests_total counter',
      'promkit_neg_requests_total 7',
      '# HELP promkit_neg_format Which format was served.',
      '# TYPE promkit_neg_format gauge',
      'promkit_neg_format{format="text"} 1',
      '',
    ].join('\n');
  }
  return [
    '# TYPE promkit_neg_requests counter',
    '# HELP promkit_neg_requests Requests.',
    'promkit_neg_requests_total 7',
    '# TYPE promkit_neg_format gauge',
    '# HELP promkit_neg_format Which format was served.',
    'promkit_neg_format{format="openmetrics"} 1',
    '# EOF',
    '',
  ].join('\n');
}

interface SeenRequest {
  url: string;
  accept: string | undefined;
  authorization: string | undefined;
  userAgent: string | undefined;
}

const seen: SeenRequest[] = [];
const TOKEN = 'sekret-token';

const server = http.createServer((req, res) => {
  seen.push({
    url: req.url ?? '',
    accept: req.headers.accept,
    authorization: req.headers.authorization,
    userAgent: req.headers['user-agent'],
  });
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  const send = (contentType: string, body: string): void => {
    res.writeHead(200, { 'content-type': contentType });
    res.end(body);
  };
  switch (path) {
    case '/text':
      return send(contentTypeFor('text'), TEXT_BODY);
    case '/om':
      return send(contentTypeFor('openmetrics'), OPENMETRICS_BODY);
    case '/negotiated': {
      const format = negotiateExpositionFormat(req);
      return send(contentTypeFor(format), negotiatedBody(format));
    }
    case '/secure':
      if (req.headers.authorization !== `Bearer ${TOKEN}`) {
        res.writeHead(401).end('unauthorized');
        return;
      }
      return send(contentTypeFor('text'), '# HELP promkit_secure_ok Auth worked.\n# TYPE promkit_secure_ok gauge\npromkit_secure_ok 1\n');
    default:
      res.writeHead(404).end('not found');
  }
});

const HEALTHY = ['text', 'om', 'neg-default', 'neg-text', 'neg-om', 'secure'];
let prom: RunningPrometheus;
let base: string;

before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const deadPort = await freePort(); // nothing listens there
  prom = await startPrometheus({
    scrapeInterval: '1s',
    evaluationInterval: '1s',
    features: ['exemplar-storage'],
    targets: [
      { job: 'text', url: `${base}/text` },
      { job: 'om', url: `${base}/om` },
      { job: 'neg-default', url: `${base}/negotiated` },
      { job: 'neg-text', url: `${base}/negotiated`, openMetrics: false },
      { job: 'neg-om', url: `${base}/negotiated`, openMetrics: true },
      { job: 'secure', url: `${base}/secure`, bearerToken: TOKEN },
      { job: 'down', url: `http://127.0.0.1:${deadPort}/metrics` },
    ],
    ruleGroups: [
      {
        name: 'promkit-test',
        interval: '1s',
        rules: [
          { record: 'job:promkit_text_requests:sum', expr: 'sum by (job) (promkit_text_requests_total)' },
          {
            alert: 'PromkitAlwaysFiring',
            expr: 'vector(1)',
            labels: { severity: 'none' },
            annotations: { summary: 'always firing' },
          },
        ],
      },
    ],
  });
  await prom.waitForTargetsUp({ job: HEALTHY, timeoutMs: 15_000 });
  await prom.waitForScrapes(2, { job: HEALTHY, timeoutMs: 10_000 });
});

after(async () => {
  await prom?.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('startPrometheus against a node:http target', () => {
  test('healthy targets are up and up == 1', async () => {
    const targets = await prom.waitForTargetsUp({ job: HEALTHY, timeoutMs: 1_000 });
    assert.deepEqual(new Set(targets.map((t) => t.scrapePool)), new Set(HEALTHY));
    const up = await prom.queryVector('up');
    for (const job of HEALTHY) {
      const sample = up.find((s) => s.metric.job === job);
      assert.ok(sample, `up series for job ${job}`);
      assert.equal(sample.value, 1, `up{job="${job}"}`);
    }
    assert.equal(up.find((s) => s.metric.job === 'down')?.value, 0);
    const scrapes = await prom.queryValue('count_over_time(up{job="text"}[1h])');
    assert.ok(scrapes !== undefined && scrapes >= 2, `at least 2 scrapes recorded, got ${scrapes}`);
  });

  test('text 0.0.4 values are read back, including NaN and ±Inf', async () => {
    assert.equal(await prom.queryValue('promkit_text_requests_total{code="200"}'), 42);
    assert.equal(await prom.queryValue('sum(promkit_text_requests_total)'), 45);
    const special = await prom.queryVector('promkit_text_special');
    const byKind = Object.fromEntries(special.map((s) => [s.metric.kind, s.value]));
    assert.ok(Number.isNaN(byKind.nan), `NaN, got ${byKind.nan}`);
    assert.equal(byKind.inf, Infinity);
    assert.equal(byKind.ninf, -Infinity);
    assert.equal(byKind.small, 0.0015);
    assert.equal(byKind.neg, -7);
    assert.deepEqual(await prom.labelValues('le', { match: 'promkit_text_latency_seconds_bucket' }), ['+Inf', '0.1', '1']);
    assert.equal(await prom.queryValue('promkit_text_latency_seconds_count'), 4);
    const median = await prom.queryValue('histogram_quantile(0.5, promkit_text_latency_seconds_bucket)');
    assert.ok(median !== undefined && median > 0.1 && median <= 1, `median ${median}`);
  });

  test('HELP text survives (escaped backslash and newline)', async () => {
    const metadata = await prom.metadata('promkit_text_requests_total');
    assert.deepEqual(metadata.promkit_text_requests_total?.[0], {
      type: 'counter',
      help: 'Total requests, with a backslash \\ and a newline \n in HELP.',
      unit: '',
    });
  });

  test('label values with quotes, backslashes, newlines and unicode survive (text and OpenMetrics)', async () => {
    for (const metric of ['promkit_text_weird', 'promkit_om_weird']) {
      assert.deepEqual(await prom.labelValues('v', { match: metric }), [WEIRD], metric);
      const [sample, ...rest] = await prom.queryVector(metric);
      assert.equal(rest.length, 0);
      assert.equal(sample?.metric.v, WEIRD);
      const series = await prom.series([`${metric}{v=${JSON.stringify(WEIRD)}}`]);
      assert.equal(series.length, 1, `selector with the escaped value finds ${metric}`);
    }
  });

  test('OpenMetrics with # EOF is parsed and its exemplars are stored', async () => {
    assert.equal(await prom.queryValue('promkit_om_events_total{kind="a"}'), 5);
    const end = new Date(Date.now() + 60_000);
    const exemplarSeries = await prom.exemplars('promkit_om_events_total', prom.startedAt.getTime() / 1000 - 60, end);
    assert.equal(exemplarSeries.length, 1);
    assert.equal(exemplarSeries[0]?.seriesLabels.__name__, 'promkit_om_events_total');
    const exemplar = exemplarSeries[0]?.exemplars[0];
    assert.deepEqual(exemplar?.labels, { trace_id: 'abc123' });
    assert.equal(exemplar?.value, 1);
  });

  test('Prometheus prefers OpenMetrics in Accept; openMetrics:false/true force the format via ?format=', async () => {
    const scrapes = seen.filter((r) => r.url.startsWith('/negotiated'));
    assert.ok(scrapes.length > 0);
    for (const r of scrapes) {
      assert.match(r.userAgent ?? '', /^Prometheus\//);
      assert.equal(preferredFormatFromAccept(r.accept), 'openmetrics', `Accept: ${r.accept}`);
    }
    assert.ok(scrapes.some((r) => r.url === '/negotiated?format=text'));
    assert.ok(scrapes.some((r) => r.url === '/negotiated?format=openmetrics'));
    assert.ok(scrapes.some((r) => r.url === '/negotiated'));
    const formats = await prom.queryVector('promkit_neg_format');
    const byJob = Object.fromEntries(formats.map((s) => [s.metric.job, s.metric.format]));
    assert.deepEqual(byJob, { 'neg-default': 'openmetrics', 'neg-text': 'text', 'neg-om': 'openmetrics' });
    // The same counter reads back identically from both formats.
    const counters = await prom.queryVector('promkit_neg_requests_total');
    assert.deepEqual(
      counters.map((s) => s.value),
      [7, 7, 7],
    );
  });

  test('bearer token is sent to the target', async () => {
    assert.equal(await prom.queryValue('promkit_secure_ok'), 1);
    assert.ok(seen.some((r) => r.url === '/secure' && r.authorization === `Bearer ${TOKEN}`));
  });

  test('waitForTargetsUp reports the lastError of a down target', async () => {
    // Wait until the down target has been scraped once (before that its lastError is empty).
    await waitUntil(async () => (await prom.targets()).activeTargets.find((t) => t.scrapePool === 'down' && t.health === 'down'), {
      timeoutMs: 10_000,
      description: 'down target to be scraped',
    });
    await assert.rejects(prom.waitForTargetsUp({ job: 'down', timeoutMs: 300 }), (err: unknown) => {
      assert.ok(err instanceof PrometheusTimeoutError, String(err));
      assert.match(err.message, /job "down" http:\/\/127\.0\.0\.1:\d+\/metrics: health=down/);
      assert.match(err.message, /connection refused/);
      assert.equal(err.targets[0]?.health, 'down');
      return true;
    });
    // ...and waitForScrapes names the failing target too.
    await assert.rejects(prom.waitForScrapes(1, { job: 'down', timeoutMs: 300 }), /connection refused/);
  });

  test('query result types: vector, matrix, scalar, string; queryRange', async () => {
    const matrix = await prom.query('up{job="text"}[1m]');
    assert.equal(matrix.resultType, 'matrix');
    assert.ok(matrix.resultType === 'matrix' && (matrix.result[0]?.values.length ?? 0) >= 2);
    const scalar = await prom.query('1 + 1');
    assert.deepEqual(scalar.resultType === 'scalar' && scalar.result.value, 2);
    const str = await prom.query('"hello"');
    assert.deepEqual(str.resultType === 'string' && str.result.value, 'hello');
    const now = Date.now() / 1000;
    const range = await prom.queryRange('up{job="text"}', now - 30, now, 1);
    assert.equal(range.length, 1);
    assert.ok(range[0]!.values.length >= 2);
    assert.ok(range[0]!.values.every((p) => p.value === 1));
    const fixedTime = await prom.query('time()', 1_700_000_000);
    assert.deepEqual(fixedTime.resultType === 'scalar' && fixedTime.result, { timestamp: 1_700_000_000, value: 1_700_000_000 });
  });

  test('invalid PromQL is a PrometheusApiError', async () => {
    await assert.rejects(prom.query('sum(rate(foo[5m]) by'), (err: unknown) => {
      assert.ok(err instanceof PrometheusApiError);
      assert.equal(err.errorType, 'bad_data');
      assert.equal(err.status, 400);
      return true;
    });
  });

  test('recording and alerting rules are evaluated', async () => {
    const recorded = await waitUntil(async () => prom.queryValue('job:promkit_text_requests:sum{job="text"}'), {
      timeoutMs: 5_000,
      description: 'recording rule result',
    });
    assert.equal(recorded, 45);
    const alert = await waitUntil(async () => (await prom.alerts()).find((a) => a.labels.alertname === 'PromkitAlwaysFiring' && a.state === 'firing'), {
      timeoutMs: 5_000,
      description: 'PromkitAlwaysFiring to fire',
    });
    assert.equal(alert.annotations.summary, 'always firing');
    assert.equal(alert.value, 1);
    const groups = await prom.rules();
    assert.equal(groups.length, 1);
    assert.equal(groups[0]?.name, 'promkit-test');
    assert.equal(groups[0]?.interval, 1);
    const [recording, alerting] = groups[0]!.rules;
    assert.equal(recording?.type, 'recording');
    assert.equal(recording?.health, 'ok');
    assert.equal(alerting?.type, 'alerting');
    assert.equal((alerting as AlertingRule).state, 'firing');
    assert.equal((await prom.rules('record'))[0]?.rules.length, 1);
  });

  test('the hand-written text exposition is lint-clean for promtool', async () => {
    const result = await promtool.checkMetrics(TEXT_BODY);
    assert.deepEqual(result.problems, []);
    assert.equal(result.ok, true);
  });

  test('the generated config passes promtool check config', async () => {
    const result = await promtool.checkConfig(prom.configPath);
    assert.equal(result.ok, true, result.output);
  });
});
