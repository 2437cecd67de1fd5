/**
 * The AdmissionReview v1 wire format (admission.k8s.io/v1): checking a request body and
 * building the response the API server expects (same uid, allowed, Status, warnings).
 */
import type { WebhookInvalidReason } from '../operator-catalog.js';

export const ADMISSION_API_VERSION = 'admission.k8s.io/v1';

export type AdmissionOperation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface GroupVersionResource {
  group: string;
  version: string;
  resource: string;
}

/** `AdmissionReview.request`: what the API server asks about. */
export interface AdmissionRequest<T = Record<string, unknown>> {
  uid: string;
  kind: GroupVersionKind;
  resource: GroupVersionResource;
  subResource?: string;
  requestKind?: GroupVersionKind;
  requestResource?: GroupVersionResource;
  requestSubResource?: string;
  name?: string;
  namespace?: string;
  operation: AdmissionOperation;
  userInfo?: { username?: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> };
  /** The new object (CREATE, UPDATE; null on DELETE). */
  object?: T | null;
  /** The existing object (UPDATE, DELETE; null on CREATE). */
  oldObject?: T | null;
  dryRun?: boolean;
  options?: Record<string, unknown> | null;
}

/** `meta/v1 Status` as carried in an admission response. */
export interface AdmissionStatus {
  status?: 'Success' | 'Failure';
  code?: number;
  reason?: string;
  message?: string;
}

export interface AdmissionResponse {
  uid: string;
  allowed: boolean;
  status?: AdmissionStatus;
  warnings?: string[];
}

export interface AdmissionReviewResponse {
  apiVersion: typeof ADMISSION_API_VERSION;
  kind: 'AdmissionReview';
  response: AdmissionResponse;
}

export type ParsedReview = { ok: true; request: AdmissionRequest } | { ok: false; reason: WebhookInvalidReason; message: string };

const OPERATIONS = new Set<string>(['CREATE', 'UPDATE', 'DELETE', 'CONNECT']);

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function invalid(reason: WebhookInvalidReason, message: string): ParsedReview {
  return { ok: false, reason, message };
}

/** Checks an AdmissionReview request body; says exactly what is wrong when it is not one. */
export function parseAdmissionReview(text: string): ParsedReview {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    return invalid('malformed_body', `request body is not valid JSON: ${(error as Error).message}`);
  }
  if (!isRecord(body)) return invalid('malformed_body', 'request body must be a JSON object (an AdmissionReview)');
  if (body.apiVersion !== ADMISSION_API_VERSION) {
    return invalid(
      'wrong_api_version',
      `unsupported AdmissionReview apiVersion ${JSON.stringify(body.apiVersion)}: this webhook serves only '${ADMISSION_API_VERSION}' ` +
        `(set admissionReviewVersions: ["v1"] in the webhook configuration)`,
    );
  }
  if (body.kind !== 'AdmissionReview') return invalid('wrong_kind', `expected kind 'AdmissionReview', got ${JSON.stringify(body.kind)}`);
  const request = body.request;
  if (!isRecord(request)) return invalid('malformed_body', "AdmissionReview has no 'request' object");
  if (typeof request.uid !== 'string' || request.uid === '') return invalid('malformed_body', 'AdmissionReview request.uid must be a non-empty string');
  if (typeof request.operation !== 'string' || !OPERATIONS.has(request.operation)) {
    return invalid(
      'malformed_body',
      `AdmissionReview request.operation must be one of CREATE, UPDATE, DELETE, CONNECT, got ${JSON.stringify(request.operation)}`,
    );
  }
  const kind = request.kind;
  if (!isRecord(kind) || typeof kind.kind !== 'string' || kind.kind === '') {
    return invalid('malformed_body', 'AdmissionReview request.kind must be a {group, version, kind} object');
  }
  return { ok: true, request: request as unknown as AdmissionRequest };
}

/** The response to `uid`: allowed, or denied with a Failure Status. */
export function admissionResponse(
  uid: string,
  decision: { allowed: true; warnings?: string[] } | { allowed: false; code: number; reason: string; message: string; warnings?: string[] },
): AdmissionReviewResponse {
  const response: AdmissionResponse = { uid, allowed: decision.allowed };
  if (!decision.allowed) {
    response.status = { status: 'Failure', code: decision.code, reason: decision.reason, message: decision.message };
  }
  if (decision.warnings && decision.warnings.length > 0) response.warnings = [...decision.warnings];
  return { apiVersion: ADMISSION_API_VERSION, kind: 'AdmissionReview', response };
}
