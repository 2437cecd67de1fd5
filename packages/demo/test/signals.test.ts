/**
 * Issue 15, item 9: the demo stops cleanly however it is signalled: SIGTERM to the `npm`
 * at the top of npm -> sh -> node (npm forwards it to sh, which dies without passing it
 * on), SIGHUP (a closed terminal) to the demo itself, and a signal that arrives while the
 * demo is still starting (its Prometheus spawned, not yet ready).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort, isPortFree, waitUntil } from '@promkit/testing';
import { portFlags, runDemo } from './child.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const dirs: string[] = [];
after(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'promkit-demo-signals-'));
  dirs.push(dir);
  return dir;
}

async function demoPorts() {
  return { dynamo: await freePort(), datamover: await freePort(), modal: await freePort(), runtime: await freePort() };
}

function demoArgs(p: Awaited<ReturnType<typeof demoPorts>>, stateDir: string): string[] {
  return ['--no-prometheus', '--state-dir', stateDir, ...portFlags(p)];
}

function childrenOf(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((l) => Number(l.trim()))
      .filter((n) => n > 0);
  } catch {
    return [];
  }
}

/** Every process below `pid` (children, their children...). */
function descendantsOf(pid: number): number[] {
  const children = childrenOf(pid);
  return [...children, ...children.flatMap(descendantsOf)];
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const allFree = async (ports: number[]) => (await Promise.all(ports.map((port) => isPortFree(port)))).every(Boolean);

describe('the demo under signals', { timeout: 240_000 }, () => {
  it("SIGTERM to the repository's npm start stops the demo and frees its ports", async () => {
    const dir = await tempDir();
    const p = await demoPorts();
    const ports = Object.values(p);
    // The real `npm start` of the repository, as a newcomer runs it (npm runs the script through sh).
    const npm: ChildProcess = spawn('npm', ['start', '--silent', '--', ...demoArgs(p, join(dir, 'state'))], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    npm.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
    npm.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
    let descendants: number[] = [];
    try {
      await waitUntil(() => out.includes('Ctrl-C stops everything.'), {
        timeoutMs: 60_000,
        intervalMs: 100,
        description: 'the demo banner',
        describe: () => out,
      });
      descendants = descendantsOf(npm.pid!);
      assert.ok(descendants.length > 0, 'npm started the demo as a child process');
      npm.kill('SIGTERM');
      await waitUntil(async () => descendants.every((pid) => !alive(pid)) && (await allFree(ports)), {
        timeoutMs: 30_000,
        intervalMs: 200,
        description: 'every process npm started gone and the ports free',
        describe: () => `alive: ${descendants.filter(alive).join(', ')}; output:\n${out}`,
      });
    } finally {
      npm.kill('SIGKILL');
      for (const pid of descendants) if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
  });

  it('SIGHUP stops it cleanly: exit 0 after stopping everything', async () => {
    const p = await demoPorts();
    const demo = runDemo(demoArgs(p, join(await tempDir(), 'state')));
    try {
      await demo.waitForOutput('Ctrl-C stops everything.', 60_000);
      demo.kill('SIGHUP');
      assert.equal(await demo.exited, 0, demo.stderr());
      assert.match(demo.stdout(), /stopping \(SIGHUP\)…\nstopped;/);
      assert.ok(await allFree(Object.values(p)));
    } finally {
      demo.kill('SIGKILL');
    }
  });

  it('SIGTERM during start-up stops what was started: exit 0, Prometheus gone, ports free', async () => {
    const p = { ...(await demoPorts()), prometheus: await freePort() };
    const demo = runDemo(['--state-dir', join(await tempDir(), 'state'), ...portFlags(p)]);
    let started: number[] = [];
    try {
      // The demo's Prometheus exists as a child process well before the banner (it is then
      // waited on until ready): the signal lands in the middle of start-up.
      const prometheusSpawned = () => {
        started = descendantsOf(demo.child.pid!);
        return started.length > 0 || demo.stdout().includes('Ctrl-C');
      };
      await waitUntil(prometheusSpawned, {
        timeoutMs: 60_000,
        intervalMs: 20,
        description: "the demo's Prometheus process",
        describe: () => demo.stderr(),
      });
      assert.ok(!demo.stdout().includes('Ctrl-C stops everything.'), 'the signal should arrive before the banner');
      demo.kill('SIGTERM');
      assert.equal(await demo.exited, 0, demo.stderr());
      assert.match(demo.stdout(), /stopping \(SIGTERM\)…\nstopped;/);
      await waitUntil(async () => started.every((pid) => !alive(pid)) && (await allFree(Object.values(p))), {
        timeoutMs: 15_000,
        intervalMs: 100,
        description: "the demo's Prometheus gone and every port free",
        describe: () => `alive: ${started.filter(alive).join(', ')}`,
      });
    } finally {
      demo.kill('SIGKILL');
      for (const pid of started) if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
  });
});
