/**
 * The spec's example, verbatim: the runnable example started with
 * `DYN_SYSTEM_ENABLED=true DYN_SYSTEM_PORT=0` serves
 * `dynamo_my_counter{namespace="dynamo",component="backend",endpoint="generate"} 42`.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { json, request } from '../server/http-client.js';

const root = fileURLToPath(new URL('../../../..', import.meta.url));

test('examples/runtime-service serves the spec output over HTTP', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'examples/runtime-service/main.ts'], {
    cwd: root,
    env: { ...process.env, DYN_SYSTEM_ENABLED: 'true', DYN_SYSTEM_PORT: '0', DYN_SYSTEM_HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => (output += c));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.setEncoding('utf8').on('data', (c: string) => {
        output += c;
        const match = /metrics at (http:\/\/\S+)\/metrics/.exec(output);
        if (match) resolve(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`example exited early (code ${code}):\n${output}`)));
      setTimeout(() => reject(new Error(`example did not report its URL:\n${output}`)), 20_000).unref();
    });
    const res = await request(`${url}/metrics`);
    assert.equal(res.status, 200);
    assert.ok(res.text.includes('# HELP dynamo_my_counter My custom counter\n# TYPE dynamo_my_counter counter\n'));
    assert.ok(res.text.includes('\ndynamo_my_counter{namespace="dynamo",component="backend",endpoint="generate"} 42\n'), res.text);
    assert.match(res.text, /\ndynamo_system_uptime_seconds\{namespace="dynamo"\} [0-9.e+-]+\n/);
    assert.match(res.text, /\ndynamo_gpu_memory_bytes\{namespace="dynamo",component="backend",gpu_id="0",memory_type="allocated"\} \d+\n/);
    const health = await json(`${url}/health`);
    assert.equal(health.status, 200);
    assert.deepEqual(health.body.endpoints, { generate: 'ready' });
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const [code] = await exited;
      assert.equal(code, 0, `example exit code; output:\n${output}`);
    }
  }
});
