/**
 * The published packages work as a user installs them: every workspace package is built
 * and packed, the tarballs are installed into fresh projects, and every entry point is
 * used from plain ESM, from CommonJS `require`, and from TypeScript with
 * `moduleResolution` node10, node16 and bundler. Installing `promkit` brings no other
 * package; `@promkit/kube` brings neither OpenTelemetry nor the Grafana SDK; the demo
 * runs from its tarball with `npx @promkit/demo`. The build is shared with
 * consumers.test.ts (tarballs.ts).
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { describeRun, dirSize, installedPackages, npm, PACKAGES, packWorkspace, project, removeWork, repo, run, typecheck } from './tarballs.js';

before(async () => {
  await packWorkspace();
});

after(removeWork);

const ESM_ENGINE = `
import client, { Counter, Histogram, Registry, register, linearBuckets } from 'promkit';
import { negotiate, OPENMETRICS_CONTENT_TYPE } from 'promkit/exposition';
import { DistributedRuntime } from 'promkit/runtime';
import { metricsHandler } from 'promkit/server';
import { defineCatalog, instantiateCatalog } from 'promkit/catalog';
import { setLoggerFactory } from 'promkit/integration';
if (client.Counter !== Counter || client.register !== register) throw new Error('default export is not the namespace');
if (typeof metricsHandler !== 'function' || typeof setLoggerFactory !== 'function') throw new Error('exports');
const c = new Counter({ name: 'packed_requests_total', help: 'From the tarball.', labelNames: ['code'] });
c.labels('200').inc(3);
new Histogram({ name: 'packed_seconds', help: 'h', buckets: linearBuckets(1, 1, 2) }).observe(1.5);
const catalog = defineCatalog({ id: 'packed', title: 'Packed', description: 'd', scrape: { job: 'packed', port: 9400, path: '/metrics' }, metrics: { jobs: { name: 'packed_jobs', type: 'gauge', help: 'Jobs.', labelNames: [] } } });
instantiateCatalog(catalog, register).jobs.set(2);
const runtime = new DistributedRuntime();
runtime.namespace('ns').component('c').endpoint('e').createCounter('esm_total', 'h').inc();
process.stdout.write(await register.metrics());
process.stdout.write(await runtime.prometheusMetricsFmt());
const om = negotiate('application/openmetrics-text;version=1.0.0');
if (om.contentType !== OPENMETRICS_CONTENT_TYPE) throw new Error('negotiate');
process.stdout.write(await register.metrics({ format: om.format }));
if (!(register instanceof Registry)) throw new Error('register');
`;

const CJS_ENGINE = `
const client = require('promkit');
const { negotiate } = require('promkit/exposition');
const { DistributedRuntime } = require('promkit/runtime');
const { metricsHandler } = require('promkit/server');
const { instantiateCatalog } = require('promkit/catalog');
const { getLogger } = require('promkit/integration');
if (typeof negotiate !== 'function' || typeof metricsHandler !== 'function' || typeof instantiateCatalog !== 'function' || typeof getLogger !== 'function') throw new Error('exports');
if (client.default.Counter !== client.Counter) throw new Error('default');
const c = new client.Counter({ name: 'cjs_total', help: 'h', labelNames: ['code'] });
c.inc({ code: 200 }, 2);
new DistributedRuntime();
client.register.metrics().then((text) => process.stdout.write(text));
`;

const TYPED_CONSUMER = `
import client, { Counter, Gauge, Registry, register, type LabelValues } from 'promkit';
import { negotiate, type ExpositionFormat } from 'promkit/exposition';
import { DistributedRuntime } from 'promkit/runtime';
import { metricsHandler } from 'promkit/server';
import { defineCatalog } from 'promkit/catalog';
import { getLogger } from 'promkit/integration';
const c = new Counter({ name: 'typed_total', help: 'h', labelNames: ['method', 'code'] });
c.labels('GET', 200).inc();
c.inc({ method: 'GET', code: '200' }, 2);
// @ts-expect-error wrong arity
c.labels('GET');
// @ts-expect-error unknown label
c.inc({ path: '/' });
const g = new Gauge({ name: 'g', help: 'h' });
g.set(1);
const labels: LabelValues<'a'> = { a: 1 };
const format: ExpositionFormat = negotiate(undefined).format;
const r: Registry = register;
const viaDefault: typeof Counter = client.Counter;
new DistributedRuntime();
getLogger('x').warn('typed');
void metricsHandler;
void defineCatalog;
export const done: Promise<string> = r.metrics({ format });
export { labels, viaDefault };
`;

describe('promkit (the engine)', () => {
  let dir: string;
  before(async () => {
    dir = await project('engine-esm', ['promkit']);
  });

  test('installing promkit brings no other package', async () => {
    assert.deepEqual(await installedPackages(dir), ['promkit']);
    console.log(`# promkit installed: 1 package, ${((await dirSize(join(dir, 'node_modules'))) / 1024).toFixed(0)} kB`);
  });

  test('plain ESM: every entry point, the default export, exposition in both formats', async () => {
    await writeFile(join(dir, 'main.mjs'), ESM_ENGINE);
    const r = await run(process.execPath, ['main.mjs'], dir, 60_000);
    assert.equal(r.code, 0, describeRun('node main.mjs', r));
    assert.match(r.stdout, /^packed_requests_total\{code="200"\} 3$/m);
    assert.match(r.stdout, /^packed_seconds_bucket\{le="2"\} 1$/m);
    assert.match(r.stdout, /^packed_jobs 2$/m);
    assert.match(r.stdout, /^dynamo_esm_total\{[^}]*namespace="ns"[^}]*\} 1$/m);
    assert.match(r.stdout, /^packed_seconds_bucket\{le="2.0"\} 1$/m, 'OpenMetrics spelling');
    assert.match(r.stdout, /# EOF\n$/);
  });

  test('CommonJS require: every entry point', async () => {
    await writeFile(join(dir, 'main.cjs'), CJS_ENGINE);
    const r = await run(process.execPath, ['main.cjs'], dir, 60_000);
    assert.equal(r.code, 0, describeRun('node main.cjs', r));
    assert.match(r.stdout, /^cjs_total\{code="200"\} 2$/m);
  });

  test("jest's CommonJS runtime: require('promkit') in a test file", async () => {
    await writeFile(
      join(dir, 'metrics.test.cjs'),
      `const client = require('promkit');
test('counts', async () => {
  const registry = new client.Registry();
  new client.Counter({ name: 'jest_total', help: 'h', registers: [registry] }).inc(2);
  expect(await registry.metrics()).toContain('jest_total 2');
  expect(client.default.Counter).toBe(client.Counter);
});`,
    );
    const jest = join(repo, 'node_modules/jest/bin/jest.js');
    const r = await run(process.execPath, [jest, '--rootDir', dir, '--ci', '--testMatch', '**/metrics.test.cjs'], dir, 120_000);
    assert.equal(r.code, 0, describeRun('jest', r));
    assert.match(r.stderr, /Tests:\s+1 passed, 1 total/);
  });

  for (const [name, options] of [
    ['node16', { module: 'Node16', moduleResolution: 'Node16' }],
    ['bundler', { module: 'ESNext', moduleResolution: 'Bundler' }],
  ] as const) {
    test(`TypeScript, moduleResolution ${name}: the shipped .d.ts, typed labels included`, async () => {
      await writeFile(join(dir, `check-${name}.ts`), TYPED_CONSUMER);
      await typecheck(dir, { ...options, esModuleInterop: true }, `check-${name}.ts`);
    });
  }

  test('TypeScript, moduleResolution node10 in a CommonJS project', async () => {
    const cjs = await project('engine-cjs', ['promkit'], 'commonjs');
    await writeFile(join(cjs, 'check.ts'), TYPED_CONSUMER);
    await typecheck(cjs, { module: 'CommonJS', moduleResolution: 'Node10', esModuleInterop: true }, 'check.ts');
  });
});

describe('@promkit/kube', () => {
  test('brings neither OpenTelemetry nor the Grafana SDK nor pino, and works from ESM', async () => {
    const dir = await project('kube', ['promkit', 'catalogs', 'kube']);
    const add = await run(npm, ['install', '--prefer-offline', '@kubernetes/client-node@^1.4.0'], dir);
    assert.equal(add.code, 0, describeRun('npm install @kubernetes/client-node', add));
    const installed = await installedPackages(dir);
    const heavy = installed.filter((p) => p.startsWith('@opentelemetry/') || p.startsWith('@grafana/') || p === 'pino');
    assert.deepEqual(heavy, []);
    await writeFile(
      join(dir, 'main.mjs'),
      `import { Registry } from 'promkit';
import { createOperatorMetrics, classifyError } from '@promkit/kube';
const registry = new Registry();
const kit = createOperatorMetrics({ registry });
await kit.instrumentReconcile('Widget', async () => undefined)({ metadata: { namespace: 'ns', name: 'w' } });
if (classifyError(new Error('x')) === undefined) throw new Error('classify');
process.stdout.write(await registry.metrics());`,
    );
    const r = await run(process.execPath, ['main.mjs'], dir, 60_000);
    assert.equal(r.code, 0, describeRun('node main.mjs', r));
    assert.match(r.stdout, /^dynamo_operator_reconcile_total\{[^}]*resource_type="Widget"[^}]*result="success"[^}]*\} 1$/m);
  });
});

describe('every package together', () => {
  let dir: string;
  before(async () => {
    dir = await project('all', PACKAGES);
  });

  test('every entry point loads from ESM', async () => {
    const entries = [
      'promkit',
      'promkit/exposition',
      'promkit/runtime',
      'promkit/server',
      'promkit/catalog',
      'promkit/integration',
      ...PACKAGES.filter((p) => p !== 'promkit' && p !== 'demo').map((p) => `@promkit/${p}`),
    ];
    await writeFile(
      join(dir, 'load.mjs'),
      `for (const e of ${JSON.stringify(entries)}) { const m = await import(e); if (Object.keys(m).length === 0) throw new Error(e + ' exports nothing'); }\nconsole.log('loaded');`,
    );
    const r = await run(process.execPath, ['load.mjs'], dir, 60_000);
    assert.equal(r.code, 0, describeRun('node load.mjs', r));
  });

  test('the companions type-check with moduleResolution node16', async () => {
    await writeFile(
      join(dir, 'check.ts'),
      `import { installLogging } from '@promkit/logging';
import { initTracing } from '@promkit/tracing';
import { createOperatorMetrics } from '@promkit/kube';
import { allCatalogs } from '@promkit/catalogs';
import { generateAll } from '@promkit/monitoring';
import { LocalApiServer } from '@promkit/testing';
import { Registry } from 'promkit';
installLogging();
export const all = [initTracing, createOperatorMetrics({ registry: new Registry() }), allCatalogs.length, generateAll, LocalApiServer];`,
    );
    await typecheck(dir, { module: 'Node16', moduleResolution: 'Node16' }, 'check.ts');
  });

  test('the bins follow the conventions: --version, --help, usage errors exit 2', async () => {
    const version = await run(join(dir, 'node_modules/.bin/promkit'), ['--version'], dir, 60_000);
    assert.equal(version.code, 0, describeRun('promkit --version', version));
    assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
    const help = await run(join(dir, 'node_modules/.bin/promkit'), ['generate', '--help'], dir, 60_000);
    assert.equal(help.code, 0, describeRun('promkit generate --help', help));
    assert.match(help.stdout, /^usage: promkit generate/);
    const bad = await run(join(dir, 'node_modules/.bin/promkit-demo'), ['--bogus'], dir, 60_000);
    assert.equal(bad.code, 2, describeRun('promkit-demo --bogus', bad));
    assert.match(bad.stderr, /^promkit-demo: .*bogus[\s\S]*usage: promkit-demo/);
    assert.equal(bad.stdout, '');
  });

  test('npx @promkit/demo --duration 5 prints the banner and exits 0', async () => {
    const ports = ['--dynamo-port', '--datamover-port', '--modal-port', '--runtime-port', '--prometheus-port'].flatMap((flag) => [flag, '0']);
    const r = await run(npm, ['exec', '--offline', '--', '@promkit/demo', '--duration', '5', '--state-dir', join(dir, 'state'), ...ports], dir, 120_000);
    assert.equal(r.code, 0, describeRun('npx @promkit/demo', r));
    assert.match(r.stdout, /promkit demo/i);
    assert.match(r.stdout, /http:\/\/127\.0\.0\.1:\d+\/metrics/);
    assert.match(r.stdout, /stopped/);
  });

  test('installed sizes (reported, not asserted)', async () => {
    for (const p of PACKAGES) {
      const path = p === 'promkit' ? join(dir, 'node_modules/promkit') : join(dir, 'node_modules/@promkit', p);
      console.log(`# ${p === 'promkit' ? 'promkit' : `@promkit/${p}`} unpacked: ${((await dirSize(path)) / 1024).toFixed(0)} kB`);
    }
    const all = await installedPackages(dir);
    console.log(`# all packages together: ${all.length} packages, ${((await dirSize(join(dir, 'node_modules'))) / 1024 / 1024).toFixed(1)} MB`);
    assert.ok(all.includes('promkit'));
  });
});
