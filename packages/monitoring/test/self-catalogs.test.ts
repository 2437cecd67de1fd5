import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { httpServerCatalog, nodeProcessCatalog, operatorKitCatalog } from '@promkit/catalogs';
import type { Catalog } from 'promkit/catalog';
import { collectDefaultMetrics, Registry } from 'promkit';
import { parsePrometheusText } from 'promkit/exposition';
import { operatorKitSpecs } from '@promkit/kube';
import { startMetricsServer } from 'promkit/server';

/**
 * The self-monitoring catalogs are declarations of families other code creates: each is
 * checked against what that code really exposes, so the dashboards and alerts cannot drift.
 */

type Family = { type: string; help: string; labels: Set<string> };

function familiesOf(text: string): Map<string, Family> {
  const out = new Map<string, Family>();
  for (const f of parsePrometheusText(text).families) {
    const labels = new Set(f.samples.flatMap((s) => Object.keys(s.labels)).filter((l) => l !== 'le' && l !== 'quantile'));
    out.set(f.name, { type: f.type, help: f.help ?? '', labels });
  }
  return out;
}

function assertDeclaredAsExposed(catalog: Catalog, exposed: Map<string, Family>, checkLabels = true): void {
  for (const spec of Object.values(catalog.metrics)) {
    const f = exposed.get(spec.name);
    assert.ok(f, `${catalog.id}: ${spec.name} is exposed (exposed: ${[...exposed.keys()].join(', ')})`);
    assert.equal(f.type, spec.type, `${spec.name} type`);
    assert.equal(f.help, spec.help, `${spec.name} help`);
    if (checkLabels) assert.deepEqual([...f.labels].sort(), [...spec.labelNames].sort(), `${spec.name} labels`);
  }
}

describe('self-monitoring catalogs match what promkit exposes', () => {
  it('nodejs-process: every family is one collectDefaultMetrics() registers, same type, help and labels', async () => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    // Let the event loop monitor and GC observer record once.
    await new Promise((r) => setTimeout(r, 50));
    const exposed = familiesOf(await registry.metrics());
    // GC samples only exist once a collection ran, and then only for the kinds that ran.
    const gc = nodeProcessCatalog.metrics.gc;
    exposed.set(gc.name, { ...(exposed.get(gc.name) ?? { type: 'histogram', help: gc.help }), labels: new Set(gc.labelNames) });
    assertDeclaredAsExposed(nodeProcessCatalog, exposed);
  });

  it('promkit-http: the families startMetricsServer() records, with its paths', async () => {
    const registry = new Registry();
    const server = await startMetricsServer({ registry, port: 0, host: '127.0.0.1' });
    try {
      for (const path of ['/metrics', '/health', '/live', '/nope']) await (await fetch(`${server.url}${path}`)).arrayBuffer();
      const exposed = familiesOf(await registry.metrics());
      assertDeclaredAsExposed(httpServerCatalog, exposed);
      const paths = new Set(
        parsePrometheusText(await registry.metrics())
          .families.find((f) => f.name === 'promkit_http_requests_total')!
          .samples.map((s) => s.labels.path),
      );
      const documented: readonly string[] = httpServerCatalog.metrics.requests.labelValues!.path!;
      for (const p of paths) assert.ok(documented.includes(p!), `path '${p}' is documented (${documented.join(', ')})`);
    } finally {
      await server.close();
    }
  });

  it("operator-kit: the kit's extra families under the default prefix, same labels and reasons", () => {
    const kit = operatorKitSpecs() as Record<
      string,
      { name: string; type: string; help: string; labelNames: readonly string[]; labelValues?: Record<string, readonly string[]> }
    >;
    for (const [key, spec] of Object.entries(operatorKitCatalog.metrics)) {
      const k = kit[key];
      assert.ok(k, `the kit has ${key}`);
      assert.deepEqual([k.name, k.type, k.help, [...k.labelNames]], [spec.name, spec.type, spec.help, [...spec.labelNames]]);
      assert.deepEqual(k.labelValues ?? {}, (spec as { labelValues?: unknown }).labelValues ?? {}, `${key} documented values`);
    }
  });
});
