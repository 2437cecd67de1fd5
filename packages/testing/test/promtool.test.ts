/**
 * Tests of the promtool wrappers against the real `promtool` binary.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promtool } from '../src/promtool.js';

let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'promkit-promtool-test-'));
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, content: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

const GOOD_RULES = `groups:
  - name: example
    rules:
      - record: job:http_requests:rate5m
        expr: sum by (job) (rate(http_requests_total[5m]))
      - alert: HighErrorRate
        expr: job:http_requests:rate5m > 50
        for: 1m
        labels:
          severity: page
        annotations:
          summary: "High request rate on {{ $labels.job }}"
`;

test('checkMetrics reports a counter without _total and a missing HELP', async () => {
  const result = await promtool.checkMetrics(
    ['# HELP http_requests Requests.', '# TYPE http_requests counter', 'http_requests 1', 'queue_length 3', ''].join('\n'),
  );
  assert.equal(result.ok, false);
  assert.equal(result.exitCode, 3);
  assert.ok(result.problems.includes('http_requests counter metrics should have "_total" suffix'), result.output);
  assert.ok(result.problems.includes('queue_length no help text'), result.output);
  assert.equal(result.problems.length, 2, result.output);
});

test('checkMetrics is clean on good text', async () => {
  const result = await promtool.checkMetrics(
    [
      '# HELP http_requests_total Requests.',
      '# TYPE http_requests_total counter',
      'http_requests_total{code="200"} 1',
      '# HELP queue_length Items waiting.',
      '# TYPE queue_length gauge',
      'queue_length 3',
      '',
    ].join('\n'),
  );
  assert.deepEqual(result.problems, []);
  assert.equal(result.ok, true);
  assert.equal(result.exitCode, 0);
});

test('checkMetrics reports parse errors as problems', async () => {
  const result = await promtool.checkMetrics('broken{ 1\n');
  assert.equal(result.ok, false);
  assert.equal(result.problems.length, 1);
  assert.match(result.problems[0] ?? '', /error while linting: text format parsing error/);
});

test('checkRules passes on good rules and fails on invalid PromQL', async () => {
  const good = await promtool.checkRules(await file('good.yml', GOOD_RULES));
  assert.equal(good.ok, true, good.output);
  assert.match(good.output, /SUCCESS: 2 rules found/);

  const bad = await promtool.checkRules([await file('bad.yml', 'groups:\n  - name: g\n    rules:\n      - record: x\n        expr: sum(rate(foo[5m]) by\n')]);
  assert.equal(bad.ok, false);
  assert.equal(bad.exitCode, 1);
  assert.match(bad.output, /parse error/);
  assert.match(bad.stderr, /bad\.yml/);
});

test('testRules runs a rule unit test file, and reports failures', async () => {
  await file('rules.yml', GOOD_RULES);
  const unitTest = (expectedRate: number): string => `rule_files: [rules.yml]
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'http_requests_total{job="api", instance="a"}'
        values: '0+6000x10'
    promql_expr_test:
      - expr: job:http_requests:rate5m
        eval_time: 10m
        exp_samples:
          - labels: 'job:http_requests:rate5m{job="api"}'
            value: ${expectedRate}
    alert_rule_test:
      - eval_time: 10m
        alertname: HighErrorRate
        exp_alerts:
          - exp_labels: { severity: page, job: api }
            exp_annotations: { summary: "High request rate on api" }
`;
  const pass = await promtool.testRules(await file('pass.test.yml', unitTest(100)));
  assert.equal(pass.ok, true, pass.output);
  assert.match(pass.output, /SUCCESS/);

  const fail = await promtool.testRules([await file('fail.test.yml', unitTest(99))]);
  assert.equal(fail.ok, false);
  assert.match(fail.output, /exp:.*9\.9E\+01/);
  assert.match(fail.output, /got:.*1E\+02/);
});

test('checkConfig validates a Prometheus config', async () => {
  const ok = await promtool.checkConfig(
    await file('ok.yml', 'global: {scrape_interval: 1s}\nscrape_configs:\n  - job_name: a\n    static_configs: [{targets: ["127.0.0.1:1"]}]\n'),
  );
  assert.equal(ok.ok, true, ok.output);
  const bad = await promtool.checkConfig(await file('bad-config.yml', 'scrape_configs:\n  - job_name: a\n    nope: 1\n'));
  assert.equal(bad.ok, false);
  assert.match(bad.output, /field nope not found/);
});

test('version reports the promtool version', async () => {
  assert.match(await promtool.version(), /^promtool, version \d+\.\d+\.\d+/);
});

test('file arguments are required', () => {
  assert.throws(() => promtool.checkRules([]), /at least one file/);
});
