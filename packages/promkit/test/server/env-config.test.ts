/** DYN_SYSTEM_* configuration, checked through the running server (or its refusal to start). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DistributedRuntime } from '../../src/runtime/index.js';
import { SystemConfigError } from '../../src/server/index.js';
import { freePort, isPortFree } from '@promkit/testing';
import { json, quietLogger, request } from './http-client.js';

const runtime = (): DistributedRuntime => new DistributedRuntime({ logger: quietLogger() });
const base = { DYN_SYSTEM_ENABLED: 'true', DYN_SYSTEM_PORT: '0', DYN_SYSTEM_HOST: '127.0.0.1' };

describe('DYN_SYSTEM_* from the environment', () => {
  test('disabled by default and for false words: no server, null', async () => {
    for (const value of [undefined, '', 'false', '0', 'off', 'NO']) {
      const env: NodeJS.ProcessEnv = { DYN_SYSTEM_PORT: '0' };
      if (value !== undefined) env.DYN_SYSTEM_ENABLED = value;
      assert.equal(await runtime().startSystemServer({ env }), null, `DYN_SYSTEM_ENABLED=${value}`);
    }
  });

  test('enabled by true, 1, on, yes in any case; DYN_SYSTEM_PORT=0 reports the bound port', async () => {
    for (const value of ['true', '1', 'on', 'YES']) {
      const server = await runtime().startSystemServer({ env: { ...base, DYN_SYSTEM_ENABLED: value } });
      assert.ok(server !== null);
      try {
        assert.ok(server.port > 0);
        assert.equal(server.url, `http://127.0.0.1:${server.port}`);
        assert.equal((await request(`${server.url}/live`)).status, 200);
      } finally {
        await server.close();
      }
    }
  });

  test('a fixed port, custom paths, starting status and gating endpoints take effect', async () => {
    const port = await freePort();
    const rt = runtime();
    const server = await rt.startSystemServer({
      env: {
        ...base,
        DYN_SYSTEM_PORT: String(port),
        DYN_SYSTEM_HEALTH_PATH: '/custom/health',
        DYN_SYSTEM_LIVE_PATH: '/custom/live',
        DYN_SYSTEM_STARTING_HEALTH_STATUS: 'ready',
        DYN_SYSTEM_USE_ENDPOINT_HEALTH_STATUS: '["generate"]',
      },
    });
    assert.ok(server !== null);
    try {
      assert.equal(server.port, port);
      assert.equal((await request(`${server.url}/health`)).status, 404);
      assert.equal((await request(`${server.url}/custom/live`)).status, 200);
      // The listed endpoint gates readiness, whatever the starting status.
      assert.deepEqual((await json(`${server.url}/custom/health`)).body.endpoints, { generate: 'notready' });
      assert.equal((await request(`${server.url}/custom/health`)).status, 503);
      rt.namespace('dynamo').component('backend').endpoint('generate').setHealthStatus('ready');
      const after = await json(`${server.url}/custom/health`);
      assert.equal(after.status, 200);
      assert.equal(after.body.status, 'ready');
    } finally {
      await server.close();
    }
    assert.ok(await isPortFree(port));
  });

  test('DYN_SYSTEM_STARTING_HEALTH_STATUS=ready makes /health 200 from the start', async () => {
    const server = await runtime().startSystemServer({ env: { ...base, DYN_SYSTEM_STARTING_HEALTH_STATUS: 'ready' } });
    assert.ok(server !== null);
    try {
      assert.equal((await request(`${server.url}/health`)).status, 200);
    } finally {
      await server.close();
    }
  });

  test('options given in code override the environment', async () => {
    const server = await runtime().startSystemServer({
      env: { DYN_SYSTEM_ENABLED: 'false', DYN_SYSTEM_PORT: 'not-a-port', DYN_SYSTEM_HEALTH_PATH: '/h' },
      enabled: true,
      port: 0,
      host: '127.0.0.1',
      healthPath: '/ready',
    });
    assert.ok(server !== null);
    try {
      assert.equal((await request(`${server.url}/ready`)).status, 503);
      assert.equal((await request(`${server.url}/h`)).status, 404);
    } finally {
      await server.close();
    }
  });

  const malformed: Array<[string, string, RegExp]> = [
    ['DYN_SYSTEM_ENABLED', 'maybe', /DYN_SYSTEM_ENABLED="maybe" is invalid: expected one of true, 1, on, yes, false, 0, off, no/],
    ['DYN_SYSTEM_PORT', '80a', /DYN_SYSTEM_PORT="80a" is invalid: expected an integer from 0 to 65535 \(0 picks a random free port\)/],
    ['DYN_SYSTEM_PORT', '70000', /DYN_SYSTEM_PORT="70000" is invalid: expected an integer from 0 to 65535/],
    ['DYN_SYSTEM_PORT', '-1', /DYN_SYSTEM_PORT="-1" is invalid/],
    ['DYN_SYSTEM_HOST', 'local host', /DYN_SYSTEM_HOST="local host" is invalid: expected a host name or IP address/],
    ['DYN_SYSTEM_HEALTH_PATH', 'health', /DYN_SYSTEM_HEALTH_PATH="health" is invalid: expected an absolute URL path such as \/health/],
    ['DYN_SYSTEM_LIVE_PATH', '/live?x=1', /DYN_SYSTEM_LIVE_PATH="\/live\?x=1" is invalid: expected an absolute URL path/],
    ['DYN_SYSTEM_LIVE_PATH', '/health', /DYN_SYSTEM_LIVE_PATH="\/health" is invalid: expected a path different from the health path/],
    ['DYN_SYSTEM_STARTING_HEALTH_STATUS', 'healthy', /DYN_SYSTEM_STARTING_HEALTH_STATUS="healthy" is invalid: expected one of ready, notready/],
    [
      'DYN_SYSTEM_USE_ENDPOINT_HEALTH_STATUS',
      'generate',
      /DYN_SYSTEM_USE_ENDPOINT_HEALTH_STATUS="generate" is invalid: expected a JSON array of endpoint names, such as \["generate"\]/,
    ],
    ['DYN_SYSTEM_USE_ENDPOINT_HEALTH_STATUS', '[1]', /DYN_SYSTEM_USE_ENDPOINT_HEALTH_STATUS="\[1\]" is invalid/],
  ];
  for (const [variable, value, message] of malformed) {
    test(`${variable}=${value} stops start-up, naming the variable and the accepted values`, async () => {
      const port = await freePort();
      const env = { ...base, DYN_SYSTEM_PORT: String(port), [variable]: value };
      await assert.rejects(runtime().startSystemServer({ env }), (error: unknown) => {
        assert.ok(error instanceof SystemConfigError);
        assert.equal(error.variable, variable);
        assert.match(error.message, message);
        return true;
      });
      assert.ok(await isPortFree(port), 'nothing listens after a refused start');
      await assert.rejects(request(`http://127.0.0.1:${port}/metrics`), /ECONNREFUSED/);
    });
  }

  test('a bad option in code names the option', async () => {
    await assert.rejects(runtime().startSystemServer({ env: base, port: 1.5 }), /option port=1.5 is invalid: expected an integer from 0 to 65535/);
  });

  test('a port in use is a clear error naming the variables', async () => {
    const first = await runtime().startSystemServer({ env: base });
    assert.ok(first !== null);
    try {
      await assert.rejects(
        runtime().startSystemServer({ env: { ...base, DYN_SYSTEM_PORT: String(first.port) } }),
        new RegExp(`cannot listen on 127.0.0.1:${first.port}: the port is already in use \\(set DYN_SYSTEM_PORT / DYN_SYSTEM_HOST`),
      );
    } finally {
      await first.close();
    }
  });

  test('one system server per runtime at a time', async () => {
    const rt = runtime();
    const server = await rt.startSystemServer({ env: base });
    assert.ok(server !== null);
    try {
      await assert.rejects(rt.startSystemServer({ env: base }), /already running on http:\/\/127\.0\.0\.1:\d+; close\(\) it first/);
    } finally {
      await server.close();
    }
    const again = await rt.startSystemServer({ env: base });
    assert.ok(again !== null);
    await again.close();
  });
});
