/**
 * What the packaging tests share: running commands as a user's shell would (no
 * `@promkit/source` condition), the one build and pack of every workspace package per
 * run (or the tarballs an earlier run of the same sources kept: pack-cache.ts), fresh
 * projects that install the tarballs, and type-checking a consumer file.
 * Building happens in place (each package's dist/), so two builds in one run would race:
 * one build per test run, shared by the test files (see sharedFolder).
 */
import assert from 'node:assert/strict';
import { execFile, type ExecFileException } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cachedTarballs, keepTarballs } from './pack-cache.js';

export const repo = fileURLToPath(new URL('../../', import.meta.url));
const tsc = join(repo, 'node_modules/typescript/bin/tsc');
export const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
export const PACKAGES = ['promkit', 'catalogs', 'logging', 'tracing', 'kube', 'testing', 'monitoring', 'demo'] as const;
export type PackageDir = (typeof PACKAGES)[number];

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Child processes see the published packages, never the sources: no `@promkit/source` condition. */
export const cleanEnv = (): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
  delete env.NODE_OPTIONS;
  return env;
};

export function run(command: string, args: readonly string[], cwd: string, timeoutMs = 300_000): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, env: cleanEnv() }, (error: ExecFileException | null, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

export function describeRun(what: string, r: RunResult): string {
  return `${what} exited ${r.code}\n--- stdout ---\n${r.stdout.slice(-4000)}\n--- stderr ---\n${r.stderr.slice(-4000)}`;
}

export async function dirSize(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += await dirSize(path);
    else if (entry.isFile()) total += (await stat(path)).size;
  }
  return total;
}

/** Names of the packages installed in `project` (node_modules, scoped ones included). */
export async function installedPackages(project: string): Promise<string[]> {
  const lock = JSON.parse(await readFile(join(project, 'package-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
  return Object.keys(lock.packages)
    .filter((path) => path.startsWith('node_modules/'))
    .map((path) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length))
    .sort();
}

export interface Packed {
  /** This process's folder for its projects; removed by `removeWork()`. */
  work: string;
  tarballs: ReadonlyMap<PackageDir, string>;
}

let work: Promise<string> | undefined;
const workDir = (): Promise<string> => (work ??= mkdtemp(join(tmpdir(), 'promkit-pack-')));

/** Every package built and packed once per test run; this process's own project folder. */
export async function packWorkspace(): Promise<Packed> {
  const tarballs = await waitForFile<Array<[PackageDir, string]>>(await sharedFolder(), 'done.json');
  return { work: await workDir(), tarballs: new Map(tarballs) };
}

/** promkit's tarball alone: ready before the other packages are built. */
export async function packPromkit(): Promise<{ work: string; tarball: string }> {
  const tarball = await waitForFile<string>(await sharedFolder(), 'promkit.json');
  return { work: await workDir(), tarball };
}

export async function removeWork(): Promise<void> {
  const dir = await work?.catch(() => undefined);
  if (dir) await rm(dir, { recursive: true, force: true });
}

const SHARED_PREFIX = 'promkit-pack-run-';
let folder: Promise<string> | undefined;

/**
 * The run's build folder. The test files of one `node --test` run are children of one
 * runner process: the first to get here (mkdir is the lock) starts the build in a folder
 * named after the runner, and every file waits for the files it needs there. The
 * runner's start time is in the name, so a recycled pid never meets an old build.
 * Run without the test runner, a file builds for itself.
 */
function sharedFolder(): Promise<string> {
  folder ??= (async () => {
    const owner = process.env.NODE_TEST_CONTEXT ? process.ppid : process.pid;
    await removeFinishedRuns(owner);
    const shared = join(tmpdir(), `${SHARED_PREFIX}${owner}-${await startTime(owner)}`);
    try {
      await mkdir(shared);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      return shared;
    }
    await writeFile(join(shared, 'builder.pid'), String(process.pid));
    // Not awaited: each file waits for what it needs, and promkit's tarball comes first.
    buildAndPack(shared).catch((error: Error) => writeFile(join(shared, 'failed.txt'), error.message).catch(() => {}));
    return shared;
  })();
  return folder;
}

/** promkit first (the others build against its dist), published as promkit.json; then the rest, done.json. */
async function buildAndPack(shared: string): Promise<void> {
  const cached = await cachedTarballs(repo, PACKAGES);
  if (cached !== undefined) {
    console.log(`# tarballs from ${process.env.PROMKIT_PACK_CACHE} (built by an earlier run of these sources)`);
    await publish(shared, 'promkit.json', new Map(cached).get(PACKAGES[0]));
    await publish(shared, 'done.json', cached);
    return;
  }
  const dest = join(shared, 'tarballs');
  await mkdir(dest);
  const tarballs = new Map<PackageDir, string>();
  const [engine, ...rest] = PACKAGES;
  await buildAndPackSome([engine], dest, tarballs);
  await publish(shared, 'promkit.json', tarballs.get(engine));
  await buildAndPackSome(rest, dest, tarballs);
  await keepTarballs(repo, PACKAGES, tarballs);
  await publish(shared, 'done.json', [...tarballs]);
}

async function buildAndPackSome(dirs: readonly PackageDir[], dest: string, tarballs: Map<PackageDir, string>): Promise<void> {
  const build = await run(npm, ['run', 'build', ...dirs.flatMap((d) => ['--workspace', `packages/${d}`])], repo, 600_000);
  assert.equal(build.code, 0, describeRun(`npm run build (${dirs.join(', ')})`, build));
  for (const dir of dirs) {
    const pack = await run(npm, ['pack', '--json', '--pack-destination', dest], join(repo, 'packages', dir));
    assert.equal(pack.code, 0, describeRun(`npm pack (${dir})`, pack));
    const [info] = JSON.parse(pack.stdout) as [{ filename: string; unpackedSize: number; size: number }];
    tarballs.set(dir, join(dest, info.filename));
    console.log(`# packed ${info.filename}: ${(info.size / 1024).toFixed(1)} kB, unpacked ${(info.unpackedSize / 1024).toFixed(1)} kB`);
  }
}

/** Written whole, then renamed: a reader never sees half a file. */
async function publish(shared: string, name: string, value: unknown): Promise<void> {
  await writeFile(join(shared, `${name}.tmp`), JSON.stringify(value));
  await rename(join(shared, `${name}.tmp`), join(shared, name));
}

async function waitForFile<T>(shared: string, name: string): Promise<T> {
  const deadline = Date.now() + 600_000;
  for (;;) {
    const found = await readFile(join(shared, name), 'utf8').catch(() => undefined);
    if (found !== undefined) return JSON.parse(found) as T;
    const failed = await readFile(join(shared, 'failed.txt'), 'utf8').catch(() => undefined);
    if (failed !== undefined) throw new Error(`the run's build failed:\n${failed}`);
    const builder = Number(await readFile(join(shared, 'builder.pid'), 'utf8').catch(() => 'NaN'));
    if (Number.isInteger(builder) && !alive(builder)) throw new Error(`the test file building in ${shared} (pid ${builder}) died before finishing`);
    if (Date.now() > deadline) throw new Error(`no ${name} in ${shared} after 10 minutes`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Linux: the process's start time in clock ticks (field 22 of /proc/<pid>/stat); elsewhere ''. */
async function startTime(pid: number): Promise<string> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
}

/**
 * Folders of runners that are gone. Only those older than an hour: a runner in another pid
 * namespace (a container sharing /tmp) looks gone from here while it still builds.
 */
async function removeFinishedRuns(current: number): Promise<void> {
  for (const name of await readdir(tmpdir())) {
    if (!name.startsWith(SHARED_PREFIX)) continue;
    const pid = Number(name.slice(SHARED_PREFIX.length).split('-')[0]);
    if (pid === current || alive(pid)) continue;
    const path = join(tmpdir(), name);
    const age = Date.now() - (await stat(path).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
    if (age > 3_600_000) await rm(path, { recursive: true, force: true });
  }
}

/** A fresh project in the run's folder with `packages` installed from their tarballs. */
export async function project(name: string, packages: readonly PackageDir[], type: 'module' | 'commonjs' = 'module'): Promise<string> {
  const { work, tarballs } = await packWorkspace();
  const dir = join(work, name);
  await mkdir(dir);
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', private: true, type }));
  const install = await run(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund', ...packages.map((p) => tarballs.get(p)!)], dir);
  assert.equal(install.code, 0, describeRun(`npm install (${packages.join(', ')})`, install));
  return dir;
}

/**
 * Type-checks `file` (or files) in `dir` with `skipLibCheck: false`. Problems in the
 * consumer files and in the `judged` packages' declarations fail; another dependency's
 * own .d.ts is not ours to judge.
 */
export async function typecheck(
  dir: string,
  compilerOptions: Record<string, unknown>,
  file: string | readonly string[],
  judged: RegExp = /^node_modules\/(promkit|@promkit)\//,
): Promise<void> {
  const files = typeof file === 'string' ? [file] : file;
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
      files,
    }),
  );
  const r = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], dir, 120_000);
  const problems = r.stdout.split('\n').filter((l) => files.some((f) => l.startsWith(f)) || judged.test(l));
  assert.deepEqual(problems, [], describeRun(`tsc (${JSON.stringify(compilerOptions)})`, r));
}
