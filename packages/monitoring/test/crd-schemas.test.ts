import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { PodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { parse as parseYaml } from 'yaml';
import { shopCatalog } from '../../../examples/my-service-catalog/catalog.js';
import { type Artifact, buildArtifacts } from '../src/artifacts.js';
import { allBundles } from '../src/bundles.js';

/**
 * Every ServiceMonitor, PodMonitor and PrometheusRule promkit generates validates against
 * the prometheus-operator CRDs' OpenAPI schemas, as `@kubernetes-models/prometheus-operator`
 * ships them (its 4.x line: the CRDs of prometheus-operator v0.65, and a dependency chain
 * that runs on Node 20). The schemas check required fields, types and enums; they do not
 * reject unknown fields (the CRDs do not declare `additionalProperties: false`).
 */
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

const MODELS = { ServiceMonitor, PodMonitor, PrometheusRule } as const;
type Kind = keyof typeof MODELS;
const isKind = (k: unknown): k is Kind => typeof k === 'string' && k in MODELS;

/** The schema's verdict on one manifest: `undefined` when valid, else the validator's message. */
function schemaError(manifest: Record<string, unknown>): string | undefined {
  const kind = manifest.kind;
  assert.ok(isKind(kind), `not a prometheus-operator kind: ${String(kind)}`);
  assert.equal(manifest.apiVersion, 'monitoring.coreos.com/v1', `${kind} apiVersion`);
  try {
    new MODELS[kind](manifest as never).validate();
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** The operator manifests among generated files, parsed, by path. */
function operatorManifests(files: readonly Artifact[]): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const f of files) {
    if (!/^kubernetes\/.*\.yaml$/.test(f.path)) continue;
    const doc = parseYaml(f.content) as Record<string, unknown>;
    if (isKind(doc.kind)) out.set(f.path, doc);
  }
  return out;
}

function assertAllValid(manifests: Map<string, Record<string, unknown>>): void {
  for (const [path, m] of manifests) assert.equal(schemaError(m), undefined, `${path} (${String(m.kind)}) against the CRD schema`);
}

const kinds = (manifests: Map<string, Record<string, unknown>>): string[] => [...new Set([...manifests.values()].map((m) => String(m.kind)))].sort();

describe('generated manifests against the prometheus-operator CRD schemas', () => {
  it('every built-in catalog: each monitor and PrometheusRule validates', () => {
    const manifests = operatorManifests(buildArtifacts({ monitorLabels: { release: 'kps' } }));
    const expected = allBundles.filter((b) => b.monitor).length + allBundles.filter((b) => b.rules).length;
    assert.equal(manifests.size, expected, 'one manifest per monitor and per rule set');
    assert.deepEqual(kinds(manifests), ['PodMonitor', 'PrometheusRule', 'ServiceMonitor']);
    assertAllValid(manifests);
  });

  it('the committed deploy/kubernetes/** validates', async () => {
    const dir = join(ROOT, 'deploy');
    const entries = await readdir(join(dir, 'kubernetes'), { recursive: true, withFileTypes: true });
    const files = await Promise.all(
      entries
        .filter((e) => e.isFile())
        .map(async (e) => {
          const path = join(e.parentPath, e.name);
          return { path: relative(dir, path).split('\\').join('/'), content: await readFile(path, 'utf8') };
        }),
    );
    const manifests = operatorManifests(files);
    assert.ok(manifests.size >= 8, `found ${manifests.size} manifests under deploy/kubernetes`);
    assertAllValid(manifests);
  });

  it('the example user catalog (examples/my-service-catalog), with the options of user-catalog.test.ts', () => {
    for (const options of [{}, { monitorLabels: { release: 'kps', team: 'shop' }, namespace: 'shop-monitoring', selector: { app: 'shop' } }]) {
      const manifests = operatorManifests(buildArtifacts({ catalogs: [shopCatalog], ...options }));
      assert.deepEqual(kinds(manifests), ['PrometheusRule', 'ServiceMonitor']);
      assertAllValid(manifests);
    }
  });

  describe('a corrupted manifest is rejected', () => {
    const generated = operatorManifests(buildArtifacts());
    const first = (kind: Kind): Record<string, unknown> => {
      const found = [...generated.values()].find((m) => m.kind === kind);
      assert.ok(found, `a generated ${kind}`);
      return structuredClone(found);
    };
    const spec = (m: Record<string, unknown>) => m.spec as Record<string, unknown> & { endpoints?: Record<string, unknown>[] };

    it('ServiceMonitor: an endpoint port that is a number, not the port name', () => {
      const m = first('ServiceMonitor');
      spec(m).endpoints![0]!.port = 8080;
      assert.match(schemaError(m) ?? 'accepted', /endpoints\/0\/port must be string/);
    });

    it('ServiceMonitor: no selector (required)', () => {
      const m = first('ServiceMonitor');
      delete spec(m).selector;
      assert.match(schemaError(m) ?? 'accepted', /spec must have required property selector/);
    });

    it('ServiceMonitor: a relabeling action outside the enum', () => {
      const m = first('ServiceMonitor');
      (spec(m).endpoints![0]!.relabelings as Record<string, unknown>[])[0]!.action = 'rewrite';
      assert.match(schemaError(m) ?? 'accepted', /relabelings\/0\/action must be equal to one of the allowed values/);
    });

    it('PodMonitor: podMetricsEndpoints not an array', () => {
      const m = first('PodMonitor');
      spec(m).podMetricsEndpoints = { port: 'system' };
      assert.match(schemaError(m) ?? 'accepted', /podMetricsEndpoints must be array/);
    });

    it('PrometheusRule: a rule without expr, a group without name', () => {
      const m = first('PrometheusRule');
      const groups = spec(m).groups as { name?: string; rules: Record<string, unknown>[] }[];
      delete groups[0]!.rules[0]!.expr;
      assert.match(schemaError(m) ?? 'accepted', /rules\/0 must have required property expr/);
      const n = first('PrometheusRule');
      delete (spec(n).groups as { name?: string }[])[0]!.name;
      assert.match(schemaError(n) ?? 'accepted', /groups\/0 must have required property name/);
    });

    it('PrometheusRule: no spec at all', () => {
      const m = first('PrometheusRule');
      delete m.spec;
      assert.match(schemaError(m) ?? 'accepted', /data must have required property spec/);
    });
  });
});
