/**
 * Issue 15, items 4 and 8: what a request body carries must neither crash the webhook nor
 * grow its metrics, and a chunked body over the limit is an invalid request, not an error.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { Registry } from 'promkit';
import { allow, createAdmissionWebhook, createOperatorMetrics, type AdmissionWebhook, type WebhookRequestEvent } from '../src/index.js';
import { setDefaultLogging } from '@promkit/logging';
import { captureLogging, type CapturedLogging } from '../../logging/test/capture.js';
import { post, review, sample } from './helpers.js';

const DGD = 'DynamoGraphDeployment';
const INVENTED_KINDS = 200;

/** Sends `totalBytes` in 16 KiB chunks with Transfer-Encoding: chunked (no Content-Length). */
function postChunked(url: string, totalBytes: number): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
    });
    // The server may answer and close before the whole body is sent.
    req.on('error', reject);
    const piece = Buffer.alloc(16 * 1024, 0x20);
    let sent = 0;
    const pump = (): void => {
      while (sent < totalBytes) {
        sent += piece.length;
        if (!req.write(piece)) {
          req.once('drain', pump);
          return;
        }
      }
      req.end();
    };
    pump();
  });
}

describe('hostile admission requests', () => {
  let registry: Registry;
  let webhook: AdmissionWebhook;
  let url: string;
  let captured: CapturedLogging;
  const events: WebhookRequestEvent['outcome'][] = [];

  before(async () => {
    captured = captureLogging();
    setDefaultLogging(captured.logging);
    registry = new Registry();
    const kit = createOperatorMetrics({ registry });
    webhook = createAdmissionWebhook({
      kit,
      insecureHttp: true,
      host: '127.0.0.1',
      maxBodyBytes: 64 * 1024,
      validators: { [DGD]: () => allow() },
      onRequest: (e) => void events.push(e.outcome),
    });
    url = (await webhook.listen()).url;
  });

  after(async () => {
    await webhook.close();
    setDefaultLogging(undefined);
  });

  const errorLines = () => captured.records().filter((r) => r.level === 'ERROR' || r.level === 'error' || r.level === 50);

  it('answers a kind holding a lone surrogate without a 500 or an ERROR line', async () => {
    const body = JSON.stringify(review('Bad\uD800Kind', 'CREATE', {}));
    const res = await post(url, undefined, body);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.response.allowed, true);
    assert.deepEqual(errorLines(), []);
  });

  it(`${INVENTED_KINDS} invented kinds add no series beyond one folded value`, async () => {
    await post(url, undefined, JSON.stringify(review(DGD, 'CREATE', {})));
    const seriesOf = async (name: string) => (await registry.getSingleMetric(name)!.get()).values.length;
    const before = await seriesOf('dynamo_operator_webhook_requests_total');
    for (let i = 0; i < INVENTED_KINDS; i++) {
      const res = await post(url, undefined, JSON.stringify(review(`Invented${i}`, 'CREATE', {})));
      assert.equal(res.status, 200);
    }
    const added = (await seriesOf('dynamo_operator_webhook_requests_total')) - before;
    assert.ok(added <= 1, `${added} series added to webhook_requests_total by ${INVENTED_KINDS} invented kinds`);
    const durationSeries = (await registry.getSingleMetric('dynamo_operator_webhook_duration_seconds')!.get()).values.filter((v) =>
      v.metricName?.endsWith('_count'),
    );
    assert.ok(durationSeries.length <= 3, `${durationSeries.length} duration series`);
    assert.equal(
      await sample(registry, 'dynamo_operator_webhook_requests_total', { resource_type: DGD, operation: 'CREATE', result: 'allowed' }),
      1,
      'a served kind keeps its own value',
    );
  });

  it('counts a chunked body past the hard cap (16 MiB) as too_large, logged below ERROR', async () => {
    const linesBefore = errorLines().length;
    events.length = 0;
    const res = await postChunked(url, 20 * 1024 * 1024);
    assert.equal(res.status, 400, JSON.stringify(res.body));
    assert.match(res.body.message, /exceeds the limit of 65536 bytes/);
    assert.equal(await sample(registry, 'dynamo_operator_webhook_invalid_requests_total', { reason: 'too_large' }), 1);
    assert.deepEqual(events, ['invalid']);
    assert.equal(errorLines().length, linesBefore, JSON.stringify(errorLines().slice(linesBefore)));
  });
});
