import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { sampleMetrics } from '@promkit/catalogs';
import { runGenerate } from '../src/generate-cli.js';
import { expandGrafanaVariables } from '../src/promql/grafana-variables.js';
import { expressionsIn } from '../src/promql/extract.js';
import { knownSeries } from '../src/promql/known-metrics.js';
import { lintPromql } from '../src/promql/lint.js';
import { checkConfig, checkRules, startPrometheus, testRules, waitUntil, type RunningPrometheus } from '@promkit/testing';
import { shopCatalog } from '../../../examples/my-service-catalog/catalog.js';
import type { Artifact } from '../src/artifacts.js';
import { check, DIR, literal } from './sdk-types.js';

/**
 * A catalog that is not one of the specs, written only against the public API, goes through
 * the `promkit generate --catalog <module>` command and gets the checks the spec catalogs get.
 */
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const MODULE = 'examples/my-service-catalog/catalog.ts';
const RUNBOOKS = 'https://git.example.com/shop/ops/blob/main/deploy/reference/runbooks.md';

async function readTree(dir: string): Promise<Artifact[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  return Promise.all(files.map(async (f) => ({ path: relative(dir, f).split('\\').join('/'), content: await readFile(f, 'utf8') })));
}

describe('a user catalog through promkit generate --catalog <module>', { timeout: 180_000 }, () => {
  let dir = '';
  let tree: Artifact[] = [];
  const lines: string[] = [];
  const file = (path: string): string => {
    const found = tree.find((a) => a.path === path);
    assert.ok(found, `generated ${path}`);
    return found.content;
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'promkit-user-catalog-'));
    const argv = [
      '--catalog',
      MODULE,
      '--out',
      dir,
      '--release',
      'kps',
      '--monitor-label',
      'team=shop',
      '--namespace',
      'shop-monitoring',
      '--runbook-base',
      RUNBOOKS,
    ];
    assert.equal(await runGenerate(argv, (l) => lines.push(l), ROOT), 0);
    tree = await readTree(dir);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('writes the whole tree for the catalog, and only for it', () => {
    const paths = tree.map((a) => a.path).sort();
    for (const p of [
      'dashboards/shop.json',
      'prometheus/rules/shop.rules.yml',
      'prometheus/tests/shop.test.yml',
      'kubernetes/shop/service-monitor.yaml',
      'kubernetes/shop/prometheus-rule.yaml',
      'kubernetes/shop/dashboard-configmap.yaml',
      'reference/shop.md',
      'reference/runbooks.md',
      'prometheus/prometheus.yml',
      'compose.yml',
    ]) {
      assert.ok(paths.includes(p), p);
    }
    assert.ok(!paths.some((p) => /modal|datamover|dynamo/.test(p)), paths.join(', '));
    assert.equal(lines.filter((l) => l.startsWith('wrote ')).length, tree.length);
  });

  it('promtool check rules, test rules and check config pass', async () => {
    const rules = await checkRules([join(dir, 'prometheus/rules/shop.rules.yml')]);
    assert.ok(rules.ok, rules.output);
    assert.match(rules.stdout, /SUCCESS: 4 rules found/);
    const tests = await testRules([join(dir, 'prometheus/tests/shop.test.yml')], { cwd: join(dir, 'prometheus/tests') });
    assert.ok(tests.ok, tests.output);
    const config = await checkConfig(join(dir, 'prometheus/prometheus.yml'));
    assert.ok(config.ok, config.output);
  });

  it('monitors and PrometheusRule carry the release and extra labels in the chosen namespace; runbook_url uses the base', () => {
    for (const path of ['kubernetes/shop/service-monitor.yaml', 'kubernetes/shop/prometheus-rule.yaml']) {
      const doc = parseYaml(file(path)) as Record<string, any>;
      assert.equal(doc.metadata.namespace, 'shop-monitoring', path);
      assert.deepEqual(doc.metadata.labels, { 'app.kubernetes.io/managed-by': 'promkit', release: 'kps', team: 'shop' }, path);
    }
    const sm = parseYaml(file('kubernetes/shop/service-monitor.yaml')) as Record<string, any>;
    assert.deepEqual(sm.spec.selector.matchLabels, { 'app.kubernetes.io/name': 'shop' });
    assert.equal(sm.spec.endpoints[0].port, 'http-metrics');
    const rules = parseYaml(file('prometheus/rules/shop.rules.yml')) as Record<string, any>;
    const urls = rules.groups[0].rules.filter((r: any) => r.alert).map((r: any) => r.annotations.runbook_url);
    assert.deepEqual(
      urls,
      ['shoporderfailureshigh', 'shopcheckoutslow', 'shopqueuebacklog'].map((a) => `${RUNBOOKS}#${a}`),
    );
  });

  it("every expression parses and names only the catalog's series, labels and documented values", () => {
    const known = knownSeries([shopCatalog], ['shop:orders_failed:ratio_rate5m']);
    const found = expressionsIn(tree);
    assert.ok(found.length >= 20, `${found.length} expressions`);
    const problems = found.flatMap((f) => {
      const expr = f.grafana ? expandGrafanaVariables(f.expr) : f.expr;
      return lintPromql(expr, known).problems.map((p) => `${f.file} ${f.where}: ${p}`);
    });
    assert.deepEqual(problems, []);
  });

  it('the dashboard type-checks against the Grafana Foundation SDK', () => {
    const source = join(DIR, '__shop_dashboard__.ts');
    const diagnostics = check({ [source]: literal(JSON.parse(file('dashboards/shop.json'))) });
    assert.deepEqual(Object.fromEntries(diagnostics), {});
  });

  describe('on a real Prometheus scraping the catalog with sample data', () => {
    let server: Server;
    let prom: RunningPrometheus;
    before(async () => {
      const sample = sampleMetrics(shopCatalog);
      server = createServer((_req, res) => {
        sample.tick();
        sample.registry.metrics().then((text) => res.writeHead(200, { 'content-type': sample.registry.contentType }).end(text));
      });
      await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
      const port = (server.address() as { port: number }).port;
      prom = await startPrometheus({
        targets: [{ job: 'shop', url: `http://127.0.0.1:${port}/metrics` }],
        ruleFiles: [join(dir, 'prometheus/rules/shop.rules.yml')],
        scrapeInterval: '2s',
        evaluationInterval: '2s',
      });
      await prom.waitForTargetsUp();
      await prom.waitForScrapes(3);
    });
    after(async () => {
      await prom?.close();
      await new Promise((ok) => server?.close(ok));
    });

    it('every expression evaluates; all but alert thresholds and firing-alert annotations return series', async () => {
      const alertExprs = new Set(shopCatalog.rules!.flatMap((g) => g.rules).flatMap((r) => ('alert' in r ? [r.expr] : [])));
      const unique = new Map<string, string>();
      for (const f of expressionsIn(tree).filter((x) => !x.file.startsWith('prometheus/tests/'))) {
        unique.set(f.grafana ? expandGrafanaVariables(f.expr) : f.expr, `${f.file} ${f.where}`);
      }
      const failures: string[] = [];
      for (const [expr, where] of unique) {
        try {
          const r = await prom.query(expr);
          const count = r.resultType === 'vector' || r.resultType === 'matrix' ? r.result.length : 1;
          // The recording rule's output appears after its first evaluation; wait for it rather than race it.
          if (count === 0 && expr.includes('shop:orders_failed')) {
            await waitUntil(async () => ((await prom.queryVector(expr)).length > 0 ? true : undefined), { timeoutMs: 15_000, description: expr });
            continue;
          }
          const quiet = alertExprs.has(expr) || expr.startsWith('ALERTS{');
          if (!quiet && count === 0) failures.push(`${where}: no series\n    ${expr}`);
        } catch (err) {
          failures.push(`${where}: ${(err as Error).message}\n    ${expr}`);
        }
      }
      assert.ok(unique.size >= 15, `${unique.size} unique expressions`);
      assert.deepEqual(failures, []);
    });

    it('every rule loads and evaluates with health ok', async () => {
      const rules = await waitUntil(
        async () => {
          const all = (await prom.rules()).flatMap((g) => g.rules);
          return all.length === 4 && all.every((r) => !r.lastEvaluation.startsWith('0001-')) ? all : undefined;
        },
        { timeoutMs: 20_000, description: 'every rule evaluated once' },
      );
      assert.deepEqual(
        rules.filter((r) => r.health !== 'ok').map((r) => `${r.name}: ${r.lastError ?? ''}`),
        [],
      );
    });
  });
});

describe('promkit generate: catalog modules and config files', () => {
  it('reads promkit.config.ts in the working directory when no --catalog is given', async () => {
    const out = await mkdtemp(join(tmpdir(), 'promkit-config-'));
    try {
      await runGenerate(['--out', out], () => {}, join(ROOT, 'examples/my-service-catalog'));
      const rules = parseYaml(await readFile(join(out, 'prometheus/rules/shop.rules.yml'), 'utf8')) as Record<string, any>;
      assert.match(rules.groups[0].rules[1].annotations.runbook_url, /^https:\/\/git\.example\.com\/shop\/ops\/.*#shoporderfailureshigh$/);
      const pr = parseYaml(await readFile(join(out, 'kubernetes/shop/prometheus-rule.yaml'), 'utf8')) as Record<string, any>;
      assert.equal(pr.metadata.labels.release, 'kps');
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it("a config's outDir is relative to the config file; --out to the working directory", async () => {
    // Inside the repository, so the copied config resolves promkit's packages from node_modules.
    const work = await mkdtemp(join(ROOT, 'node_modules', '.promkit-outdir-'));
    try {
      const example = join(ROOT, 'examples/my-service-catalog');
      const configDir = join(work, 'ops');
      await mkdir(configDir);
      for (const f of ['catalog.ts', 'promkit.config.ts']) await writeFile(join(configDir, f), await readFile(join(example, f), 'utf8'));
      await runGenerate(['--config', 'ops/promkit.config.ts'], () => {}, work);
      await readFile(join(configDir, 'deploy/prometheus/rules/shop.rules.yml'), 'utf8');
      await assert.rejects(readFile(join(work, 'deploy/prometheus/rules/shop.rules.yml'), 'utf8'), { code: 'ENOENT' });
      await runGenerate(['--config', 'ops/promkit.config.ts', '--out', 'elsewhere'], () => {}, work);
      await readFile(join(work, 'elsewhere/prometheus/rules/shop.rules.yml'), 'utf8');
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });

  it('names the module that exports no catalog, a missing module and an unknown id', async () => {
    const work = await mkdtemp(join(tmpdir(), 'promkit-badmod-'));
    try {
      await writeFile(join(work, 'empty.mjs'), 'export const notACatalog = { id: "x" };\n');
      await assert.rejects(
        runGenerate(['--catalog', './empty.mjs', '--out', join(work, 'o')], () => {}, work),
        /module '\.\/empty\.mjs' exports no catalog: export the result of defineCatalog\(\)/,
      );
      await assert.rejects(
        runGenerate(['--catalog', './nope.ts'], () => {}, work),
        /catalog module '\.\/nope\.ts' not found/,
      );
      await assert.rejects(
        runGenerate(['--catalog', 'shopp'], () => {}, work),
        /unknown catalog 'shopp' \(catalogs: dynamo-operator, .*; or a module path/,
      );
      await assert.rejects(
        runGenerate(['--selector', 'novalue'], () => {}, work),
        /--selector needs KEY=VALUE, got 'novalue'/,
      );
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });

  it("the example imports nothing but promkit's public entry points", async () => {
    for (const f of ['catalog.ts', 'promkit.config.ts']) {
      const text = await readFile(join(ROOT, 'examples/my-service-catalog', f), 'utf8');
      const imports = [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1]!);
      // Package names only (what a user has installed), never a path into promkit's sources.
      for (const i of imports) assert.ok(/^(promkit(\/[a-z]+)?|@promkit\/[a-z]+)$|^\.\/catalog\.js$/.test(i), `${f} imports ${i}`);
    }
  });
});
