import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { allCatalogs, modalCatalog } from '@promkit/catalogs';
import { buildArtifacts } from '../src/artifacts.js';
import { allBundles } from '../src/bundles.js';
import { allRules } from '../src/rules/rule-file.js';
import { isAlert } from '../src/rules/types.js';
import { artifacts } from './helpers.js';

type Json = Record<string, any>;
const file = (path: string): string => {
  const found = artifacts.find((a) => a.path === path);
  assert.ok(found, `generated ${path}`);
  return found.content;
};
const yaml = (path: string): Json => parseYaml(file(path)) as Json;
const dashboards = artifacts.filter((a) => a.path.startsWith('dashboards/')).map((a) => JSON.parse(a.content) as Json);

describe('generated artifacts', () => {
  it('are deterministic: same input, byte-identical output, no timestamps', () => {
    assert.deepEqual(buildArtifacts(), artifacts);
    for (const a of artifacts) assert.doesNotMatch(a.content, /20\d\d-\d\d-\d\dT\d\d:/, `${a.path} has no timestamp`);
  });

  it('--catalog restricts the tree to that catalog', () => {
    const subset = buildArtifacts({ catalogs: [modalCatalog] });
    const paths = subset.map((a) => a.path);
    assert.ok(paths.includes('dashboards/modal.json'));
    assert.ok(!paths.some((p) => p.includes('datamover')));
    const prom = parseYaml(subset.find((a) => a.path === 'prometheus/prometheus.yml')!.content) as Json;
    assert.deepEqual(
      prom.scrape_configs.map((s: Json) => s.job_name),
      ['prometheus', 'modal-operator'],
    );
  });

  it('every dashboard panel has a title, a unit and at least one target with a refId', () => {
    assert.equal(dashboards.length, allBundles.length);
    for (const d of dashboards) {
      const panels = (d.panels as Json[]).filter((p) => p.type !== 'row');
      assert.ok(panels.length >= 4, `${d.title}: ${panels.length} panels`);
      for (const p of panels) {
        const where = `${d.title} › ${p.title ?? '(untitled)'}`;
        assert.ok(p.title, where);
        assert.ok(p.fieldConfig?.defaults?.unit, `${where} has a unit`);
        assert.ok(p.targets?.length >= 1, `${where} has a target`);
        // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana variable syntax, not a JS template
        for (const t of p.targets) assert.ok(t.refId && t.expr && t.datasource?.uid === '${datasource}', where);
      }
      assert.equal(new Set((d.panels as Json[]).map((p) => p.id)).size, d.panels.length, `${d.title}: unique panel ids`);
    }
  });

  it("the Dynamo operator dashboard has the spec's four sections and filters", () => {
    const d = dashboards.find((x) => x.uid === 'promkit-dynamo-operator')!;
    const sections: Record<string, string[]> = {};
    let current = '';
    for (const p of d.panels as Json[]) {
      if (p.type === 'row') {
        current = p.title;
        sections[current] = [];
      } else sections[current]!.push(p.type);
    }
    assert.deepEqual(sections, {
      'Reconciliation Metrics': ['timeseries', 'timeseries', 'timeseries'],
      'Webhook Metrics': ['timeseries', 'timeseries', 'timeseries'],
      'Resource Inventory': ['timeseries', 'stat'],
      'Operational Health': ['gauge', 'gauge'],
    });
    const vars = Object.fromEntries((d.templating.list as Json[]).map((v) => [v.name, v]));
    assert.equal(vars.datasource.type, 'datasource');
    assert.deepEqual([vars.namespace.multi, vars.namespace.includeAll, vars.namespace.allValue], [true, true, '.*']);
    assert.deepEqual([vars.resource_type.multi, vars.resource_type.includeAll], [false, true]);
  });

  it("the Modal dashboard has the spec's seven key panels", () => {
    const d = dashboards.find((x) => x.uid === 'promkit-modal')!;
    const titles = (d.panels as Json[]).filter((p) => p.type !== 'row').map((p) => p.title);
    assert.deepEqual(titles, [
      'Active Modal Jobs',
      'Jobs by Status',
      'GPU Utilization by Type',
      'Job Duration Distribution',
      'i6pn Networking Usage',
      'Error Rate',
      'Replica Distribution',
    ]);
  });

  it('dashboard ConfigMaps carry the sidecar label and the same JSON', () => {
    for (const b of allBundles) {
      const cm = yaml(`kubernetes/${b.catalog.id}/dashboard-configmap.yaml`);
      assert.equal(cm.metadata.labels.grafana_dashboard, '1');
      assert.equal(cm.data[`${b.catalog.id}.json`], file(`dashboards/${b.catalog.id}.json`));
    }
  });

  it('PrometheusRules hold exactly the groups of the plain rule files', () => {
    for (const b of allBundles.filter((x) => x.rules)) {
      const pr = yaml(`kubernetes/${b.catalog.id}/prometheus-rule.yaml`);
      assert.equal(pr.kind, 'PrometheusRule');
      assert.deepEqual(pr.spec.groups, yaml(`prometheus/rules/${b.catalog.id}.rules.yml`).groups);
    }
  });

  it('every alert has a severity, summary, description and a runbook link to an existing section', () => {
    const runbooks = file('reference/runbooks.md');
    for (const b of allBundles.filter((x) => x.rules)) {
      for (const group of yaml(`prometheus/rules/${b.catalog.id}.rules.yml`).groups as Json[]) {
        for (const rule of (group.rules as Json[]).filter((r) => r.alert)) {
          assert.match(rule.labels.severity, /^(critical|warning|info)$/);
          assert.ok(rule.annotations.summary && rule.annotations.description, rule.alert);
          assert.ok(rule.annotations.runbook_url.endsWith(`#${rule.alert.toLowerCase()}`), rule.alert);
          assert.ok(runbooks.includes(`\n## ${rule.alert}\n`), `runbook section for ${rule.alert}`);
        }
      }
    }
  });

  it("ships the spec's DataMover and Modal alerts and recording rules", () => {
    const names = (id: string) => allRules(allBundles.find((b) => b.catalog.id === id)!.rules!).map((r) => (isAlert(r) ? r.alert : r.record));
    for (const n of [
      'DataMoverHighFailureRate',
      'DataMoverLongRunningOperation',
      'DataMoverCleanupFailures',
      'DataMoverNoOperations',
      'DataMoverJobRetriesExhausted',
      'datamover:operations_success_rate:1h',
      'datamover:phase_duration_p95:1d',
    ]) {
      assert.ok(names('datamover').includes(n), n);
    }
    for (const n of ['ModalJobFailureRate', 'ModalOperatorDown', 'HighErrorRate']) assert.ok(names('modal').includes(n), n);
    assert.equal(names('modal').length, 3 + 9, 'the three PrometheusRule alerts and the nine alerting queries');
    assert.equal(names('dynamo-operator').length, 4);
  });

  it('scrape manifests: https operators with TLS options, PodMonitor for runtime pods, job relabelled to the catalog job', () => {
    const dm = yaml('kubernetes/datamover/service-monitor.yaml');
    assert.deepEqual(dm.spec.endpoints[0].tlsConfig, { insecureSkipVerify: true });
    assert.equal(dm.spec.endpoints[0].scheme, 'https');
    assert.ok(dm.spec.endpoints[0].bearerTokenFile);
    const modal = yaml('kubernetes/modal/service-monitor.yaml');
    assert.deepEqual([modal.spec.endpoints[0].port, modal.spec.endpoints[0].interval, modal.spec.endpoints[0].scheme], ['metrics', '30s', 'http']);
    const pm = yaml('kubernetes/dynamo-runtime/pod-monitor.yaml');
    assert.equal(pm.kind, 'PodMonitor');
    assert.equal(pm.spec.podMetricsEndpoints[0].relabelings[0].replacement, 'dynamo');
  });

  it('the local stack wires Prometheus, rules and Grafana provisioning together', () => {
    const prom = yaml('prometheus/prometheus.yml');
    assert.deepEqual(
      prom.scrape_configs.map((s: Json) => s.job_name),
      ['prometheus', ...allCatalogs.map((c) => c.scrape.job)],
    );
    const compose = yaml('compose.yml');
    assert.ok(compose.services.prometheus.volumes[0].startsWith('./prometheus:'));
    const providers = yaml('grafana/provisioning/dashboards/providers.yml');
    assert.ok(compose.services.grafana.volumes.some((v: string) => v.endsWith(`:${providers.providers[0].options.path}:ro`)));
    assert.equal(yaml('grafana/provisioning/datasources/prometheus.yml').datasources[0].url, 'http://prometheus:9090');
  });

  it('reference docs list every metric with its type, labels and buckets', () => {
    for (const c of allBundles.map((b) => b.catalog)) {
      const doc = file(`reference/${c.id}.md`);
      for (const m of Object.values(c.metrics)) {
        const row = doc.split('\n').find((l) => l.startsWith(`| \`${m.name}\` |`));
        assert.ok(row, `${c.id}: row for ${m.name}`);
        for (const l of m.labelNames) assert.ok(row.includes(`\`${l}\``), `${m.name} lists ${l}`);
        if (m.buckets) assert.ok(row.includes(`${m.buckets.join(', ')}, +Inf`), `${m.name} buckets`);
      }
      for (const q of c.queries) assert.ok(doc.includes(q.expr), `${c.id}: query ${q.title}`);
    }
  });
});
