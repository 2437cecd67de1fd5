/** Helpers for the operator kit tests: Dynamo CRDs, metric samples, bounded polling, a TLS cert, AdmissionReview requests. */
import { execFile } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { promisify } from 'node:util';
import { Registry } from 'promkit';
import { createAdmissionWebhook, createOperatorMetrics, type AdmissionWebhookOptions } from '../src/index.js';
import { LocalApiServer, type LocalApiServerOptions, type ResourceDefinition } from '@promkit/testing';

export const GROUP = 'nvidia.com';
export const VERSION = 'v1alpha1';
export const API_VERSION = `${GROUP}/${VERSION}`;

function crd(kind: string, plural: string): ResourceDefinition {
  return { group: GROUP, version: VERSION, plural, kind, namespaced: true };
}

export const DGD = crd('DynamoGraphDeployment', 'dynamographdeployments');
export const DCD = crd('DynamoComponentDeployment', 'dynamocomponentdeployments');
export const DM = crd('DynamoModel', 'dynamomodels');
export const DGDR = crd('DynamoGraphDeploymentRequest', 'dynamographdeploymentrequests');
export const DGDSA = crd('DynamoGraphDeploymentScalingAdapter', 'dynamographdeploymentscalingadapters');
export const DYNAMO_CRDS = [DGD, DCD, DM, DGDR, DGDSA];

/** CustomObjectsApi parameters for `resource` in `namespace`. */
export function params(resource: ResourceDefinition, namespace: string) {
  return { group: resource.group, version: resource.version, plural: resource.plural, namespace };
}

export function object(resource: ResourceDefinition, namespace: string, name: string, spec: Record<string, unknown> = {}) {
  return { apiVersion: API_VERSION, kind: resource.kind, metadata: { name, namespace }, spec };
}

/** Starts a LocalApiServer serving the five Dynamo CRDs; closed when the test ends. */
export async function startApi(t: TestContext, options: LocalApiServerOptions = {}): Promise<LocalApiServer> {
  const api = new LocalApiServer({ resources: DYNAMO_CRDS, namespaces: ['default', 'team-a', 'team-b'], ...options });
  await api.start();
  t.after(() => api.close());
  return api;
}

/**
 * The value of one sample, or undefined when the series does not exist. `suffix` selects
 * `_count`/`_sum`/`_bucket` of a histogram; `labels` must match the series exactly.
 */
export async function sample(registry: Registry, name: string, labels: Record<string, string>, suffix = ''): Promise<number | undefined> {
  const metric = registry.getSingleMetric(name);
  if (!metric) return undefined;
  const { values } = await metric.get();
  const wanted = Object.entries(labels);
  const hit = values.find((v) => {
    if (suffix && v.metricName !== name + suffix) return false;
    if (!suffix && v.metricName !== undefined && v.metricName !== name) return false;
    const keys = Object.keys(v.labels);
    return keys.length === wanted.length && wanted.every(([k, val]) => String(v.labels[k]) === val);
  });
  return hit?.value;
}

/** Polls `check` every 10 ms until it holds; fails naming `what` after `ms`. */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, ms = 4000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms}ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const run = promisify(execFile);

/** A throwaway self-signed certificate for localhost/127.0.0.1, made with openssl. */
export async function selfSignedCert(t: TestContext): Promise<{ cert: Buffer; key: Buffer; certFile: string; keyFile: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'promkit-webhook-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const certFile = join(dir, 'tls.crt');
  const keyFile = join(dir, 'tls.key');
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-keyout',
    keyFile,
    '-out',
    certFile,
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
  ]);
  return { cert: await readFile(certFile), key: await readFile(keyFile), certFile, keyFile };
}

export interface Reply {
  status: number;
  body: any;
}

/** Sends `body` (POST by default) over HTTP or HTTPS (trusting `ca`) and parses the JSON answer. */
export function post(url: string, ca: Buffer | undefined, body: string | Buffer, headers: Record<string, string> = {}, method = 'POST'): Promise<Reply> {
  const send = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      { method, headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers }, ...(ca ? { ca } : {}) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
        });
      },
    );
    req.on('error', reject);
    req.setTimeout(5000, () => req.destroy(new Error('client timeout')));
    req.end(body);
  });
}

/** An AdmissionReview v1 request for `kind` in team-a, as the API server sends it. */
export function review(kind: string, operation: string, object: unknown, oldObject: unknown = null, uid = `uid-${Math.random().toString(36).slice(2)}`) {
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid,
      kind: { group: 'nvidia.com', version: 'v1alpha1', kind },
      resource: { group: 'nvidia.com', version: 'v1alpha1', resource: `${kind.toLowerCase()}s` },
      name: 'x',
      namespace: 'team-a',
      operation,
      userInfo: { username: 'alice' },
      object,
      oldObject,
      dryRun: false,
    },
  };
}

/**
 * An admission webhook over HTTPS on 127.0.0.1 with a throwaway certificate and a kit on a
 * new registry (created now, so after any `setDefaultLogging`); closed when the test ends.
 */
export async function startHttpsWebhook(t: TestContext, options: Omit<AdmissionWebhookOptions, 'kit' | 'tls'>) {
  const registry = new Registry();
  const kit = createOperatorMetrics({ registry });
  const tls = await selfSignedCert(t);
  const webhook = createAdmissionWebhook({ kit, tls: { cert: tls.cert, key: tls.key }, host: '127.0.0.1', ...options });
  const { url } = await webhook.listen();
  t.after(() => webhook.close());
  return { registry, webhook, url, ca: tls.cert, tls };
}
