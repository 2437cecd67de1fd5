/**
 * Kubernetes `Status` objects and the error type the server throws internally.
 *
 * Every failure leaves the server as a real `meta/v1 Status` with the matching HTTP code,
 * so clients (and their retry logic) see exactly what a real API server would send.
 */

/** `details` of a Status, as the API server fills it. */
export interface StatusDetails {
  name?: string;
  group?: string;
  /** The resource (plural), as the real server reports it, e.g. `pods`. */
  kind?: string;
  uid?: string;
  retryAfterSeconds?: number;
  causes?: Array<{ reason?: string; message?: string; field?: string }>;
}

/** A `meta/v1 Status` object. */
export interface KubeStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

/** The `reason` the real API server uses for each HTTP code. */
export const REASON_BY_CODE: Readonly<Record<number, string>> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Expired',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

const DEFAULT_MESSAGE_BY_REASON: Readonly<Record<string, string>> = {
  TooManyRequests: 'Too many requests, please try again later.',
  InternalError: 'Internal error occurred: injected failure',
  ServiceUnavailable: 'the server is currently unable to handle the request',
  Timeout: 'the server was unable to return a response in the time allotted, but may still be processing the request',
  Expired: 'the resource version requested is too old',
  Unauthorized: 'Unauthorized',
  Forbidden: 'forbidden',
};

/** Builds a failure Status; `reason` defaults to the one the real server uses for `code`. */
export function failureStatus(code: number, message?: string, reason?: string, details?: StatusDetails): KubeStatus {
  const r = reason ?? REASON_BY_CODE[code] ?? 'Unknown';
  const status: KubeStatus = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: message ?? DEFAULT_MESSAGE_BY_REASON[r] ?? r,
    reason: r,
    code,
  };
  if (details && Object.keys(details).length > 0) status.details = details;
  return status;
}

/** The Status a successful delete returns for resources that do not echo the object. */
export function successStatus(details: StatusDetails): KubeStatus {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details, code: 200 };
}

/**
 * An error that becomes a Status response. Thrown anywhere below the HTTP layer; the router
 * turns it into the response, so no handler needs to know about HTTP.
 */
export class ApiError extends Error {
  readonly status: KubeStatus;
  /** Extra response headers (e.g. `Retry-After`). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: KubeStatus, headers: Record<string, string> = {}) {
    super(status.message);
    this.name = 'ApiError';
    this.status = status;
    this.headers = headers;
  }

  get code(): number {
    return this.status.code;
  }
}

/** Names a resource the way the server does in messages: `pods` or `widgets.example.com`. */
export function qualifiedResource(group: string, plural: string): string {
  return group ? `${plural}.${group}` : plural;
}

function details(group: string, plural: string, name?: string): StatusDetails {
  const d: StatusDetails = { kind: plural };
  if (name !== undefined) d.name = name;
  if (group) d.group = group;
  return d;
}

export function notFound(group: string, plural: string, name: string): ApiError {
  return new ApiError(failureStatus(404, `${qualifiedResource(group, plural)} "${name}" not found`, 'NotFound', details(group, plural, name)));
}

export function alreadyExists(group: string, plural: string, name: string): ApiError {
  return new ApiError(failureStatus(409, `${qualifiedResource(group, plural)} "${name}" already exists`, 'AlreadyExists', details(group, plural, name)));
}

export function conflict(group: string, plural: string, name: string, why: string): ApiError {
  return new ApiError(
    failureStatus(409, `Operation cannot be fulfilled on ${qualifiedResource(group, plural)} "${name}": ${why}`, 'Conflict', details(group, plural, name)),
  );
}

export const STALE_OBJECT = 'the object has been modified; please apply your changes to the latest version and try again';

export function invalid(group: string, kind: string, name: string, field: string, message: string): ApiError {
  return new ApiError(
    failureStatus(422, `${kind} "${name}" is invalid: ${field}: ${message}`, 'Invalid', {
      ...(group ? { group } : {}),
      kind,
      name,
      causes: [{ reason: 'FieldValueInvalid', message, field }],
    }),
  );
}

export function badRequest(message: string): ApiError {
  return new ApiError(failureStatus(400, message, 'BadRequest'));
}

/** A 404 for paths that name no resource, worded like the real server. */
export function pathNotFound(): ApiError {
  return new ApiError(failureStatus(404, 'the server could not find the requested resource', 'NotFound', {}));
}

export function methodNotAllowed(method: string): ApiError {
  return new ApiError(failureStatus(405, `the server does not allow this method on the requested resource (${method})`));
}

export function expired(requested: string, oldest: number): ApiError {
  return new ApiError(failureStatus(410, `too old resource version: ${requested} (${oldest})`, 'Expired'));
}
