/**
 * Lifecycle of the Prometheus harness (real binary): close() frees the port
 * and removes the temp dir, start failures carry Prometheus' own error, a
 * missing binary is a clear error (never a skip).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { PrometheusBinaryNotFoundError, PrometheusStartError, isPortFree, promtool, startPrometheus, waitUntil } from '../src/prometheus.js';

const HARNESS = fileURLToPath(new URL('../src/prometheus.ts', import.meta.url));

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('close() stops the process, frees the port and removes the temp dir; it is idempotent', async () => {
  const prom = await startPrometheus({
    targets: [{ job: 'app', url: 'http://127.0.0.1:1/metrics' }],
    ruleGroups: [{ name: 'g', rules: [{ record: 'r:up', expr: 'sum(up)' }] }],
  });
  const { port, tempDir, configPath, pid } = prom;
  assert.ok(pid !== undefined);
  assert.equal(prom.url, `http://127.0.0.1:${port}`);
  assert.ok(existsSync(configPath));
  assert.ok(configPath.startsWith(tempDir));
  assert.equal(await isPortFree(port), false, 'Prometheus listens on its port');
  assert.equal(await prom.isReady(), true);
  assert.match((await prom.buildInfo()).version, /^\d+\.\d+\.\d+/);
  assert.equal((await prom.flags())['web.listen-address'], `127.0.0.1:${port}`);
  assert.equal((await promtool.checkConfig(configPath)).ok, true);
  assert.deepEqual(prom.jobs, ['app']);

  await Promise.all([prom.close(), prom.close()]);
  await prom.close();
  assert.equal(prom.exited, true);
  assert.equal(processAlive(pid), false, 'process is gone');
  assert.equal(existsSync(tempDir), false, 'temp dir removed');
  assert.equal(await isPortFree(port), true, 'port is free again');
  assert.match(prom.logs, /Server is ready to receive web requests/);
  await assert.rejects(prom.waitForTargetsUp({ timeoutMs: 200 }), /Prometheus exited/);
});

test('start fails with Prometheus stderr when the port is in use', async () => {
  // A listener that reads but never answers, like a hung server.
  const blocker = createServer((socket) => socket.resume());
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const port = (blocker.address() as { port: number }).port;
  try {
    await assert.rejects(startPrometheus({ port }), (err: unknown) => {
      assert.ok(err instanceof PrometheusStartError, String(err));
      assert.equal(err.addressInUse, true);
      assert.match(err.message, /address already in use/);
      return true;
    });
  } finally {
    await new Promise<void>((resolve) => blocker.close(() => resolve()));
  }
});

test('start fails with Prometheus stderr on an invalid config', async () => {
  await assert.rejects(startPrometheus({ scrapeConfigs: [{ job_name: 'bad', bogus_field: true }] }), (err: unknown) => {
    assert.ok(err instanceof PrometheusStartError, String(err));
    assert.match(err.message, /exited during startup/);
    assert.match(err.message, /bogus_field/);
    assert.notEqual(err.exitCode, 0);
    return true;
  });
});

test('start fails on invalid rule files', async () => {
  await assert.rejects(
    startPrometheus({ ruleGroups: [{ name: 'g', rules: [{ record: 'x', expr: 'sum(' }] }] }),
    (err: unknown) => err instanceof PrometheusStartError && /parse error/.test(err.message),
  );
});

test('a missing binary is a clear error that says how to install it', async () => {
  await assert.rejects(startPrometheus({ binary: '/nonexistent/prometheus' }), (err: unknown) => {
    assert.ok(err instanceof PrometheusBinaryNotFoundError);
    assert.match(err.message, /apt-get install -y prometheus/);
    return true;
  });
  await assert.rejects(promtool.checkMetrics('', { binary: '/nonexistent/promtool' }), /apt-get install -y prometheus/);
});

test('waitForScrapes validates its argument', async () => {
  const prom = await startPrometheus({ targets: [{ job: 'app', url: 'http://127.0.0.1:1/metrics' }] });
  try {
    await assert.rejects(prom.waitForScrapes(0), RangeError);
    await assert.rejects(prom.waitForScrapes(1, { job: [] }), /no scrape jobs/);
  } finally {
    await prom.close();
  }
});

/**
 * Runs a script (in a separate Node process) that starts Prometheus and never
 * calls close(); `mode` decides how that process ends. Returns Prometheus'
 * pid and temp dir as reported by the script.
 */
async function orphanScenario(mode: 'exit' | 'sigterm'): Promise<{ pid: number; tempDir: string; code: number | null; signal: string | null }> {
  const dir = await mkdtemp(join(tmpdir(), 'promkit-orphan-'));
  try {
    const script = join(dir, 'orphan.mts');
    await writeFile(
      script,
      [
        `import { startPrometheus } from ${JSON.stringify(HARNESS)};`,
        'const prom = await startPrometheus();',
        'console.log(JSON.stringify({ pid: prom.pid, tempDir: prom.tempDir }));',
        // 'exit': nothing keeps the loop alive (the harness unrefs the child) -> normal exit.
        mode === 'sigterm' ? 'setInterval(() => {}, 1000);' : '',
      ].join('\n'),
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (mode === 'sigterm' && out.includes('\n')) child.kill('SIGTERM');
    });
    const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => child.once('exit', (c, s) => resolve([c, s])));
    const info = JSON.parse(out.trim().split('\n')[0] ?? '{}') as { pid: number; tempDir: string };
    return { ...info, code, signal };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

for (const mode of ['exit', 'sigterm'] as const) {
  test(`a forgotten close() leaves no Prometheus behind (host process ends by ${mode})`, async () => {
    const { pid, tempDir, code, signal } = await orphanScenario(mode);
    assert.ok(Number.isInteger(pid), 'script reported the pid');
    if (mode === 'exit') assert.equal(code, 0);
    else assert.equal(signal, 'SIGTERM', 'default SIGTERM behaviour is preserved');
    await waitUntil(() => !processAlive(pid), { timeoutMs: 5_000, description: `prometheus pid ${pid} to die` });
    assert.equal(existsSync(tempDir), false, 'temp dir removed');
  });
}
