/**
 * `promkit demo` end to end: the demo runs in-process on free ports (no Prometheus of its
 * own), a real Prometheus scrapes its four endpoints every second with the rule files the
 * demo generated, and the test checks what Prometheus stored against the catalogs (the
 * specs' families, label names and documented values), runs every example query of the
 * specs, checks the generated rules evaluate, and reads the objects the controllers
 * reconciled through the embedded API server's kubeconfig.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { allCatalogs } from '@promkit/catalogs';
import type { Catalog } from 'promkit/catalog';
import { startDemo, type RunningDemo } from '../src/demo/start-demo.js';
import { checkConfig, startPrometheus, waitUntil, type Labels, type RunningPrometheus } from '@promkit/testing';
import { catalogSelector, labelProblems, missingFamilies } from './catalog-checks.js';

/**
 * Example queries that legitimately return nothing on a Prometheus that has run for seconds,
 * beyond those the catalogs mark `mayBeEmpty` (cAdvisor metrics, a day of history).
 */
const EMPTY_ON_SHORT_HISTORY: Readonly<Record<string, string>> = {
  'Average duration by phase over the last hour':
    'a `[1h:5m]` subquery evaluates at 5-minute-aligned instants; until one of them falls after the first samples there is nothing to average',
};

interface StateWatch {
  readonly seen: { dgd: Set<unknown>; dgdr: Set<unknown>; backups: Set<unknown>; jobs: Set<unknown> };
  errors: number;
  stop(): void;
}

/**
 * Records every state the controllers write, from the start (a state may last well under a
 * second), by listing through the kubeconfig the demo wrote for its embedded API server.
 */
function watchStates(demo: RunningDemo): StateWatch {
  assert.ok(demo.kubeconfigPath, 'the demo writes a kubeconfig for its API server');
  const kc = new KubeConfig();
  kc.loadFromFile(demo.kubeconfigPath!);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const list = async (group: string, plural: string) =>
    ((await custom.listClusterCustomObject({ group, version: 'v1alpha1', plural })) as { items: Array<{ status?: Record<string, unknown> }> }).items;
  const watch: StateWatch = {
    seen: { dgd: new Set(), dgdr: new Set(), backups: new Set(), jobs: new Set() },
    errors: 0,
    stop: () => clearInterval(timer),
  };
  const poll = async () => {
    for (const o of await list('nvidia.com', 'dynamographdeployments')) watch.seen.dgd.add(o.status?.state);
    for (const o of await list('nvidia.com', 'dynamographdeploymentrequests')) watch.seen.dgdr.add(o.status?.state);
    for (const o of await list('datamover.promkit.dev', 'datamovers')) watch.seen.backups.add(o.status?.phase);
    for (const o of await list('modal.promkit.dev', 'modaljobs')) watch.seen.jobs.add(o.status?.phase);
  };
  const timer = setInterval(() => void poll().catch(() => watch.errors++), 100);
  return watch;
}

const ZERO_PORTS = { dynamo: 0, datamover: 0, modal: 0, runtime: 0, prometheus: 0 };

describe('promkit demo, scraped by a real Prometheus', { timeout: 180_000 }, () => {
  let stateDir: string;
  let demo: RunningDemo;
  let prom: RunningPrometheus;
  let startedAt: Date;
  let states: StateWatch;

  before(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'promkit-demo-e2e-'));
    startedAt = new Date();
    demo = await startDemo({ ports: ZERO_PORTS, prometheus: false, quiet: true, stateDir });
    states = watchStates(demo);
    prom = await startPrometheus({
      targets: Object.values(demo.endpoints).map((e) => ({ job: e.catalog.scrape.job, url: e.url })),
      scrapeInterval: '1s',
      ruleFiles: demo.ruleFiles.map((f) => join(demo.stateDir, f)),
    });
  });

  after(async () => {
    states?.stop();
    await prom?.close();
    await demo?.stop();
    if (stateDir) await rm(stateDir, { recursive: true, force: true });
  });

  const seriesOf = (catalog: Catalog): Promise<Labels[]> => prom.series(catalogSelector(catalog), { start: startedAt, end: new Date() });

  it('has series for every documented family, with exactly the documented labels and values', async () => {
    await prom.waitForTargetsUp({ timeoutMs: 20_000 });
    const missing = new Map<string, string[]>();
    await waitUntil(
      async () => {
        for (const catalog of allCatalogs) missing.set(catalog.id, missingFamilies(catalog, await seriesOf(catalog)));
        return [...missing.values()].every((m) => m.length === 0);
      },
      { timeoutMs: 40_000, intervalMs: 1_000, description: 'every family to have series', describe: () => JSON.stringify(Object.fromEntries(missing)) },
    );
    for (const catalog of allCatalogs) {
      assert.deepEqual(labelProblems(catalog, await seriesOf(catalog)), [], `${catalog.id}: series differ from the catalog`);
    }
  });

  it('answers every example query of the specs', async () => {
    // rate() needs two samples of a series inside its window; give every target a few scrapes.
    await prom.waitForScrapes(4, { timeoutMs: 20_000 });
    const empty: string[] = [];
    for (const catalog of allCatalogs) {
      for (const query of catalog.queries) {
        const where = `${catalog.id}: ${query.title}: ${query.expr}`;
        const mayBeEmpty = query.mayBeEmpty ?? EMPTY_ON_SHORT_HISTORY[query.title];
        if (mayBeEmpty) {
          await prom.query(query.expr); // must still evaluate
          continue;
        }
        // Gauges of running jobs come and go (a job's series leave when it finishes, and the
        // demo has stretches of 10 s and more with no job running): the query must have
        // returned data at some instant since the demo started, evaluated every second.
        const result = await waitUntil(
          async () => {
            const r = await prom.queryRange(query.expr, startedAt, new Date(), 1);
            return r.some((series) => series.values.length > 0 || (series.histograms?.length ?? 0) > 0) ? r : undefined;
          },
          { timeoutMs: 30_000, intervalMs: 1_000 },
        ).catch(() => undefined);
        if (!result) empty.push(where);
      }
    }
    assert.deepEqual(empty, [], 'example queries without data');
  });

  it('writes a prometheus.yml (and rule files) that promtool accepts, and the rules evaluate', async () => {
    assert.ok(demo.ruleFiles.length > 0, demo.rulesNote ?? 'no rule files');
    const check = await checkConfig(demo.prometheusConfig);
    assert.ok(check.ok, check.output);
    await prom.waitForScrapes(2);
    const groups = await prom.rules();
    const rules = groups.flatMap((g) => g.rules);
    assert.ok(rules.length > 0, 'the generated rules are loaded');
    await waitUntil(async () => (await prom.rules()).flatMap((g) => g.rules).every((r) => r.health !== 'unknown'), { timeoutMs: 10_000 });
    const broken = (await prom.rules()).flatMap((g) => g.rules).filter((r) => r.health === 'err');
    assert.deepEqual(
      broken.map((r) => `${r.name}: ${r.lastError}`),
      [],
    );
  });

  it('walks every documented state through the embedded API server', async () => {
    const wanted = {
      dgd: ['pending', 'successful', 'failed'],
      dgdr: ['Pending', 'Profiling', 'Deploying', 'Ready', 'Failed'],
      backups: ['CreatingClonedPVC', 'CreatingPod', 'CleaningUp', 'Completed', 'Failed'],
      jobs: ['Queued', 'Running', 'Completed', 'Failed'],
    };
    const describeSeen = () => JSON.stringify(Object.fromEntries(Object.entries(states.seen).map(([k, v]) => [k, [...v]])));
    await waitUntil(() => (Object.keys(wanted) as Array<keyof typeof wanted>).every((k) => wanted[k].every((s) => states.seen[k].has(s))), {
      timeoutMs: 20_000,
      intervalMs: 250,
      description: 'every state',
      describe: describeSeen,
    });
    assert.equal(states.errors, 0, 'listing through the written kubeconfig works');
  });
});
