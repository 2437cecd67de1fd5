import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expandGrafanaVariables } from '../../src/monitoring/promql/grafana-variables.js';
import { expressionsIn } from '../../src/monitoring/promql/extract.js';
import { lintPromql } from '../../src/monitoring/promql/lint.js';
import { artifacts, known } from './helpers.js';

const problems = (expr: string): readonly string[] => lintPromql(expr, known).problems;

describe('lintPromql', () => {
  it('rejects the spec\'s `rate(x[5m]) by (y)`', () => {
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

  it('expands Grafana variables the way Grafana sends "All"', () => {
    assert.equal(
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
      assert.ok(found.some((f) => f.file.startsWith(file)), `expressions found under ${file}`);
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
