/**
 * A real Prometheus (2.42) scrapes system status servers: plain, bearer + TLS, a wrong
 * token, and OpenMetrics opted in (showing why text 0.0.4 is the default).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DistributedRuntime } from '../../src/runtime/index.js';
import { bearerTokenAuthorizer, type RunningMetricsServer } from '../../src/server/index.js';
import { startPrometheus, waitUntil, type RunningPrometheus } from '@promkit/testing';
import { quietLogger } from './http-client.js';
import { makeTestCert, type TestCert } from './test-cert.js';

const env = { DYN_SYSTEM_ENABLED: 'true', DYN_SYSTEM_PORT: '0', DYN_SYSTEM_HOST: '127.0.0.1' };

function specRuntime(): DistributedRuntime {
  const runtime = new DistributedRuntime({ logger: quietLogger() });
  const counter = runtime.namespace('dynamo').component('backend').endpoint('generate').createCounter('my_counter', 'My custom counter');
  for (let i = 0; i < 42; i++) counter.inc();
  return runtime;
}

describe('scraped by a real Prometheus', () => {
  const servers: RunningMetricsServer[] = [];
  let prom: RunningPrometheus;
  let cert: TestCert;

  before(async () => {
    cert = makeTestCert();
    const plain = (await specRuntime().startSystemServer({ env }))!;
    const secured = (await specRuntime().startSystemServer({
      env,
      auth: bearerTokenAuthorizer('prom-token'),
      tls: { certFile: cert.certFile, keyFile: cert.keyFile },
    }))!;
    const openMetrics = (await specRuntime().startSystemServer({ env, openMetrics: true }))!;
    servers.push(plain, secured, openMetrics);
    prom = await startPrometheus({
      targets: [
        { job: 'runtime', url: `${plain.url}/metrics` },
        { job: 'secured', url: `${secured.url}/metrics`, bearerToken: 'prom-token', tlsInsecure: true },
        { job: 'wrong-token', url: `${secured.url}/metrics`, bearerToken: 'nope', tlsInsecure: true },
        { job: 'openmetrics', url: `${openMetrics.url}/metrics` },
      ],
    });
  });

  after(async () => {
    await prom?.close();
    await Promise.all(servers.map((s) => s.close()));
    cert?.remove();
  });

  test("the spec's metrics arrive under their exact names and labels", async () => {
    await prom.waitForTargetsUp({ job: ['runtime', 'secured', 'openmetrics'] });
    await prom.waitForScrapes(2, { job: ['runtime', 'secured', 'openmetrics'] });
    assert.equal(await prom.queryValue('dynamo_my_counter{job="runtime",namespace="dynamo",component="backend",endpoint="generate"}'), 42);
    const uptime = await prom.queryValue('dynamo_system_uptime_seconds{job="runtime",namespace="dynamo"}');
    assert.ok(uptime !== undefined && uptime > 0, `uptime ${uptime}`);
    const scrapes = await prom.queryValue('dynamo_system_http_requests_total{job="runtime",path="/metrics",code="200"}');
    assert.ok(scrapes !== undefined && scrapes >= 1, `scrapes counted: ${scrapes}`);
    const meta = await prom.api<Record<string, Array<{ type: string; help: string }>>>('/api/v1/metadata', { metric: 'dynamo_system_uptime_seconds' });
    assert.deepEqual(meta.dynamo_system_uptime_seconds?.[0], { type: 'counter', help: 'System uptime', unit: '' });
  });

  test('bearer token over TLS is scraped; a wrong token leaves the target down with 401', async () => {
    assert.equal(await prom.queryValue('dynamo_my_counter{job="secured"}'), 42);
    const wrong = await waitUntil(
      async () => (await prom.targets('active')).activeTargets.find((t) => t.scrapePool === 'wrong-token' && t.health !== 'unknown'),
      { timeoutMs: 15_000, description: 'a scrape of the wrong-token target' },
    );
    assert.equal(wrong.health, 'down');
    assert.match(wrong.lastError, /401/);
  });

  test('with OpenMetrics opted in, Prometheus renames counters without _total (why text is the default)', async () => {
    assert.equal(await prom.queryValue('dynamo_my_counter_total{job="openmetrics"}'), 42);
    assert.equal(await prom.queryValue('dynamo_my_counter{job="openmetrics"}'), undefined);
    const uptime = await prom.queryValue('dynamo_system_uptime_seconds_total{job="openmetrics"}');
    assert.ok(uptime !== undefined && uptime > 0);
  });
});
