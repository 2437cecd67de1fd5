/** Health and liveness transitions, observed over HTTP. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DistributedRuntime } from '../../src/runtime/index.js';
import { HealthState, startMetricsServer, type RunningMetricsServer } from '../../src/server/index.js';
import { Registry } from '../../src/core/index.js';
import { json, quietLogger, request } from './http-client.js';

async function health(server: RunningMetricsServer, path = '/health'): Promise<{ status: number; body: any }> {
  return json(`${server.url}${path}`);
}

describe('system status transitions', () => {
  let runtime: DistributedRuntime;
  let server: RunningMetricsServer;
  before(async () => {
    runtime = new DistributedRuntime({ logger: quietLogger() });
    server = (await runtime.startSystemServer({ env: { DYN_SYSTEM_ENABLED: 'true', DYN_SYSTEM_PORT: '0', DYN_SYSTEM_HOST: '127.0.0.1' } }))!;
  });
  after(() => server.close());

  test('starts notready (503) with uptime and endpoints; /live is 200 meanwhile', async () => {
    const first = await health(server);
    assert.equal(first.status, 503);
    assert.equal(first.body.status, 'notready');
    assert.equal(typeof first.body.uptime, 'number');
    assert.ok(first.body.uptime > 0);
    assert.deepEqual(first.body.endpoints, {});
    const live = await json(`${server.url}/live`);
    assert.equal(live.status, 200);
    assert.equal(live.body.status, 'live');
  });

  test('ready when code says so; notready again when it says so', async () => {
    runtime.health.setSystemStatus('ready');
    const ready = await health(server);
    assert.equal(ready.status, 200);
    assert.equal(ready.body.status, 'ready');
    runtime.health.setSystemStatus('notready');
    assert.equal((await health(server)).status, 503);
    runtime.health.setSystemStatus('ready');
  });

  test('a hold keeps it notready while start-up work runs, even when the status is ready', async () => {
    let finish!: () => void;
    const work = runtime.health.holdWhile('warming caches', new Promise<void>((r) => (finish = r)));
    assert.equal((await health(server)).status, 503);
    assert.deepEqual(runtime.health.pendingHolds, ['warming caches']);
    finish();
    await work;
    assert.equal((await health(server)).status, 200);
    const release = runtime.health.hold('manual');
    assert.equal((await health(server)).status, 503);
    release();
    release();
    assert.equal((await health(server)).status, 200);
  });

  test('a failing start-up task releases its hold and rethrows', async () => {
    await assert.rejects(
      runtime.health.holdWhile('doomed', async () => Promise.reject(new Error('boom'))),
      /boom/,
    );
    assert.equal((await health(server)).status, 200);
  });

  test('endpoint statuses are reported; without gating they do not decide readiness', async () => {
    const ep = runtime.namespace('dynamo').component('backend').endpoint('generate');
    ep.setHealthStatus('notready');
    runtime.health.markEndpointReady('embed');
    const body = await health(server);
    assert.equal(body.status, 200);
    assert.deepEqual(body.body.endpoints, { generate: 'notready', embed: 'ready' });
    assert.throws(() => ep.setHealthStatus('up' as never), /health status must be 'ready' or 'notready', got "up"/);
  });

  test('HEAD answers the status without a body; other methods get 405', async () => {
    const head = await request(`${server.url}/health`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);
    const post = await request(`${server.url}/health`, { method: 'POST' });
    assert.equal(post.status, 405);
    assert.equal(post.headers.allow, 'GET, HEAD');
  });
});

describe('endpoint-gated readiness (DYN_SYSTEM_USE_ENDPOINT_HEALTH_STATUS)', () => {
  test('ready only once every listed endpoint is ready', async () => {
    const runtime = new DistributedRuntime({ logger: quietLogger() });
    const server = (await runtime.startSystemServer({
      env: { DYN_SYSTEM_ENABLED: 'true', DYN_SYSTEM_PORT: '0', DYN_SYSTEM_HOST: '127.0.0.1', DYN_SYSTEM_USE_ENDPOINT_HEALTH_STATUS: '["generate","embed"]' },
    }))!;
    try {
      const comp = runtime.namespace('dynamo').component('backend');
      let res = await health(server);
      assert.equal(res.status, 503);
      assert.deepEqual(res.body.endpoints, { generate: 'notready', embed: 'notready' });
      comp.endpoint('generate').setHealthStatus('ready');
      assert.equal((await health(server)).status, 503);
      comp.endpoint('embed').setHealthStatus('ready');
      res = await health(server);
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.endpoints, { generate: 'ready', embed: 'ready' });
      comp.endpoint('embed').setHealthStatus('notready');
      assert.equal((await health(server)).status, 503);
    } finally {
      await server.close();
    }
  });
});

describe('probes on a plain metrics server', () => {
  test('startMetricsServer serves probes from a HealthState at custom paths, metrics optional', async () => {
    const state = new HealthState({ startingStatus: 'ready' });
    const server = await startMetricsServer({
      registry: new Registry(),
      host: '127.0.0.1',
      metricsPath: false,
      health: state,
      healthPath: '/readyz',
      livePath: '/healthz',
      logger: quietLogger(),
    });
    try {
      assert.equal((await health(server, '/readyz')).status, 200);
      assert.equal((await request(`${server.url}/healthz`)).status, 200);
      assert.equal((await request(`${server.url}/metrics`)).status, 404);
      state.setSystemStatus('notready');
      assert.equal((await health(server, '/readyz')).status, 503);
    } finally {
      await server.close();
    }
  });
});
