/** GET /metrics of the system status server, and metricsHandler on servers users already run. */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { Counter, Registry } from '../../src/core/index.js';
import { OPENMETRICS_CONTENT_TYPE, PROMETHEUS_CONTENT_TYPE } from '../../src/exposition/index.js';
import { DistributedRuntime } from '../../src/runtime/index.js';
import { metricsHandler, startMetricsServer, type MetricsSource, type RunningMetricsServer } from '../../src/server/index.js';
import { quietLogger, request, sampleLine } from './http-client.js';

const PROMETHEUS_ACCEPT =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
const env = { DYN_SYSTEM_ENABLED: 'true', DYN_SYSTEM_PORT: '0', DYN_SYSTEM_HOST: '127.0.0.1' };

describe('system status server /metrics', () => {
  let runtime: DistributedRuntime;
  let server: RunningMetricsServer;
  before(async () => {
    runtime = new DistributedRuntime({ logger: quietLogger() });
    const c = runtime.namespace('dynamo').component('backend').endpoint('generate').createCounter('my_counter', 'My custom counter');
    for (let i = 0; i < 42; i++) c.inc();
    server = (await runtime.startSystemServer({ env }))!;
  });
  after(() => server.close());

  test("serves the spec's example, with the uptime counter labelled by the runtime's namespace", async () => {
    const res = await request(`${server.url}/metrics`);
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], PROMETHEUS_CONTENT_TYPE);
    assert.ok(
      res.text.includes(
        '# HELP dynamo_my_counter My custom counter\n# TYPE dynamo_my_counter counter\ndynamo_my_counter{namespace="dynamo",component="backend",endpoint="generate"} 42\n',
      ),
    );
    assert.ok(res.text.includes('# HELP dynamo_system_uptime_seconds System uptime\n# TYPE dynamo_system_uptime_seconds counter\n'));
    const uptime = Number(sampleLine(res.text, 'dynamo_system_uptime_seconds{namespace="dynamo"}')?.split(' ')[1]);
    assert.ok(uptime > 0, `uptime ${uptime}`);
  });

  test('text 0.0.4 by default even when the client prefers OpenMetrics', async () => {
    const res = await request(`${server.url}/metrics`, { headers: { Accept: PROMETHEUS_ACCEPT } });
    assert.equal(res.headers['content-type'], PROMETHEUS_CONTENT_TYPE);
    assert.ok(res.text.includes('dynamo_system_uptime_seconds{namespace="dynamo"}'));
  });

  test('gzip when accepted, identity otherwise', async () => {
    const zipped = await request(`${server.url}/metrics`, { headers: { 'Accept-Encoding': 'gzip, deflate' } });
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    // The runtime renders protobuf too, so the body also depends on Accept.
    assert.equal(zipped.headers.vary, 'Accept, Accept-Encoding');
    assert.ok(zipped.text.includes('dynamo_my_counter{'));
    assert.equal(Number(zipped.headers['content-length']), zipped.body.length);
    const plain = await request(`${server.url}/metrics`, { headers: { 'Accept-Encoding': 'gzip;q=0' } });
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.ok(plain.text.includes('dynamo_my_counter{'));
  });

  test('counts its own requests by path and status code, and times them', async () => {
    await request(`${server.url}/health`);
    await request(`${server.url}/no/such/path`);
    await request(`${server.url}/metrics`, { method: 'DELETE' });
    const text = (await request(`${server.url}/metrics`)).text;
    assert.match(text, /^dynamo_system_http_requests_total\{path="\/metrics",code="200"\} [1-9]\d*$/m);
    assert.match(text, /^dynamo_system_http_requests_total\{path="\/health",code="503"\} 1$/m);
    assert.match(text, /^dynamo_system_http_requests_total\{path="other",code="404"\} 1$/m, 'unknown paths share one label value');
    assert.match(text, /^dynamo_system_http_requests_total\{path="\/metrics",code="405"\} 1$/m);
    assert.match(text, /^dynamo_system_http_request_duration_seconds_count\{path="\/metrics"\} [1-9]\d*$/m);
    assert.ok(!text.includes('no/such/path'));
  });

  test('HEAD carries the headers only', async () => {
    const res = await request(`${server.url}/metrics`, { method: 'HEAD' });
    assert.equal(res.status, 200);
    assert.equal(res.body.length, 0);
    assert.ok(Number(res.headers['content-length']) > 0);
  });
});

describe('OpenMetrics opt-in', () => {
  test('openMetrics: true negotiates from Accept', async () => {
    const runtime = new DistributedRuntime({ logger: quietLogger() });
    runtime.namespace('a').createCounter('hits', 'h').inc(3);
    const server = (await runtime.startSystemServer({ env, openMetrics: true }))!;
    try {
      const om = await request(`${server.url}/metrics`, { headers: { Accept: PROMETHEUS_ACCEPT } });
      assert.equal(om.headers['content-type'], OPENMETRICS_CONTENT_TYPE);
      assert.equal(om.headers.vary, 'Accept, Accept-Encoding');
      assert.ok(om.text.includes('dynamo_hits_total{namespace="a"} 3\n'));
      assert.ok(om.text.endsWith('# EOF\n'));
      const text = await request(`${server.url}/metrics`, { headers: { Accept: 'text/plain;version=0.0.4' } });
      assert.equal(text.headers['content-type'], PROMETHEUS_CONTENT_TYPE);
      assert.ok(text.text.includes('dynamo_hits{namespace="a"} 3\n'));
    } finally {
      await server.close();
    }
  });
});

describe('metricsHandler on a plain node:http server', () => {
  async function serve(source: MetricsSource, options = {}): Promise<{ url: string; server: http.Server; close(): Promise<void> }> {
    const handler = metricsHandler(source, options);
    const server = http.createServer((req, res) => void handler(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return { url, server, close: () => new Promise((r) => server.close(() => r())) };
  }

  test('serves a core Registry', async () => {
    const registry = new Registry();
    new Counter({ name: 'jobs_total', help: 'jobs', registers: [registry] }).inc(2);
    const s = await serve(registry);
    try {
      const res = await request(s.url);
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-type'], PROMETHEUS_CONTENT_TYPE);
      assert.ok(res.text.includes('jobs_total 2\n'));
    } finally {
      await s.close();
    }
  });

  test('serves one scope of a runtime, and only that scope', async () => {
    const runtime = new DistributedRuntime();
    runtime.namespace('a').createCounter('x', 'x').inc();
    runtime.namespace('b').createCounter('x', 'x').inc();
    const s = await serve(runtime.namespace('b'));
    try {
      const res = await request(s.url);
      assert.ok(res.text.includes('dynamo_x{namespace="b"} 1\n'));
      assert.ok(!res.text.includes('namespace="a"'));
    } finally {
      await s.close();
    }
  });

  test('a failing gather is a 500 with the reason, reported to onError', async () => {
    const errors: unknown[] = [];
    const s = await serve({ metrics: () => Promise.reject(new Error('registry on fire')) }, { onError: (e: unknown) => errors.push(e) });
    try {
      const res = await request(s.url);
      assert.equal(res.status, 500);
      assert.match(res.text, /metrics gather failed: registry on fire/);
      assert.equal(errors.length, 1);
    } finally {
      await s.close();
    }
  });

  test('concurrent scrapes share one gather', async () => {
    // The gather is held open until the server has seen all 20 requests, so
    // the test does not depend on how fast a loaded machine delivers them.
    const concurrent = 20;
    let arrived = 0;
    let allArrived!: () => void;
    const gate = new Promise<void>((r) => (allArrived = r));
    let gathers = 0;
    const source: MetricsSource = {
      async metrics() {
        gathers++;
        if (gathers === 1) await gate;
        return 'x 1\n';
      },
    };
    // shareWindowMs 0: the 20 share the running gather, never a finished one, so the
    // later scrape below must gather afresh however late the first responses close.
    const s = await serve(source, { shareWindowMs: 0 });
    s.server.on('request', () => {
      if (++arrived === concurrent) allArrived();
    });
    try {
      const all = await Promise.all(Array.from({ length: concurrent }, () => request(s.url)));
      assert.ok(all.every((r) => r.status === 200 && r.text === 'x 1\n'));
      assert.equal(gathers, 1);
      await request(s.url);
      assert.equal(gathers, 2, 'a later scrape gathers afresh');
    } finally {
      await s.close();
    }
  });

  test('refuses something that is not a metrics source', () => {
    assert.throws(() => metricsHandler({} as never), /give a Registry or a runtime scope/);
  });
});

describe('startMetricsServer on a core registry', () => {
  test('serves the registry with its own request metrics (promkit_http_*)', async () => {
    const registry = new Registry();
    new Counter({ name: 'operator_reconcile_total', help: 'r', registers: [registry] }).inc();
    const server = await startMetricsServer({ registry, host: '127.0.0.1', logger: quietLogger() });
    try {
      await request(`${server.url}/metrics`);
      const text = (await request(`${server.url}/metrics`)).text;
      assert.ok(text.includes('operator_reconcile_total 1\n'));
      assert.match(text, /^promkit_http_requests_total\{path="\/metrics",code="200"\} 1$/m);
      assert.equal((await request(`${server.url}/health`)).status, 404, 'no probes without a HealthState');
    } finally {
      await server.close();
    }
  });

  test('option errors are clear', async () => {
    await assert.rejects(startMetricsServer({} as never), /give exactly one of `registry`/);
    await assert.rejects(startMetricsServer({ registry: new Registry(), maxInFlight: 0 }), /maxInFlight must be a positive integer, got 0/);
    await assert.rejects(startMetricsServer({ registry: new Registry(), metricsPath: 'metrics' }), /metricsPath must be an absolute path/);
    await assert.rejects(
      startMetricsServer({ registry: new Registry(), health: new (await import('../../src/server/index.js')).HealthState(), healthPath: '/metrics' }),
      /healthPath \/metrics is already used by another route/,
    );
  });
});
