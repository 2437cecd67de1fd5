/**
 * The admission webhook over real HTTPS (a throwaway openssl certificate): allowed and
 * denied reviews, warnings, bad requests answered 400 and counted, and a server that keeps
 * serving and frees its port on close.
 */
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { Registry } from 'promkit';
import { allow, createAdmissionWebhook, createModalMetrics, createOperatorMetrics, deny, type AdmissionWebhookOptions } from '../src/index.js';
import { post, review, sample, startHttpsWebhook } from './helpers.js';

function startWebhook(t: TestContext, extra: Partial<AdmissionWebhookOptions> = {}) {
  return startHttpsWebhook(t, {
    maxBodyBytes: 64 * 1024,
    validators: {
      DynamoGraphDeployment: {
        CREATE: (req) => ((req.object as any)?.spec?.replicas < 1 ? deny('invalid_config', 'spec.replicas must be at least 1') : allow()),
        UPDATE: (req) =>
          (req.object as any)?.spec?.backend !== (req.oldObject as any)?.spec?.backend
            ? deny('immutable_field_changed', 'spec.backend is immutable')
            : allow(['spec.replicas above 8 is slow to roll out']),
      },
      DynamoModel: () => {
        throw new Error('model registry unreachable');
      },
    },
    ...extra,
  });
}

const DGD = 'DynamoGraphDeployment';

describe('admission webhook over HTTPS', () => {
  it('allows, denies with reason and message, and returns warnings, echoing the uid', async (t) => {
    const { registry, url, ca } = await startWebhook(t);
    assert.match(url, /^https:\/\/127\.0\.0\.1:\d+$/);

    const ok = await post(`${url}/validate`, ca, JSON.stringify(review(DGD, 'CREATE', { spec: { replicas: 2 } }, null, 'u-1')));
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.body, { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: 'u-1', allowed: true } });

    const denied = await post(url, ca, JSON.stringify(review(DGD, 'CREATE', { spec: { replicas: 0 } }, null, 'u-2')));
    assert.equal(denied.status, 200);
    assert.deepEqual(denied.body.response, {
      uid: 'u-2',
      allowed: false,
      status: { status: 'Failure', code: 403, reason: 'invalid_config', message: 'spec.replicas must be at least 1' },
    });

    const warned = await post(url, ca, JSON.stringify(review(DGD, 'UPDATE', { spec: { backend: 'vllm' } }, { spec: { backend: 'vllm' } }, 'u-3')));
    assert.deepEqual(warned.body.response, { uid: 'u-3', allowed: true, warnings: ['spec.replicas above 8 is slow to roll out'] });
    const immutable = await post(url, ca, JSON.stringify(review(DGD, 'UPDATE', { spec: { backend: 'sglang' } }, { spec: { backend: 'vllm' } })));
    assert.equal(immutable.body.response.status.reason, 'immutable_field_changed');

    const unhandled = await post(url, ca, JSON.stringify(review(DGD, 'DELETE', null, { spec: {} })));
    assert.equal(unhandled.body.response.allowed, true, 'no DELETE validator: allowed');

    const requests = (operation: string, result: string) =>
      sample(registry, 'dynamo_operator_webhook_requests_total', { resource_type: DGD, operation, result });
    assert.equal(await requests('CREATE', 'allowed'), 1);
    assert.equal(await requests('CREATE', 'denied'), 1);
    assert.equal(await requests('UPDATE', 'allowed'), 1);
    assert.equal(await requests('UPDATE', 'denied'), 1);
    assert.equal(await requests('DELETE', 'allowed'), 1);
    assert.equal(await sample(registry, 'dynamo_operator_webhook_denials_total', { resource_type: DGD, operation: 'CREATE', reason: 'invalid_config' }), 1);
    assert.equal(
      await sample(registry, 'dynamo_operator_webhook_denials_total', { resource_type: DGD, operation: 'UPDATE', reason: 'immutable_field_changed' }),
      1,
    );
    assert.equal(await sample(registry, 'dynamo_operator_webhook_duration_seconds', { resource_type: DGD, operation: 'CREATE' }, '_count'), 2);
  });

  it('denies with code 500 when a validator throws', async (t) => {
    const { registry, url, ca } = await startWebhook(t);
    const reply = await post(url, ca, JSON.stringify(review('DynamoModel', 'CREATE', { spec: {} })));
    assert.equal(reply.status, 200);
    assert.equal(reply.body.response.allowed, false);
    assert.equal(reply.body.response.status.code, 500);
    assert.match(reply.body.response.status.message, /model registry unreachable/);
    assert.equal(
      await sample(registry, 'dynamo_operator_webhook_denials_total', { resource_type: 'DynamoModel', operation: 'CREATE', reason: 'validator_error' }),
      1,
    );
  });

  it('denies a validator that outlives validatorTimeoutMs', async (t) => {
    const { registry, url, ca } = await startWebhook(t, {
      validatorTimeoutMs: 50,
      validators: { DynamoModel: () => new Promise((resolve) => setTimeout(() => resolve(allow()), 2000).unref()) },
    });
    const reply = await post(url, ca, JSON.stringify(review('DynamoModel', 'UPDATE', {}, {})));
    assert.equal(reply.body.response.allowed, false);
    assert.equal(reply.body.response.status.reason, 'validator_timeout');
    assert.equal(
      await sample(registry, 'dynamo_operator_webhook_denials_total', { resource_type: 'DynamoModel', operation: 'UPDATE', reason: 'validator_timeout' }),
      1,
    );
  });

  it('answers 400 to malformed, wrong-apiVersion and oversized bodies, counts them, and keeps serving', async (t) => {
    const { registry, url, ca } = await startWebhook(t);
    const invalid = (reason: string) => sample(registry, 'dynamo_operator_webhook_invalid_requests_total', { reason });

    const malformed = await post(url, ca, '{"apiVersion": "admission.k8s.io/v1", ');
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.kind, 'Status');
    assert.match(malformed.body.message, /not valid JSON/);

    const v1beta1 = { ...review(DGD, 'CREATE', {}), apiVersion: 'admission.k8s.io/v1beta1' };
    const wrongVersion = await post(url, ca, JSON.stringify(v1beta1));
    assert.equal(wrongVersion.status, 400);
    assert.match(wrongVersion.body.message, /unsupported AdmissionReview apiVersion "admission.k8s.io\/v1beta1".*admission.k8s.io\/v1/);

    const noUid = review(DGD, 'CREATE', {}) as any;
    delete noUid.request.uid;
    assert.equal((await post(url, ca, JSON.stringify(noUid))).status, 400);

    const big = JSON.stringify(review(DGD, 'CREATE', { spec: { blob: 'x'.repeat(100 * 1024) } }));
    const oversized = await post(url, ca, big);
    assert.equal(oversized.status, 400);
    assert.match(oversized.body.message, /exceeds the limit of 65536 bytes/);

    const wrongType = await post(url, ca, JSON.stringify(review(DGD, 'CREATE', {})), { 'content-type': 'text/plain' });
    assert.equal(wrongType.status, 400);
    const get = await post(url, ca, '', {}, 'GET');
    assert.equal(get.status, 405);

    assert.equal(await invalid('malformed_body'), 2);
    assert.equal(await invalid('wrong_api_version'), 1);
    assert.equal(await invalid('too_large'), 1);
    assert.equal(await invalid('wrong_content_type'), 1);
    assert.equal(await invalid('wrong_method'), 1);
    assert.equal(
      await sample(registry, 'dynamo_operator_webhook_requests_total', { resource_type: DGD, operation: 'CREATE', result: 'allowed' }),
      undefined,
      'bad requests are not reviews',
    );

    const after = await post(url, ca, JSON.stringify(review(DGD, 'CREATE', { spec: { replicas: 1 } })));
    assert.equal(after.body.response.allowed, true, 'still serving');
  });

  it('needs TLS unless plain HTTP is asked for, and feeds an onRequest observer', async (t) => {
    const registry = new Registry();
    const kit = createOperatorMetrics({ registry });
    assert.throws(() => createAdmissionWebhook({ kit, validators: {} }), /give tls/);
    const modal = createModalMetrics({ registry });
    const webhook = createAdmissionWebhook({ kit, validators: {}, insecureHttp: true, host: '127.0.0.1', onRequest: modal.webhookObserver() });
    const { url } = await webhook.listen();
    t.after(() => webhook.close());
    assert.match(url, /^http:\/\//);
    assert.equal((await post(url, undefined, JSON.stringify(review(DGD, 'CREATE', {})))).body.response.allowed, true);
    assert.equal((await post(url, undefined, 'nope')).status, 400);
    assert.equal(await sample(registry, 'modal_webhook_requests_total', { method: 'POST', status: 'success' }), 1);
    assert.equal(await sample(registry, 'modal_webhook_requests_total', { method: 'POST', status: 'error' }), 1);
  });

  it('reads certificate files and frees its port on close', async (t) => {
    const { webhook, tls, ca } = await startWebhook(t);
    const port = webhook.port;
    await webhook.close();
    await assert.rejects(post(`https://127.0.0.1:${port}`, ca, '{}'), /ECONNREFUSED/);
    const registry = new Registry();
    const again = createAdmissionWebhook({
      kit: createOperatorMetrics({ registry }),
      validators: {},
      tls: { certFile: tls.certFile, keyFile: tls.keyFile },
      host: '127.0.0.1',
      port,
    });
    await again.listen();
    t.after(() => again.close());
    assert.equal(again.port, port, 'the same port binds again');
    assert.equal((await post(again.url, ca, JSON.stringify(review(DGD, 'CREATE', {})))).status, 200);
  });
});
