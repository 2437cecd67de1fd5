/**
 * What the API server's admission chain does with a validating webhook, for clusters that
 * have none (LocalApiServer): before a write of a matching kind, POST an AdmissionReview v1
 * to the webhook and refuse the write when it is denied, with the Status the API server
 * would return. A real cluster calls the webhook itself, so there the gate is not used.
 */
import { randomUUID } from 'node:crypto';
import { ApiException } from '@kubernetes/client-node';
import type { ResourceDefinition } from '@promkit/testing';

export type AdmissionOperation = 'CREATE' | 'UPDATE' | 'DELETE';

/** Refused by a webhook: what client-node throws for the API server's 4xx answer. */
export class AdmissionDeniedError extends ApiException<string> {
  constructor(
    readonly webhook: string,
    /** The webhook's machine-readable reason, e.g. `immutable_field_changed`. */
    readonly reason: string,
    message: string,
    code: number,
  ) {
    const text = `admission webhook "${webhook}" denied the request: ${message}`;
    const status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: text, reason, code };
    super(code, `HTTP-Code: ${code}\nMessage: ${text}`, JSON.stringify(status), {});
  }
}

/** What a review needs of an object. */
export interface Reviewed {
  metadata?: { name?: string; namespace?: string };
}

/** One validating webhook: where it listens and which kinds it reviews. */
export interface WebhookRegistration {
  name: string;
  url: string;
  resources: readonly ResourceDefinition[];
}

export interface AdmissionGateOptions {
  webhooks: readonly WebhookRegistration[];
  /** The stored object (the API server's oldObject for UPDATE and DELETE). */
  lookup(resource: ResourceDefinition, namespace: string, name: string): unknown;
  timeoutMs?: number;
}

export interface AdmissionGate {
  /** Resolves when the write may proceed; throws AdmissionDeniedError (or a 500 when the webhook fails). */
  admit(operation: AdmissionOperation, resource: ResourceDefinition, object: Reviewed | null, ref?: { namespace: string; name: string }): Promise<void>;
}

interface ReviewAnswer {
  response?: { allowed?: boolean; status?: { code?: number; reason?: string; message?: string } };
}

export function createAdmissionGate(options: AdmissionGateOptions): AdmissionGate {
  const byKind = new Map<string, WebhookRegistration>();
  for (const hook of options.webhooks) for (const r of hook.resources) byKind.set(`${r.group}/${r.kind}`, hook);
  const timeoutMs = options.timeoutMs ?? 10_000;

  return {
    async admit(operation, resource, object, ref) {
      const hook = byKind.get(`${resource.group}/${resource.kind}`);
      if (!hook) return;
      const namespace = ref?.namespace ?? object?.metadata?.namespace ?? '';
      const name = ref?.name ?? object?.metadata?.name ?? '';
      const oldObject = operation === 'CREATE' ? null : (options.lookup(resource, namespace, name) ?? null);
      const review = {
        apiVersion: 'admission.k8s.io/v1',
        kind: 'AdmissionReview',
        request: {
          uid: randomUUID(),
          kind: { group: resource.group, version: resource.version, kind: resource.kind },
          resource: { group: resource.group, version: resource.version, resource: resource.plural },
          name,
          namespace,
          operation,
          userInfo: { username: 'system:serviceaccount:promkit-demo:workload' },
          object: operation === 'DELETE' ? null : object,
          oldObject,
          dryRun: false,
        },
      };
      let answer: ReviewAnswer;
      try {
        const res = await fetch(hook.url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(review),
          signal: AbortSignal.timeout(timeoutMs),
        });
        if (!res.ok) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
        answer = (await res.json()) as ReviewAnswer;
      } catch (error) {
        // failurePolicy: Fail, as the Dynamo operator's chart sets it.
        const message = `failed calling webhook "${hook.name}": ${error instanceof Error ? error.message : String(error)}`;
        const status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'InternalError', code: 500 };
        throw new ApiException(500, message, JSON.stringify(status), {});
      }
      if (answer.response?.allowed === true) return;
      const status = answer.response?.status ?? {};
      throw new AdmissionDeniedError(hook.name, status.reason ?? 'Forbidden', status.message ?? 'denied', status.code ?? 403);
    },
  };
}
