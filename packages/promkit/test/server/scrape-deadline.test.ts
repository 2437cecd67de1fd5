/**
 * Issue 15, item 1: a hung collect() or update callback must not take the target down.
 * A real Prometheus scrapes with a 2 s scrape_timeout (sent as
 * X-Prometheus-Scrape-Timeout-Seconds); the server must answer within it with every
 * healthy metric, leaving out only the hung family.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Counter, Gauge, Registry } from '../../src/core/index.js';
import { DistributedRuntime } from '../../src/runtime/index.js';
import { startMetricsServer, type RunningMetricsServer } from '../../src/server/index.js';
import { gatherBudgetMs } from '../../src/server/scrape-deadline.js';
import { startPrometheus, waitUntil, type RunningPrometheus } from '@promkit/testing';
import { quietLogger } from './http-client.js';

const env = { DYN_SYSTEM_ENABLED: 'true', DYN_SYSTEM_PORT: '0', DYN_SYSTEM_HOST: '127.0.0.1' };
const never = (): Promise<never> => new Promise<never>(() => {});

function registryWithHungCollect(): Registry {
  const registry = new Registry();
  registry.setCollectErrorHandler(() => {});
  new Counter({ name: 'healthy_total', help: 'A metric whose collect is fine', registers: [registry] }).inc(7);
  new Gauge({ name: 'hung', help: 'Its collect never settles', registers: [registry], collect: never });
  return registry;
}

function runtimeWithHungCallbackAndCollect(): DistributedRuntime {
  const runtime = new DistributedRuntime({ logger: quietLogger() });
  runtime.registry.setCollectErrorHandler(() => {});
  const endpoint = runtime.namespace('dynamo').component('backend').endpoint('generate');
  endpoint.createCounter('healthy', 'A healthy runtime metric').inc(5);
  endpoint.addUpdateCallback(never);
  new Gauge({ name: 'hung_in_runtime', help: 'Its collect never settles', registers: [runtime.registry], collect: never });
  return runtime;
}

describe('a hung collect under a real Prometheus scrape deadline', () => {
  const servers: RunningMetricsServer[] = [];
  let prom: RunningPrometheus;

  before(async () => {
    const plain = await startMetricsServer({ registry: registryWithHungCollect(), host: '127.0.0.1', logger: quietLogger() });
    const runtime = (await runtimeWithHungCallbackAndCollect().startSystemServer({ env }))!;
    servers.push(plain, runtime);
    prom = await startPrometheus({
      scrapeInterval: '2s',
      targets: [
        { job: 'registry', url: `${plain.url}/metrics`, scrapeTimeout: '2s' },
        { job: 'runtime', url: `${runtime.url}/metrics`, scrapeTimeout: '2s' },
      ],
    });
  });

  after(async () => {
    await prom?.close();
    await Promise.all(servers.map((s) => s.close()));
  });

  test('the target stays up and every healthy metric is ingested', async () => {
    // Two finished scrapes of each job, successful or not: then judge them.
    const targets = await waitUntil(
      async () => {
        const active = (await prom.targets('active')).activeTargets;
        const range = Math.ceil((Date.now() - prom.startedAt.getTime()) / 1000) + 60;
        const attempts = await prom.queryVector(`count_over_time(up[${range}s])`);
        const enough = ['registry', 'runtime'].every((job) => (attempts.find((s) => s.metric.job === job)?.value ?? 0) >= 2);
        return enough ? active : undefined;
      },
      { timeoutMs: 40_000, description: 'two scrapes of each job' },
    );
    for (const t of targets) assert.equal(t.health, 'up', `${t.scrapePool} down: ${t.lastError}`);
    const range = Math.ceil((Date.now() - prom.startedAt.getTime()) / 1000) + 60;
    for (const job of ['registry', 'runtime']) {
      assert.equal(await prom.queryValue(`min_over_time(up{job="${job}"}[${range}s])`), 1, `every scrape of ${job} succeeded`);
    }
    assert.equal(await prom.queryValue('healthy_total{job="registry"}'), 7);
    assert.equal(await prom.queryValue('dynamo_healthy{job="runtime",endpoint="generate"}'), 5);
    const uptime = await prom.queryValue('dynamo_system_uptime_seconds{job="runtime"}');
    assert.ok(uptime !== undefined && uptime > 0);
    assert.equal(await prom.queryValue('hung{job="registry"}'), undefined);
    assert.ok(((await prom.queryValue('promkit_collect_errors_total{job="registry",metric="hung"}')) ?? 0) >= 1);
    assert.ok(((await prom.queryValue('promkit_collect_errors_total{job="runtime",metric="hung_in_runtime"}')) ?? 0) >= 1);
    assert.ok(((await prom.queryValue('dynamo_update_callback_errors_total{job="runtime",scope="dynamo/backend/generate"}')) ?? 0) >= 1);
  });
});

describe('the gather budget taken from the scraper', () => {
  test('X-Prometheus-Scrape-Timeout-Seconds leaves a fifth (at least 500 ms, at most half) for encoding and sending', () => {
    const budget = (value: string | undefined) => gatherBudgetMs(value === undefined ? {} : { 'x-prometheus-scrape-timeout-seconds': value });
    assert.equal(budget('10'), 8_000);
    assert.equal(budget('2'), 1_500);
    assert.equal(budget('0.5'), 250);
    assert.equal(budget('60'), 48_000);
  });

  test('a missing or malformed header leaves the source its own bound', () => {
    for (const value of [undefined, '', 'soon', '-1', '0', 'NaN', 'Infinity']) {
      assert.equal(gatherBudgetMs(value === undefined ? {} : { 'x-prometheus-scrape-timeout-seconds': value }), undefined, String(value));
    }
  });

  test('the header can only shorten collectTimeoutMs', async () => {
    const registry = registryWithHungCollect();
    registry.collectTimeoutMs = 50;
    const text = await registry.metrics({ timeoutMs: 60_000 });
    assert.match(text, /^healthy_total 7$/m);
  });

  test('a bad timeoutMs is an error naming it', async () => {
    await assert.rejects(new Registry().metrics({ timeoutMs: -1 }), /timeoutMs must be a number of milliseconds >= 0, got -1/);
    await assert.rejects(
      new DistributedRuntime({ logger: quietLogger() }).metrics({ timeoutMs: Number.NaN }),
      /runtime metrics: timeoutMs must be a number of milliseconds >= 0, got NaN/,
    );
  });
});
