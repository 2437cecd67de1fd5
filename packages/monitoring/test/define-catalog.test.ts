import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defineCatalog, isCatalog, type CatalogDefinition } from 'promkit/catalog';
import { bundleFor } from '../src/bundles.js';

const base = {
  id: 'svc',
  title: 'Svc',
  description: 'A service',
  scrape: { job: 'svc', port: 9464, path: '/metrics' },
  metrics: {
    requests: { name: 'svc_requests_total', type: 'counter', help: 'Requests', labelNames: ['code'] as const },
    latency: {
      name: 'svc_latency_seconds',
      type: 'histogram',
      help: 'Latency',
      labelNames: ['route'] as const,
      labelValues: { route: ['/a', '/b'] },
      buckets: [0.1, 1],
    },
  },
} satisfies CatalogDefinition;

const alert = {
  alert: 'SvcDown',
  expr: 'up{job="svc"} == 0',
  for: '5m',
  severity: 'critical' as const,
  summary: 'down',
  description: 'down',
  runbook: 'restart it',
  fires: { name: 'down', series: { 'up{job="svc",instance="a"}': '0x10' }, at: '8m', alerts: [{ labels: { job: 'svc', instance: 'a' }, value: 0 }] },
  quiet: { name: 'up', series: { 'up{job="svc",instance="a"}': '1x10' }, at: '8m', alerts: [] },
};

describe('defineCatalog()', () => {
  it('returns the catalog, branded, with queries defaulting to none', () => {
    const c = defineCatalog(base);
    assert.equal(c.metrics.latency.name, 'svc_latency_seconds');
    assert.deepEqual(c.queries, []);
    assert.ok(isCatalog(c));
    assert.ok(!isCatalog({ ...c }), 'a copy is not a defined catalog until it goes through defineCatalog again');
  });

  it('rejects bad declarations with an error naming the catalog and the part', () => {
    const cases: [unknown, RegExp][] = [
      [{ ...base, id: 'My Svc' }, /catalog id "My Svc" is invalid/],
      [{ ...base, scrape: { job: 'svc', port: 0, path: '/metrics' } }, /catalog 'svc': scrape\.port must be an integer 1-65535, got 0/],
      [
        { ...base, metrics: { x: { name: 'bad-name', type: 'counter', help: 'h', labelNames: [] } } },
        /catalog 'svc': metric 'x': invalid metric name 'bad-name'/,
      ],
      [{ ...base, metrics: { x: { name: 'h_seconds', type: 'histogram', help: 'h', labelNames: ['le'] } } }, /metric 'x': .*label name 'le' is reserved/],
      [
        { ...base, metrics: { x: { name: 'c_total', type: 'counter', help: 'h', labelNames: ['a'], labelValues: { b: ['1'] } } } },
        /metric 'c_total': labelValues names 'b', which is not one of its labels \(a\)/,
      ],
      [
        { ...base, metrics: { x: { name: 'h', type: 'histogram', help: 'h', labelNames: [], buckets: [1, 0.5] } } },
        /buckets must be finite and strictly ascending, got \[1, 0\.5\]/,
      ],
      [{ ...base, metrics: { a: base.metrics.requests, b: base.metrics.requests } }, /metric name 'svc_requests_total' is declared twice/],
      [
        { ...base, rules: [{ name: 'g', rules: [{ ...alert, quiet: { ...alert.quiet, alerts: alert.fires.alerts } }] }] },
        /alert 'SvcDown': quiet must be a scenario with no expected alerts/,
      ],
      [
        { ...base, rules: [{ name: 'g', rules: [{ ...alert, fires: { ...alert.fires, alerts: [] } }] }] },
        /alert 'SvcDown': fires must be a scenario with at least one expected alert/,
      ],
      [{ ...base, rules: [{ name: 'g', rules: [{ ...alert, for: 'five minutes' }] }] }, /alert 'SvcDown': for must be a Prometheus duration/],
      [{ ...base, rules: [{ name: 'g', rules: [alert, alert] }] }, /alert 'SvcDown' is declared twice/],
      [
        {
          ...base,
          dashboard: {
            uid: 'svc',
            title: 'Svc',
            description: 'd',
            tags: [],
            variables: [{ name: 'route', label: 'Route', metric: 'svc_latency_seconds', multi: true }],
            rows: [],
          },
        },
        /dashboard variable 'route' reads label values of 'svc_latency_seconds', which this catalog does not expose/,
      ],
      [
        {
          ...base,
          dashboard: {
            uid: 'svc',
            title: 'Svc',
            description: 'd',
            tags: [],
            variables: [],
            rows: [{ title: 'r', panels: [{ kind: 'pie', title: 'p', description: 'd', unit: 's', targets: [{ expr: 'x' }] }] }],
          },
        },
        /panel 'p' \(row 'r'\): kind must be one of timeseries, stat, gauge, table, got "pie"/,
      ],
    ];
    for (const [definition, error] of cases) assert.throws(() => defineCatalog(definition as CatalogDefinition), error);
  });

  it('a catalog without a dashboard gets one panel per family; without a monitor a ServiceMonitor on port metrics', () => {
    const bundle = bundleFor(defineCatalog({ ...base, rules: [{ name: 'g', rules: [alert] }] }));
    assert.deepEqual(
      bundle.dashboard.rows[0]!.panels.map((p) => [p.title, p.targets[0]!.expr]),
      [
        ['svc_requests_total', 'sum(rate(svc_requests_total[$__rate_interval]))'],
        ['svc_latency_seconds p95', 'histogram_quantile(0.95, sum by (route, le) (rate(svc_latency_seconds_bucket[$__rate_interval])))'],
      ],
    );
    assert.deepEqual(bundle.monitor, {
      kind: 'ServiceMonitor',
      options: { namespace: 'default', matchLabels: { 'app.kubernetes.io/name': 'svc' }, port: 'metrics', scheme: 'http' },
    });
    assert.equal(bundle.rules?.groups[0]?.rules[0], alert);
  });
});
