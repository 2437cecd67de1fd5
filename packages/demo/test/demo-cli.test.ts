/**
 * `promkit demo` as a user runs it: flags, the banner and summary, Ctrl-C, --duration, a
 * port already in use (clear error, nothing left running), and Prometheus started from the
 * written config and stopped with the demo.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DEFAULT_PORTS, DemoUsageError, parseDemoOptions } from '../src/demo/options.js';
import { PortInUseError } from '../src/demo/port-in-use.js';
import { startDemo } from '../src/demo/start-demo.js';
import { freePort, isPortFree, waitUntil } from '@promkit/testing';
import { portFlags, runDemo, type DemoChild } from './child.js';

const dirs: string[] = [];
async function stateDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'promkit-demo-cli-'));
  dirs.push(dir);
  return dir;
}
after(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function ports() {
  return { dynamo: await freePort(), datamover: await freePort(), modal: await freePort(), runtime: await freePort(), prometheus: await freePort() };
}

/**
 * freePort() picks ports that another test file running alongside may bind before the
 * demo does. Such a start (exit with "port N is in use") is retried on fresh ports; the
 * port-in-use behaviour itself is tested below with a port held on purpose.
 */
async function startOnFreePorts(args: readonly string[], settled: (demo: DemoChild) => Promise<unknown>) {
  for (let attempt = 1; ; attempt++) {
    const p = await ports();
    const demo = runDemo([...args, ...portFlags(p)]);
    try {
      await settled(demo);
      return { p, demo };
    } catch (error) {
      demo.kill('SIGKILL');
      if (attempt < 3 && /is in use/.test(demo.stderr())) continue;
      throw error;
    }
  }
}

function occupy(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port, host: '127.0.0.1' }, () => resolve(server));
  });
}

describe('promkit demo flags', () => {
  it("defaults to the catalogs' scrape ports and takes overrides", () => {
    const defaults = parseDemoOptions([]);
    assert.deepEqual(defaults.ports, { dynamo: 8082, datamover: 8080, modal: 8081, runtime: 8083, prometheus: 9090 });
    assert.deepEqual(defaults.ports, DEFAULT_PORTS);
    assert.equal(defaults.stateDir, '.promkit/demo');
    assert.equal(defaults.prometheus, true);
    const o = parseDemoOptions([
      '--modal-port',
      '0',
      '--no-prometheus',
      '--duration',
      '2.5',
      '--state-dir',
      'x',
      '--quiet',
      '--seed',
      '7',
      '--kubeconfig',
      'kc',
    ]);
    assert.equal(o.ports.modal, 0);
    assert.equal(o.prometheus, false);
    assert.equal(o.durationSeconds, 2.5);
    assert.equal(o.stateDir, 'x');
    assert.equal(o.quiet, true);
    assert.equal(o.seed, 7);
    assert.equal(o.kubeconfig, 'kc');
  });

  it('names the bad flag', () => {
    assert.throws(() => parseDemoOptions(['--modal-port', 'x']), /--modal-port must be a port number from 0 to 65535/);
    assert.throws(() => parseDemoOptions(['--runtime-port', '70000']), DemoUsageError);
    assert.throws(
      () => parseDemoOptions(['--dynamo-port', '8080']),
      /--datamover-port and --dynamo-port are both 8080|--dynamo-port and --datamover-port are both 8080/,
    );
    assert.throws(() => parseDemoOptions(['--duration', '0']), /--duration must be a positive number/);
    assert.throws(() => parseDemoOptions(['--duration=-1']), /--duration must be a positive number/);
    assert.throws(() => parseDemoOptions(['--bogus']), /Unknown option '--bogus'/);
  });

  it('exits 2 with the usage for a bad flag, 0 for --help', async () => {
    const bad = runDemo(['--bogus']);
    assert.equal(await bad.exited, 2);
    assert.match(bad.stderr(), /^promkit-demo: Unknown option '--bogus'[\s\S]*usage: promkit-demo/);
    const help = runDemo(['--help']);
    assert.equal(await help.exited, 0);
    assert.match(help.stdout(), /--datamover-port N\s+DataMover operator metrics \(default 8080\)/);
  });
});

describe('promkit demo lifecycle', { timeout: 240_000 }, () => {
  it('prints the banner and summary, serves every endpoint, and stops everything on Ctrl-C', async () => {
    const dir = await stateDir();
    const { p, demo } = await startOnFreePorts(['--no-prometheus', '--state-dir', dir], (d) => d.waitForOutput('Ctrl-C stops everything.'));
    try {
      for (const port of [p.dynamo, p.datamover, p.modal, p.runtime]) assert.match(demo.stdout(), new RegExp(`http://127\\.0\\.0\\.1:${port}/metrics`));
      assert.match(demo.stdout(), /Prometheus\s+not started \(--no-prometheus\)/);
      assert.match(demo.stdout(), new RegExp(`curl -s http://127\\.0\\.0\\.1:${p.dynamo}/metrics \\| grep dynamo_operator_reconcile_total`));
      const families = {
        [p.dynamo]: 'dynamo_operator_reconcile_total',
        [p.datamover]: 'datamover_operations_total',
        [p.modal]: 'modal_jobs_active',
        [p.runtime]: 'dynamo_system_uptime_seconds',
      };
      for (const [port, family] of Object.entries(families)) {
        // The workload has only just started: wait for the family's first sample.
        await waitUntil(
          async () => {
            const res = await fetch(`http://127.0.0.1:${port}/metrics`);
            assert.equal(res.status, 200);
            return new RegExp(`^${family}`, 'm').test(await res.text());
          },
          { timeoutMs: 10_000, intervalMs: 200, description: `${family} on port ${port}` },
        );
      }
      const config = await readFile(join(dir, 'prometheus.yml'), 'utf8');
      for (const job of ['dynamo-operator', 'datamover-operator', 'modal-operator', 'dynamo']) assert.match(config, new RegExp(`job_name: ${job}\\n`));
      assert.match(config, new RegExp(`127\\.0\\.0\\.1:${p.datamover}`));
      // Not a terminal: one summary line per refresh (every 5 s).
      await demo.waitForOutput(' reconciles/s · ', 15_000);
      assert.match(
        demo.stdout(),
        /resources \d+ \(\d+ ok, \d+ waiting, \d+ failed\) · [\d.]+ reconciles\/s · \d+ errors · \d+ denials · backup phases \d+ ok, \d+ failed · jobs \d+ active/,
      );
      // The kit logs every failed reconcile: to the state dir, not over the summary.
      assert.equal(demo.stderr(), '');
      assert.match(demo.stdout(), new RegExp(`logs: +${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/demo\\.log`));
      assert.match(
        await readFile(join(dir, 'demo.log'), 'utf8'),
        /promkit::kube::reconcile: reconcile failed resource_type=\w+ namespace=[\w-]+ name=[\w-]+ error_type=\w+/,
      );
      demo.kill('SIGINT');
      assert.equal(await demo.exited, 0, demo.stderr());
      assert.match(demo.stdout(), /stopping \(SIGINT\)…\nstopped;/);
      for (const port of [p.dynamo, p.datamover, p.modal, p.runtime]) assert.ok(await isPortFree(port), `port ${port} is free again`);
    } finally {
      demo.kill('SIGKILL');
    }
  });

  it('stops by itself after --duration', async () => {
    const dir = await stateDir();
    const { demo } = await startOnFreePorts(['--no-prometheus', '--quiet', '--duration', '1', '--state-dir', dir], async (d) => {
      const code = await d.exited;
      if (code !== 0) throw new Error(`exited ${code}: ${d.stderr()}`);
    });
    assert.equal(demo.stdout(), '');
  });

  it('reports a port in use with the flag to change, and exits 1', async () => {
    const p = await ports();
    const busy = await occupy(p.modal);
    try {
      const demo = runDemo(['--no-prometheus', '--state-dir', await stateDir(), ...portFlags(p)]);
      assert.equal(await demo.exited, 1);
      assert.equal(demo.stderr().trim(), `promkit-demo: port ${p.modal} is in use: pass --modal-port <free port> (or --modal-port 0 for any free port)`);
    } finally {
      busy.close();
    }
  });

  it('frees what it had started when a later port is in use', async () => {
    const p = await ports();
    const busy = await occupy(p.runtime);
    try {
      await assert.rejects(
        startDemo({ ports: p, prometheus: false, quiet: true, stateDir: await stateDir() }),
        (error: unknown) => error instanceof PortInUseError && error.flag === '--runtime-port' && error.port === p.runtime,
      );
      for (const port of [p.dynamo, p.datamover, p.modal]) assert.ok(await isPortFree(port), `port ${port} was released`);
    } finally {
      busy.close();
    }
  });

  it('starts Prometheus with the written config and stops it with the demo', async () => {
    const dir = await stateDir();
    const { p, demo } = await startOnFreePorts(['--state-dir', dir], (d) => d.waitForOutput('Ctrl-C stops everything.', 40_000));
    try {
      assert.match(demo.stdout(), new RegExp(`Prometheus\\s+http://127\\.0\\.0\\.1:${p.prometheus}\\s+config .*prometheus\\.yml, \\d+ rule files`));
      // Prometheus 2.42 publishes static targets about 5 s after start.
      const wanted = ['dynamo', 'dynamo-operator', 'datamover-operator', 'modal-operator', 'prometheus'];
      let jobs: string[] = [];
      await waitUntil(
        async () => {
          const targets = (await (await fetch(`http://127.0.0.1:${p.prometheus}/api/v1/targets`)).json()) as {
            data: { activeTargets: Array<{ scrapePool: string }> };
          };
          jobs = [...new Set(targets.data.activeTargets.map((t) => t.scrapePool))].sort();
          return wanted.every((j) => jobs.includes(j));
        },
        { timeoutMs: 15_000, intervalMs: 250, description: "the demo's scrape jobs", describe: () => jobs.join(', ') },
      );
      const rules = (await (await fetch(`http://127.0.0.1:${p.prometheus}/api/v1/rules`)).json()) as { data: { groups: unknown[] } };
      assert.ok(rules.data.groups.length > 0, 'the generated rule files are loaded');
      demo.kill('SIGTERM');
      assert.equal(await demo.exited, 0, demo.stderr());
      assert.ok(await isPortFree(p.prometheus), 'Prometheus is stopped and its port free');
      assert.match(await readFile(join(dir, 'prometheus.log'), 'utf8'), /Server is ready to receive web requests/);
    } finally {
      demo.kill('SIGKILL');
    }
  });
});
