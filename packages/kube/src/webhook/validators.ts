/**
 * Validators registered per kind and operation, and the dispatch that runs them and
 * records `webhook_duration_seconds`, `webhook_requests_total{result}` and
 * `webhook_denials_total{reason}`, inside an `admission` span (so the metrics carry its
 * ids as exemplars). Failing and slow validators are logged under `promkit::kube::webhook`.
 */
import { startClock } from 'promkit/integration';
import { getLogger, withSpan } from 'promkit/integration';
import { ADMISSION_SPAN, admissionAttributes, setAdmissionOutcome } from '../spans.js';
import type { OperatorHandles } from '../operator-catalog.js';
import { admissionResponse, type AdmissionOperation, type AdmissionRequest, type AdmissionReviewResponse } from './admission-review.js';

export type ValidationResult =
  | { allowed: true; warnings?: string[] }
  | {
      allowed: false;
      /** Machine-readable cause: the `reason` label and the Status reason (e.g. 'immutable_field_changed'). */
      reason: string;
      /** Shown to the user by kubectl; defaults to the reason. */
      message?: string;
      /** HTTP code of the Status (default 403). */
      code?: number;
      warnings?: string[];
    };

/** Decides one request; returning nothing allows it. */
export type Validator<T = Record<string, unknown>> = (
  request: AdmissionRequest<T>,
  // biome-ignore lint/suspicious/noConfusingVoidType: "return nothing to allow" — users declare such validators as returning void, which undefined would not accept
) => ValidationResult | void | Promise<ValidationResult | void>;

/** A validator of some kind's objects: each kind's validator takes its own object type. */
// biome-ignore lint/suspicious/noExplicitAny: a map holds validators of different object types; parameters are contravariant, so no other type accepts them all and keeps inline validators' requests usable
type AnyValidator = Validator<any>;

/** Per kind: one validator for every operation, or one per operation. */
export type ValidatorsByKind = Record<string, AnyValidator | Partial<Record<AdmissionOperation, AnyValidator>>>;

export function allow(warnings?: string[]): ValidationResult {
  return warnings && warnings.length > 0 ? { allowed: true, warnings } : { allowed: true };
}

export function deny(reason: string, message?: string, options: { code?: number; warnings?: string[] } = {}): ValidationResult {
  return { allowed: false, reason, ...(message !== undefined ? { message } : {}), ...options };
}

/** Where the webhook logs (validator failures, timeouts, failed requests). */
export const WEBHOOK_LOG_TARGET = 'promkit::kube::webhook';

/**
 * The `resource_type` label of requests for kinds without a validator: the kind comes
 * from the request body, so only the kinds this webhook serves become label values.
 */
export const OTHER_KIND_LABEL = 'other';

/** Denial reasons the dispatch itself produces. */
export const VALIDATOR_ERROR_REASON = 'validator_error';
export const VALIDATOR_TIMEOUT_REASON = 'validator_timeout';

export interface AdmissionHandlerOptions {
  validators: ValidatorsByKind;
  /** A validator slower than this is denied with reason 'validator_timeout' (default 8000 ms, under the API server's 10 s). */
  validatorTimeoutMs?: number;
  /** Requests for kinds or operations without a validator: 'allow' (default) or 'deny'. */
  unhandled?: 'allow' | 'deny';
}

function validatorFor(validators: ValidatorsByKind, kind: string, operation: AdmissionOperation): AnyValidator | undefined {
  const entry = Object.hasOwn(validators, kind) ? validators[kind] : undefined;
  if (typeof entry === 'function') return entry;
  return entry && Object.hasOwn(entry, operation) ? entry[operation] : undefined;
}

class ValidatorTimeout extends Error {}

async function runValidator(validator: AnyValidator, request: AdmissionRequest, timeoutMs: number): Promise<ValidationResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ValidatorTimeout(`validator did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const result = await Promise.race([Promise.resolve().then(() => validator(request)), timeout]);
    if (result === undefined || result === null) return { allowed: true };
    if (typeof result !== 'object' || typeof result.allowed !== 'boolean') {
      throw new TypeError(`validator returned ${JSON.stringify(result)}; return allow(), deny(reason, message) or nothing`);
    }
    if (!result.allowed && (typeof result.reason !== 'string' || result.reason === '')) {
      throw new TypeError('validator denied without a reason; use deny(reason, message)');
    }
    return result;
  } finally {
    clearTimeout(timer);
  }
}

/** Turns a checked AdmissionRequest into the AdmissionReview response, recording the webhook metrics. */
export function createAdmissionHandler(
  handles: OperatorHandles,
  options: AdmissionHandlerOptions,
): (request: AdmissionRequest) => Promise<AdmissionReviewResponse> {
  const timeoutMs = options.validatorTimeoutMs ?? 8000;
  // Taken here, not at module load, so a setDefaultLogging() before wiring the webhook applies.
  const log = getLogger(WEBHOOK_LOG_TARGET);
  return (request) => {
    const kind = request.kind.kind;
    const kindLabel = Object.hasOwn(options.validators, kind) ? kind : OTHER_KIND_LABEL;
    const operation = request.operation;
    const attributes = admissionAttributes({ kind, operation, namespace: request.namespace, name: request.name, uid: request.uid });
    return withSpan(ADMISSION_SPAN, attributes, async (span) => {
      const elapsed = startClock();
      const validator = validatorFor(options.validators, kind, operation);
      let result: ValidationResult;
      if (!validator) {
        result =
          options.unhandled === 'deny' ? { allowed: false, reason: 'unhandled_kind', message: `no validator for ${kind} ${operation}` } : { allowed: true };
      } else {
        try {
          result = await runValidator(validator, request, timeoutMs);
        } catch (error) {
          const timedOut = error instanceof ValidatorTimeout;
          const reason = timedOut ? VALIDATOR_TIMEOUT_REASON : VALIDATOR_ERROR_REASON;
          const detail = error instanceof Error ? error.message : String(error);
          result = { allowed: false, reason, message: `validation of ${kind} ${operation} failed: ${detail}`, code: 500 };
          span.recordError(error);
          try {
            log.warn(
              {
                resource_type: kind,
                operation,
                namespace: request.namespace ?? '',
                name: request.name ?? '',
                uid: request.uid,
                reason,
                ...(timedOut ? { timeout_ms: timeoutMs } : { err: error }),
              },
              timedOut ? `validator did not answer within ${timeoutMs} ms; request denied` : 'validator failed; request denied',
            );
          } catch {
            // a broken log destination must not change the answer
          }
        }
      }
      setAdmissionOutcome(span, result.allowed, result.allowed ? undefined : result.reason);
      handles.webhookDuration.labels(kindLabel, operation).observe(elapsed());
      handles.webhookRequests.labels(kindLabel, operation, result.allowed ? 'allowed' : 'denied').inc();
      if (result.allowed) return admissionResponse(request.uid, { allowed: true, ...(result.warnings ? { warnings: result.warnings } : {}) });
      handles.webhookDenials.labels(kindLabel, operation, result.reason).inc();
      return admissionResponse(request.uid, {
        allowed: false,
        code: result.code ?? 403,
        reason: result.reason,
        message: result.message ?? result.reason,
        ...(result.warnings ? { warnings: result.warnings } : {}),
      });
    });
  };
}
