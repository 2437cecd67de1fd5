/**
 * The published packages work as a user installs them: every workspace package is built
 * and packed, the tarballs are installed into fresh projects, and every entry point is
 * used from plain ESM, from CommonJS `require`, and from TypeScript with
 * `moduleResolution` node10, node16 and bundler. Installing `promkit` brings no other
 * package; `@promkit/kube` brings neither OpenTelemetry nor the Grafana SDK; the demo
 * runs from its tarball with `npx @promkit/demo`.
 */
import assert from 'node:assert/strict';
import { execFile, type ExecFileException } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const tsc = join(repo, 'node_modules/typescript/bin/tsc');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const PACKAGES = ['promkit', 'catalogs', 'logging', 'tracing', 'kube', 'testing', 'monitoring', 'demo'] as const;
type PackageDir = (typeof PACKAGES)[number];

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Child processes see the published packages, never the sources: no `@promkit/source` condition. */
const cleanEnv = (): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
  delete env.NODE_OPTIONS;
  return env;
};

function run(command: string, args: readonly string[], cwd: string, timeoutMs = 300_000): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, env: cleanEnv() }, (error: ExecFileException | null, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

function describeRun(what: string, r: RunResult): string {
  return `${what} exited ${r.code}\n--- stdout ---\n${r.stdout.slice(-4000)}\n--- stderr ---\n${r.stderr.slice(-4000)}`;
}

async function dirSize(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += await dirSize(path);
    else if (entry.isFile()) total += (await stat(path)).size;
  }
  return total;
}

/** Names of the packages installed in `project` (node_modules, scoped ones included). */
async function installedPackages(project: string): Promise<string[]> {
  const lock = JSON.parse(await readFile(join(project, 'package-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
  return Object.keys(lock.packages)
    .filter((path) => path.startsWith('node_modules/'))
    .map((path) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length))
    .sort();
}

let work: string;
const tarballs = new Map<PackageDir, string>();

async function project(name: string, packages: readonly PackageDir[], type: 'module' | 'commonjs' = 'module'): Promise<string> {
  const dir = join(work, name);
  await mkdir(dir);
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', private: true, type }));
  const install = await run(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund', ...packages.map((p) => tarballs.get(p)!)], dir);
  assert.equal(install.code, 0, describeRun(`npm install (${packages.join(', ')})`, install));
  return dir;
}

async function typecheck(dir: string, compilerOptions: Record<string, unknown>, file: string): Promise<void> {
  await writeFile(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        target: 'ES2022',
        skipLibCheck: false,
        types: ['node'],
        typeRoots: [join(repo, 'node_modules/@types')],
        ...compilerOptions,
      },
      files: [file],
    }),
  );
  const r = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], dir, 120_000);
  // promkit's declarations and the consumer are judged; a dependency's own .d.ts is not ours.
  const problems = r.stdout.split('\n').filter((l) => l.startsWith(file) || /^node_modules\/(promkit|@promkit)\//.test(l));
  assert.deepEqual(problems, [], describeRun(`tsc (${JSON.stringify(compilerOptions)})`, r));
}

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'promkit-pack-'));
  const build = await run(npm, ['run', 'build'], repo, 600_000);
  assert.equal(build.code, 0, describeRun('npm run build', build));
  const dest = join(work, 'tarballs');
  await mkdir(dest);
  for (const dir of PACKAGES) {
    const pack = await run(npm, ['pack', '--json', '--pack-destination', dest], join(repo, 'packages', dir));
    assert.equal(pack.code, 0, describeRun(`npm pack (${dir})`, pack));
    const [info] = JSON.parse(pack.stdout) as [{ filename: string; unpackedSize: number; size: number }];
    tarballs.set(dir, join(dest, info.filename));
    console.log(`# packed ${info.filename}: ${(info.size / 1024).toFixed(1)} kB, unpacked ${(info.unpackedSize / 1024).toFixed(1)} kB`);
  }
});

after(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

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
