import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sampleMetrics, type SampleMetrics } from '@promkit/catalogs';
import { allBundles } from '../src/bundles.js';
import { generateAll } from '../src/generate.js';
import { expandGrafanaVariables } from '../src/promql/grafana-variables.js';
import { expressionsIn } from '../src/promql/extract.js';
import { allRules } from '../src/rules/rule-file.js';
import { isAlert } from '../src/rules/types.js';
import { startPrometheus, waitUntil, type RunningPrometheus } from '@promkit/testing';
import { artifacts } from './helpers.js';

/**
 * Every expression of the generated output, evaluated by a real Prometheus scraping every
 * catalog filled with sample data, and every generated rule loaded and evaluated by it.
 */

const allCatalogs = allBundles.map((b) => b.catalog);

/** Alert expressions compare against thresholds: sample data need not cross them. */
const alertExprs = new Set(
  allBundles.flatMap((b) =>
    b.rules
      ? allRules(b.rules)
          .filter(isAlert)
          .map((r) => r.expr)
      : [],
  ),
);
/** Queries that need history or other exporters (see each catalog query's `mayBeEmpty`). */
const mayBeEmpty = new Set(allCatalogs.flatMap((c) => c.queries.filter((q) => q.mayBeEmpty).map((q) => q.expr)));

/** Unique expressions to evaluate; rule tests' input selectors are promtool's business. */
const expressions = [
  ...new Map(
    expressionsIn(artifacts)
      .filter((f) => !f.file.startsWith('prometheus/tests/'))
      .map((f) => {
        const expr = f.grafana ? expandGrafanaVariables(f.expr, { rateInterval: '1m', range: '1h' }) : f.expr;
        // Firing-alert annotations and runbook diagnosis of alerts need a firing alert.
        const quietByNature = alertExprs.has(f.expr) || mayBeEmpty.has(f.expr) || f.expr.startsWith('ALERTS{');
        return [expr, { expr, where: `${f.file} ${f.where}`, needsSeries: !quietByNature }] as const;
      }),
  ).values(),
];

describe('generated expressions on a real Prometheus', { timeout: 120_000 }, () => {
  let server: Server;
  let prom: RunningPrometheus;
  let dir = '';

  before(async () => {
    const samples = new Map<string, SampleMetrics>(allCatalogs.map((c) => [c.id, sampleMetrics(c)]));
    server = createServer((req, res) => {
      const sample = samples.get(req.url?.split('/')[1] ?? '');
      if (!sample) return void res.writeHead(404).end();
      // Each scrape moves every series, so rates are non-zero from the second scrape on.
      sample.tick();
      sample.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': sample.registry.contentType }).end(text),
        (err: unknown) => res.writeHead(500).end(String(err)),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    dir = await mkdtemp(join(tmpdir(), 'promkit-eval-'));
    const written = await generateAll({ outDir: dir });
    prom = await startPrometheus({
      // Embedded catalogs come with another job's scrape; here each gets a job of its own.
      targets: allCatalogs.map((c) => ({ job: c.embedded ? c.id : c.scrape.job, url: `http://127.0.0.1:${port}/${c.id}/metrics` })),
      ruleFiles: written.filter((f) => f.endsWith('.rules.yml')),
      // A scrape that times out (1s by default) marks every series stale, and instant queries
      // of gauges then return nothing; on a loaded machine that is flaky. 3s gives room.
      scrapeInterval: '3s',
    });
    await prom.waitForTargetsUp();
    await prom.waitForScrapes(3);
  });

  after(async () => {
    await prom?.close();
    await new Promise((resolve) => server?.close(resolve));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('finds the expressions to evaluate', () => {
    assert.ok(expressions.length > 100, `${expressions.length} unique expressions`);
    assert.ok(expressions.some((e) => !e.needsSeries) && expressions.some((e) => e.needsSeries));
  });

  it('every expression evaluates without error, and returns series where the sample data allows', async () => {
    const failures: string[] = [];
    await Promise.all(
      expressions.map(async ({ expr, where, needsSeries }) => {
        try {
          const r = await prom.query(expr);
          const count = r.resultType === 'vector' || r.resultType === 'matrix' ? r.result.length : 1;
          if (needsSeries && count === 0) failures.push(`${where}: no series\n    ${expr}`);
        } catch (err) {
          failures.push(`${where}: ${(err as Error).message}\n    ${expr}`);
        }
      }),
    );
    assert.deepEqual(failures.sort(), []);
  });

  it('loads every generated rule and evaluates it without error', async () => {
    const expected = allBundles.flatMap((b) => (b.rules ? allRules(b.rules) : [])).length;
    const rules = await waitUntil(
      async () => {
        const all = (await prom.rules()).flatMap((g) => g.rules);
        return all.length === expected && all.every((r) => !r.lastEvaluation.startsWith('0001-')) ? all : undefined;
      },
      { timeoutMs: 15_000, description: 'every rule evaluated once' },
    );
    assert.deepEqual(
      rules.filter((r) => r.health !== 'ok').map((r) => `${r.name}: ${r.health} ${r.lastError ?? ''}`),
      [],
    );
    const recorded = await prom.queryVector('{__name__=~"datamover:.+"}');
    assert.deepEqual([...new Set(recorded.map((s) => s.metric.__name__))].sort(), ['datamover:operations_success_rate:1h', 'datamover:phase_duration_p95:1d']);
  });
});
