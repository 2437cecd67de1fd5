/**
 * Maps any error a reconcile can throw onto the twelve `error_type` label values of
 * dynamo-operator-metrics.md: from the Kubernetes Status `reason` first, the HTTP code
 * second, then network error codes. Anything else is `internal`; classification itself
 * never throws.
 *
 * Accepted shapes: client-node 1.x `ApiException` (`code`, `body` = raw JSON text of a
 * V1Status, possibly empty or not JSON; 401 carries no body at all), a parsed V1Status as
 * `body` (2.x and 0.x `HttpError`), `response.statusCode`/`status`, the Watch's
 * `Error & { statusCode }`, bare Status objects, node-fetch `FetchError`/`AbortError`,
 * undici `fetch failed` errors with a `cause`, DOMException `TimeoutError`, and errors
 * wrapped in `cause` chains.
 */
import { DYNAMO_RECONCILE_ERROR_TYPES } from '@promkit/catalogs';

/** The spec's error_type values, as the Dynamo operator catalog declares them. */
export const ERROR_TYPES = DYNAMO_RECONCILE_ERROR_TYPES;

export type ErrorType = (typeof ERROR_TYPES)[number];

/** What could be read off an error: the Status reason and HTTP code, when present. */
export interface StatusFacts {
  reason?: string;
  code?: number;
  message?: string;
}

/** Kubernetes `metav1.StatusReason` values (and their client-go predicates) → error_type. */
const BY_REASON: Readonly<Record<string, ErrorType>> = {
  NotFound: 'not_found',
  // A 410 means the referenced version no longer exists: the caller must re-read.
  Gone: 'not_found',
  Expired: 'not_found',
  AlreadyExists: 'already_exists',
  Conflict: 'conflict',
  Invalid: 'validation',
  BadRequest: 'bad_request',
  MethodNotAllowed: 'bad_request',
  NotAcceptable: 'bad_request',
  RequestEntityTooLarge: 'bad_request',
  UnsupportedMediaType: 'bad_request',
  Unauthorized: 'unauthorized',
  Forbidden: 'forbidden',
  Timeout: 'timeout',
  ServerTimeout: 'server_timeout',
  ServiceUnavailable: 'unavailable',
  TooManyRequests: 'rate_limited',
  InternalError: 'internal',
};

function byCode(code: number): ErrorType | undefined {
  switch (code) {
    case 400:
      return 'bad_request';
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
    case 410:
      return 'not_found';
    case 408:
      return 'timeout';
    case 409:
      return 'conflict';
    case 422:
      return 'validation';
    case 429:
      return 'rate_limited';
    case 502:
    case 503:
      return 'unavailable';
    case 504:
      return 'timeout';
  }
  if (code >= 400 && code < 500) return 'bad_request';
  if (code >= 500 && code < 600) return 'internal';
  return undefined;
}

/** Socket and fetch error codes: the API server could not be reached, or not in time. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ABORT_ERR']);

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object';
}

function asCode(v: unknown): number | undefined {
  const n = typeof v === 'string' && /^\d{3}$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) && n >= 100 && n < 600 ? n : undefined;
}

/** A V1Status from a parsed object or raw JSON text; undefined when it is neither. */
function statusFromBody(body: unknown): StatusFacts | undefined {
  let value = body;
  if (typeof value === 'string') {
    const text = value.trim();
    if (!text.startsWith('{')) return undefined;
    try {
      value = JSON.parse(text);
    } catch {
      return undefined;
    }
  }
  if (value instanceof Uint8Array) return statusFromBody(Buffer.from(value).toString('utf8'));
  if (!isRecord(value)) return undefined;
  const facts: StatusFacts = {};
  if (typeof value.reason === 'string' && value.reason !== '') facts.reason = value.reason;
  const code = asCode(value.code);
  if (code !== undefined) facts.code = code;
  if (typeof value.message === 'string') facts.message = value.message;
  return facts.reason !== undefined || facts.code !== undefined ? facts : undefined;
}

/**
 * The Status reason and HTTP code carried by one error object (not its causes). Reads
 * client-node's ApiException, 0.x HttpError, the Watch error and bare Status objects.
 */
export function statusFactsOf(err: unknown): StatusFacts {
  if (!isRecord(err)) return {};
  const fromBody = statusFromBody(err.body) ?? statusFromBody(err.response && isRecord(err.response) ? err.response.body : undefined);
  const direct = err.kind === 'Status' || typeof err.reason === 'string' ? statusFromBody(err) : undefined;
  const response = isRecord(err.response) ? err.response : undefined;
  const code =
    fromBody?.code ??
    direct?.code ??
    asCode(err.statusCode) ??
    asCode(err.code) ??
    asCode(err.status) ??
    asCode(response?.statusCode) ??
    asCode(response?.status) ??
    asCode(err.httpStatusCode);
  const facts: StatusFacts = {};
  const reason = fromBody?.reason ?? direct?.reason;
  if (reason !== undefined) facts.reason = reason;
  if (code !== undefined) facts.code = code;
  const message = fromBody?.message ?? direct?.message;
  if (message !== undefined) facts.message = message;
  return facts;
}

function networkType(err: Record<string, unknown>): ErrorType | undefined {
  const name = typeof err.name === 'string' ? err.name : '';
  if (name === 'TimeoutError') return 'timeout';
  // Operators abort API calls almost only on deadlines (AbortSignal.timeout, context timeouts).
  if (name === 'AbortError') return 'timeout';
  if (err.type === 'request-timeout' || err.type === 'body-timeout') return 'timeout';
  const code = typeof err.code === 'string' ? err.code : typeof err.errno === 'string' ? err.errno : '';
  if (UNAVAILABLE_CODES.has(code)) return 'unavailable';
  if (TIMEOUT_CODES.has(code)) return 'timeout';
  return undefined;
}

function classifyOne(err: unknown): ErrorType | undefined {
  if (!isRecord(err)) return undefined;
  const facts = statusFactsOf(err);
  if (facts.reason !== undefined) {
    const t = BY_REASON[facts.reason];
    if (t !== undefined) return t;
  }
  if (facts.code !== undefined) {
    const t = byCode(facts.code);
    if (t !== undefined) return t;
  }
  return networkType(err);
}

const MAX_CAUSE_DEPTH = 8;

/** The error_type of `err`: its own Status/code first, then each `cause` in turn; `internal` otherwise. */
export function classifyError(err: unknown): ErrorType {
  try {
    let current: unknown = err;
    const seen = new Set<unknown>();
    for (let depth = 0; depth < MAX_CAUSE_DEPTH && isRecord(current) && !seen.has(current); depth++) {
      seen.add(current);
      const t = classifyOne(current);
      if (t !== undefined) return t;
      if (Array.isArray((current as { errors?: unknown }).errors)) {
        // AggregateError (e.g. happy-eyeballs connect failures): the first classifiable one wins.
        for (const inner of (current as { errors: unknown[] }).errors) {
          const t2 = classifyOne(inner);
          if (t2 !== undefined) return t2;
        }
      }
      current = (current as { cause?: unknown }).cause;
    }
  } catch {
    // A hostile getter must not turn a metric into a crash.
  }
  return 'internal';
}

export function isErrorType(value: unknown): value is ErrorType {
  return typeof value === 'string' && (ERROR_TYPES as readonly string[]).includes(value);
}
