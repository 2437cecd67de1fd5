/**
 * The published package works: build, `npm pack`, install the tarball into an empty
 * project, import `promkit` and `promkit/exposition` from plain ESM, and typecheck a
 * consumer against the shipped `.d.ts`.
 *
 * The build runs in a copy of the repository (so it never races other work on this
 * checkout's dist/). Only the root and `promkit/exposition` entry points are asserted:
 * other subpaths may be mid-change while this runs.
 */
import assert from 'node:assert/strict';
import { execFile, type ExecFileException } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const tsc = join(repo, 'node_modules/.bin/tsc');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

function run(command: string, args: readonly string[], cwd: string, timeoutMs = 300_000): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, npm_config_update_notifier: 'false' } }, (error: ExecFileException | null, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

function describeRun(what: string, r: RunResult): string {
  return `${what} exited ${r.code}\n--- stdout ---\n${r.stdout.slice(-4000)}\n--- stderr ---\n${r.stderr.slice(-4000)}`;
}

let work: string;
let consumer: string;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'promkit-pack-'));
  const copy = join(work, 'promkit');
  await mkdir(copy);
  for (const entry of ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'README.md', 'src', 'docs']) {
    await cp(join(repo, entry), join(copy, entry), { recursive: true });
  }
  await symlink(join(repo, 'node_modules'), join(copy, 'node_modules'), 'dir');

  // `npm run build` compiles every subpath; errors elsewhere must not hide ours.
  const build = await run(npm, ['run', 'build'], copy);
  const ours = (build.stdout + build.stderr).split('\n').filter((l) => /^src\/(core|exposition)\/|^src\/index\.ts/.test(l));
  assert.deepEqual(ours, [], describeRun('npm run build (errors in the root or exposition entry points)', build));

  const tarballs = join(work, 'tarballs');
  await mkdir(tarballs);
  // The build just ran; --ignore-scripts keeps prepack from building a second time.
  const pack = await run(npm, ['pack', '--ignore-scripts', '--pack-destination', tarballs], copy);
  assert.equal(pack.code, 0, describeRun('npm pack', pack));
  const [tarball] = (await readdir(tarballs)).filter((f) => f.endsWith('.tgz'));
  assert.ok(tarball, 'npm pack wrote a tarball');

  consumer = join(work, 'consumer');
  await mkdir(consumer);
  await writeFile(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }));
  const install = await run(npm, ['install', join(tarballs, tarball), '--no-audit', '--no-fund', '--prefer-offline'], consumer);
  assert.equal(install.code, 0, describeRun('npm install <tarball>', install));
});

after(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

test('plain ESM imports promkit, counts, and prints the exposition', async () => {
  await writeFile(
    join(consumer, 'main.mjs'),
    [
      "import { Counter, Histogram, Registry, register, linearBuckets } from 'promkit';",
      "import { negotiate, OPENMETRICS_CONTENT_TYPE } from 'promkit/exposition';",
      "const c = new Counter({ name: 'packed_requests_total', help: 'From the tarball.', labelNames: ['code'] });",
      "c.labels('200').inc(3);",
      "new Histogram({ name: 'packed_seconds', help: 'h', buckets: linearBuckets(1, 1, 2) }).observe(1.5);",
      'process.stdout.write(await register.metrics());',
      "const om = negotiate('application/openmetrics-text;version=1.0.0');",
      "if (om.contentType !== OPENMETRICS_CONTENT_TYPE) throw new Error('negotiate');",
      "process.stdout.write(await register.metrics({ format: om.format }));",
      "if (!(register instanceof Registry)) throw new Error('register');",
    ].join('\n'),
  );
  const r = await run(process.execPath, ['main.mjs'], consumer, 60_000);
  assert.equal(r.code, 0, describeRun('node main.mjs', r));
  assert.match(r.stdout, /^# TYPE packed_requests_total counter$/m);
  assert.match(r.stdout, /^packed_requests_total\{code="200"\} 3$/m);
  assert.match(r.stdout, /^packed_seconds_bucket\{le="2"\} 1$/m);
  assert.match(r.stdout, /^# TYPE packed_requests counter$/m, 'the OpenMetrics family name');
  assert.match(r.stdout, /^packed_seconds_bucket\{le="2.0"\} 1$/m);
  assert.match(r.stdout, /# EOF\n$/);
});

test('the shipped .d.ts typecheck a strict consumer, typed labels included', async () => {
  await writeFile(
    join(consumer, 'check.ts'),
    [
      "import { Counter, Gauge, Registry, register, type LabelValues } from 'promkit';",
      "import { negotiate, type ExpositionFormat } from 'promkit/exposition';",
      "const c = new Counter({ name: 'typed_total', help: 'h', labelNames: ['method', 'code'] });",
      "c.labels('GET', 200).inc();",
      "c.inc({ method: 'GET', code: '200' }, 2);",
      '// @ts-expect-error wrong arity',
      "c.labels('GET');",
      '// @ts-expect-error unknown label',
      "c.inc({ path: '/' });",
      "const g = new Gauge({ name: 'g', help: 'h' });",
      'g.set(1);',
      "const labels: LabelValues<'a'> = { a: 1 };",
      "const format: ExpositionFormat = negotiate(undefined).format;",
      'const r: Registry = register;',
      'export const done: Promise<string> = r.metrics({ format });',
      'export { labels };',
    ].join('\n'),
  );
  await writeFile(
    join(consumer, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        target: 'ES2022',
        skipLibCheck: false,
        types: ['node'],
        typeRoots: [join(repo, 'node_modules/@types')],
      },
      files: ['check.ts'],
    }),
  );
  const r = await run(tsc, ['-p', 'tsconfig.json'], consumer, 120_000);
  // Only promkit's own declarations and the consumer file are judged (dependencies' .d.ts are not ours).
  const problems = r.stdout.split('\n').filter((l) => /^(check\.ts|node_modules\/promkit\/)/.test(l));
  // The @ts-expect-error lines make this fail if the declarations were missing or `any`.
  assert.deepEqual(problems, [], describeRun('tsc', r));
});
