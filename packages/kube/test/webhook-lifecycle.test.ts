/**
 * The webhook server's lifecycle is the status server's (promkit/server's listen and
 * Drainer): close() lets a review in flight finish, a taken port is a readable error, and
 * IPv6 listen addresses give bracketed URLs.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { describe, it } from 'node:test';
import { Registry } from 'promkit';
import { allow, createAdmissionWebhook, createOperatorMetrics } from '../src/index.js';
import { isPortFree } from '@promkit/testing';
import { post, review } from './helpers.js';

const DGD = 'DynamoGraphDeployment';

function plainWebhook(extra: { host?: string; port?: number; validators?: Parameters<typeof createAdmissionWebhook>[0]['validators'] } = {}) {
  return createAdmissionWebhook({
    kit: createOperatorMetrics({ registry: new Registry() }),
    validators: extra.validators ?? {},
    insecureHttp: true,
    host: extra.host ?? '127.0.0.1',
    port: extra.port ?? 0,
  });
}

describe('admission webhook lifecycle', () => {
  it('close() drains: a review in flight is answered, then the port is free', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const webhook = plainWebhook({
      validators: {
        [DGD]: async () => {
          entered();
          await gate;
          return allow();
        },
      },
    });
    const { url } = await webhook.listen();
    const answer = post(url, undefined, JSON.stringify(review(DGD, 'CREATE', {}, null, 'u-drain')));
    await inside;
    const closed = webhook.close();
    release();
    const response = await answer;
    assert.equal(response.status, 200);
    assert.equal(response.body.response.uid, 'u-drain');
    assert.equal(response.body.response.allowed, true);
    await closed;
    assert.equal(await isPortFree(Number(new URL(url).port)), true, 'the port is free after close');
  });

  it('a port in use is an error naming the address', async (t) => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    t.after(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
    const { port } = blocker.address() as { port: number };
    await assert.rejects(plainWebhook({ port }).listen(), new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: the port is already in use`));
  });

  it('IPv6: the URL brackets the address and the server answers there', async (t) => {
    const webhook = plainWebhook({ host: '::1' });
    const { url } = await webhook.listen();
    t.after(() => webhook.close());
    assert.match(url, /^http:\/\/\[::1\]:\d+$/);
    assert.equal((await post(url, undefined, JSON.stringify(review(DGD, 'CREATE', {})))).status, 200);
  });
});
