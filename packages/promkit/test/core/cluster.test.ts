/**
 * Cluster mode with real forked workers: the primary's AggregatorRegistry asks each worker
 * over node:cluster IPC and aggregates per metric; a worker that dies or hangs
 * mid-request makes clusterMetrics() reject with an error naming it, instead of hanging.
 */
import assert from 'node:assert/strict';
import cluster, { type Worker } from 'node:cluster';
import { once } from 'node:events';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { AggregatorRegistry } from '../../src/index.js';
import { parseExposition } from '../../src/exposition/parser.js';
import { seriesValues } from '../exposition/helpers.js';

const workerScript = fileURLToPath(new URL('./fixtures/cluster-worker.ts', import.meta.url));

async function fork(): Promise<Worker> {
  const worker = cluster.fork();
  const [message] = await once(worker, 'message');
  assert.equal(message, 'ready');
  return worker;
}

async function arm(worker: Worker, how: 'die-on-collect' | 'hang-on-collect'): Promise<void> {
  worker.send(how);
  const [message] = await once(worker, 'message');
  assert.equal(message, 'armed');
}

describe('AggregatorRegistry over node:cluster', () => {
  let workers: Worker[] = [];

  before(async () => {
    cluster.setupPrimary({ exec: workerScript, execArgv: ['--import', 'tsx'], silent: false });
    workers = [await fork(), await fork()];
  });

  after(() => {
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill();
  });

  test('clusterMetrics() aggregates every worker per the metric’s aggregator', async () => {
    const registry = new AggregatorRegistry();
    const parsed = parseExposition(await registry.clusterMetrics(), 'prometheus');
    const ids = workers.map((w) => w.id);
    const tens = ids.map((id) => id * 10);
    const values = seriesValues(parsed);
    assert.equal(values.get('jobs_total{queue="a"}'), ids[0] + ids[1]);
    assert.equal(values.get('g_sum{}'), tens[0] + tens[1]);
    assert.ok([tens[0], tens[1]].includes(values.get('g_first{}')!), 'first: one worker’s value');
    assert.equal(values.get('g_min{}'), Math.min(...tens));
    assert.equal(values.get('g_max{}'), Math.max(...tens));
    assert.equal(values.get('g_average{}'), (tens[0] + tens[1]) / 2);
    assert.equal(
      parsed.families.find((f) => f.name === 'g_omit'),
      undefined,
      'omit: left out',
    );
    // Histograms sum bucket by bucket: worker ids 1 and 2 observed 1 and 2.
    assert.equal(values.get('latency_seconds_count{}'), 2);
    assert.equal(values.get('latency_seconds_sum{}'), ids[0] + ids[1]);
    assert.equal(values.get('latency_seconds_bucket{le="+Inf"}'), 2);
    assert.equal(values.get('latency_seconds_bucket{le="2"}'), ids.filter((id) => id <= 2).length);
    assert.equal(parsed.families.find((f) => f.name === 'latency_seconds')?.type, 'histogram');
  });

  test('an OpenMetrics AggregatorRegistry answers in OpenMetrics', async () => {
    const registry = new AggregatorRegistry(AggregatorRegistry.OPENMETRICS_CONTENT_TYPE);
    const text = await registry.clusterMetrics();
    assert.match(text, /# EOF\n$/);
    const values = seriesValues(parseExposition(text, 'openmetrics'));
    assert.equal(values.get('jobs_total{queue="a"}'), workers[0].id + workers[1].id);
  });

  test('a worker that hangs while collecting: rejects after clusterTimeoutMs, naming the worker', async () => {
    const hanging = await fork();
    await arm(hanging, 'hang-on-collect');
    const registry = new AggregatorRegistry();
    registry.clusterTimeoutMs = 500;
    await assert.rejects(registry.clusterMetrics(), (error: Error) => {
      assert.match(error.message, new RegExp(`no answer within 500 ms from worker ${hanging.id} \\(pid ${hanging.process.pid}\\)`));
      return true;
    });
    hanging.process.kill();
    await once(hanging, 'exit');
  });

  test('a worker that dies mid-request: rejects at once with the exit, naming the worker', async () => {
    const dying = await fork();
    await arm(dying, 'die-on-collect');
    const registry = new AggregatorRegistry();
    // Far longer than the test may take: the rejection must come from the exit, not the timeout.
    registry.clusterTimeoutMs = 600_000;
    await assert.rejects(
      registry.clusterMetrics(),
      new RegExp(`worker ${dying.id} \\(pid ${dying.process.pid}\\) exited with code 3 before sending its metrics`),
    );
  });

  test('after the failures, the healthy workers still aggregate', async () => {
    const text = await new AggregatorRegistry().clusterMetrics();
    assert.equal(seriesValues(parseExposition(text, 'prometheus')).get('jobs_total{queue="a"}'), workers[0].id + workers[1].id);
  });
});
