import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { allCatalogs } from '@promkit/catalogs';
import { allBundles } from '../src/bundles.js';
import { expandGrafanaVariables } from '../src/promql/grafana-variables.js';
import { expressionsIn } from '../src/promql/extract.js';
import { lintPromql } from '../src/promql/lint.js';
import { allRules } from '../src/rules/rule-file.js';
import { isAlert } from '../src/rules/types.js';
import { artifacts, known } from './helpers.js';

const problems = (expr: string): readonly string[] => lintPromql(expr, known).problems;

describe('lintPromql', () => {
  it("rejects the spec's `rate(x[5m]) by (y)`", () => {
    assert.match(problems('rate(datamover_operations_total[5m]) by (phase)')[0]!, /syntax error .* near 'by \(phase\)'/);
  });

  it('rejects names no catalog declares, and bare histogram names', () => {
    assert.match(problems('rate(datamover_operation_total[5m])')[0]!, /unknown metric 'datamover_operation_total'/);
    assert.match(problems('modal_job_duration_seconds > 3600')[0]!, /is a histogram: .* select modal_job_duration_seconds_bucket/);
  });

  it('rejects labels a metric lacks and undocumented values of enumerated labels', () => {
    assert.match(problems('datamover_cleanup_operations_total{phase="CleaningUp"}')[0]!, /has no label 'phase'/);
    assert.match(problems('datamover_operations_total{status=~"success|failed"}')[0]!, /'failed' is not a documented value of status/);
    assert.match(problems('datamover_phase_duration_seconds_sum{le="1"}')[0]!, /has no label 'le'/);
  });

  it('accepts target labels, le on buckets, outside metrics and recording rules', () => {
    assert.deepEqual(problems('datamover_phase_duration_seconds_bucket{le="+Inf", job="datamover-operator", instance="x"}'), []);
    assert.deepEqual(problems('up{job="modal-operator"} == 0'), []);
    assert.deepEqual(problems('datamover:operations_success_rate:1h < 0.9'), []);
  });

  it('rejects binary operations that cannot match: self-division and different label sets', () => {
    assert.match(problems('rate(modal_jobs_total{status="failed"}[5m]) / rate(modal_jobs_total[5m])')[0]!, /divides each modal_jobs_total series by itself/);
    assert.match(
      problems('rate(modal_i6pn_jobs_total[5m]) / rate(modal_jobs_total[5m])')[0]!,
      /different labels, \{instance, job, replicas\} vs \{gpu_type, instance, job, replicas, status\}/,
    );
    assert.match(problems('sum(modal_jobs_active) == 0 and rate(modal_jobs_total[5m]) > 0')[0]!, /different labels, \{\} vs/);
    for (const fine of [
      'rate(datamover_phase_duration_seconds_sum[5m]) / rate(datamover_phase_duration_seconds_count[5m])',
      'sum by (phase) (rate(datamover_operations_total{status="success"}[5m])) / sum by (phase) (rate(datamover_operations_total[5m]))',
      'rate(datamover_phase_duration_seconds_sum[5m]) / rate(datamover_phase_duration_seconds_sum[5m] offset 1d)',
      'rate(datamover_phase_duration_seconds_sum[5m]) and on () up',
      '(sum(modal_jobs_active) or vector(0)) == 0',
      'histogram_quantile(0.9, sum without (instance) (rate(modal_job_queue_seconds_bucket[5m]))) > on (gpu_type, job) group_left sum by (gpu_type, job) (modal_jobs_active)',
    ]) {
      assert.deepEqual(problems(fine), [], fine);
    }
  });

  it('expands Grafana variables the way Grafana sends "All"', () => {
    assert.equal(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana variable syntax, not a JS template
      expandGrafanaVariables('sum(rate(x{namespace=~"$namespace", a=~"${resource_type}"}[$__rate_interval])) * $__range'.replace(' * $__range', '')),
      'sum(rate(x{namespace=~".*", a=~".*"}[1m]))',
    );
    assert.throws(() => expandGrafanaVariables('rate(x[$window])'), /unsupported Grafana variable/);
  });
});

describe('every PromQL expression in the generated output', () => {
  const found = expressionsIn(artifacts);

  it('is found in dashboards, variables, rules, PrometheusRules, rule tests and docs', () => {
    for (const file of ['dashboards/', 'prometheus/rules/', 'prometheus/tests/', 'kubernetes/', 'reference/']) {
      assert.ok(
        found.some((f) => f.file.startsWith(file)),
        `expressions found under ${file}`,
      );
    }
    assert.ok(found.some((f) => f.where.startsWith('variable ')));
    assert.ok(found.length > 200, `found ${found.length}`);
  });

  it('parses and names only known metrics, labels and label values', () => {
    const failures = found.flatMap((f) => {
      const expr = f.grafana ? expandGrafanaVariables(f.expr) : f.expr;
      return lintPromql(expr, known).problems.map((p) => `${f.file} ${f.where}: ${p}\n    ${f.expr}`);
    });
    assert.deepEqual(failures, []);
  });
});

describe('the spec expressions we corrected', () => {
  const corrections = [
    ...allCatalogs.flatMap((c) => c.queries.map((q) => ({ name: q.title, text: q.correctsSpec }))),
    ...allBundles.flatMap((b) => (b.rules ? allRules(b.rules) : []).map((r) => ({ name: isAlert(r) ? r.alert : r.record, text: r.correctsSpec }))),
  ].filter((c): c is { name: string; text: string } => c.text !== undefined);

  it('are flagged by the lint, except the mistakes only a reader can see', () => {
    const clean = corrections
      .filter((c) => {
        const spec = /^Spec[^`]*`([^`]+)`/.exec(c.text)?.[1];
        assert.ok(spec, `${c.name}: the correction quotes the spec's expression`);
        return lintPromql(spec, known).problems.length === 0;
      })
      .map((c) => c.name);
    // Valid PromQL that is wrong for other reasons: a threshold above the largest bucket,
    // per-series "no operations", a title the query does not implement, missing aggregation.
    assert.deepEqual(clean.sort(), [
      'Average phase duration now vs 24h ago (ratio)',
      'DataMoverLongRunningOperation',
      'DataMoverNoOperations',
      'Operations per minute by phase',
      'datamover:phase_duration_p95:1d',
    ]);
  });

  it('are each explained in docs/monitoring.md', () => {
    const docs = readFileSync(new URL('../../../docs/monitoring.md', import.meta.url), 'utf8').replace(/\s+/g, ' ');
    assert.deepEqual(
      corrections.filter((c) => !docs.includes(c.name)).map((c) => c.name),
      [],
    );
  });
});
