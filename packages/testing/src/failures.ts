/**
 * Injected failures: make the next N matching requests fail with a chosen Status, or
 * stall, so retry, backoff and timeout paths can be tested against real HTTP.
 */
import { ApiError, failureStatus } from './status.js';

/** API verbs, as Kubernetes names them for authorization and audit. */
export type ApiVerb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

/** Which requests a failure applies to; every given field must match. */
export interface RequestMatch {
  verb?: ApiVerb;
  /** API group (`''` for core). */
  group?: string;
  plural?: string;
  namespace?: string;
  name?: string;
  /** `'status'` to target only status writes; `''` to target only the main resource. */
  subresource?: string;
}

export interface FailureSpec extends RequestMatch {
  /**
   * HTTP status to answer with. Omit it to only delay the request (`delayMs`) and then
   * serve it normally.
   */
  code?: number;
  /** Status reason; defaults to the real server's reason for `code` (409 → Conflict, 504 → Timeout …). */
  reason?: string;
  message?: string;
  /** How many matching requests to affect (default 1; `Infinity` for all until cancelled). */
  times?: number;
  /** Wait this long before answering (longer than the client's timeout to simulate a hang). */
  delayMs?: number;
  /** For 429/503: the `Retry-After` header and `details.retryAfterSeconds` (429 defaults to 1). */
  retryAfterSeconds?: number;
  /**
   * For watch requests: answer 200 and send the Status as an ERROR event, then close the
   * stream (how the real server reports errors once a watch has started), instead of an
   * HTTP error status.
   */
  asWatchEvent?: boolean;
}

/** A registered failure; cancel it to stop affecting requests. */
export interface FailureHandle {
  /** Requests affected so far. */
  readonly hits: number;
  /** Requests it will still affect. */
  readonly remaining: number;
  cancel(): void;
}

/** What the server should do with a request a failure matched. */
export interface FailureAction {
  delayMs: number;
  error?: ApiError;
  asWatchEvent: boolean;
}

export interface RequestFacts {
  verb: ApiVerb;
  group: string;
  plural: string;
  namespace?: string;
  name?: string;
  subresource?: string;
}

export function requestMatches(match: RequestMatch, facts: RequestFacts): boolean {
  return (
    (match.verb === undefined || match.verb === facts.verb) &&
    (match.group === undefined || match.group === facts.group) &&
    (match.plural === undefined || match.plural === facts.plural) &&
    (match.namespace === undefined || match.namespace === facts.namespace) &&
    (match.name === undefined || match.name === facts.name) &&
    (match.subresource === undefined || match.subresource === (facts.subresource ?? ''))
  );
}

interface Entry {
  spec: FailureSpec;
  hits: number;
  remaining: number;
}

function buildError(spec: FailureSpec, facts: RequestFacts): ApiError | undefined {
  if (spec.code === undefined) return undefined;
  const status = failureStatus(spec.code, spec.message, spec.reason);
  const details: NonNullable<typeof status.details> = { kind: facts.plural };
  if (facts.name) details.name = facts.name;
  if (facts.group) details.group = facts.group;
  const headers: Record<string, string> = {};
  const retryAfter = spec.retryAfterSeconds ?? (spec.code === 429 ? 1 : undefined);
  if (retryAfter !== undefined) {
    details.retryAfterSeconds = retryAfter;
    headers['Retry-After'] = String(retryAfter);
  }
  status.details = details;
  return new ApiError(status, headers);
}

export class FailureInjector {
  readonly #entries: Entry[] = [];

  add(spec: FailureSpec): FailureHandle {
    const times = spec.times ?? 1;
    if (!(times > 0)) throw new Error(`injectFailure: times must be > 0, got ${times}`);
    if (spec.code !== undefined && (!Number.isInteger(spec.code) || spec.code < 400 || spec.code > 599)) {
      throw new Error(`injectFailure: code must be an HTTP error status 400-599, got ${spec.code}`);
    }
    if (spec.code === undefined && !spec.delayMs) {
      throw new Error('injectFailure: give a code, a delayMs, or both');
    }
    const entry: Entry = { spec: { ...spec }, hits: 0, remaining: times };
    this.#entries.push(entry);
    return {
      get hits() {
        return entry.hits;
      },
      get remaining() {
        return entry.remaining;
      },
      cancel: () => {
        entry.remaining = 0;
        this.#prune();
      },
    };
  }

  #prune(): void {
    for (let i = this.#entries.length - 1; i >= 0; i--) {
      if (this.#entries[i]!.remaining <= 0) this.#entries.splice(i, 1);
    }
  }

  /** Consumes the first matching failure (in registration order), if any. */
  take(facts: RequestFacts): FailureAction | undefined {
    const entry = this.#entries.find((e) => e.remaining > 0 && requestMatches(e.spec, facts));
    if (!entry) return undefined;
    entry.hits += 1;
    entry.remaining -= 1;
    this.#prune();
    const action: FailureAction = { delayMs: entry.spec.delayMs ?? 0, asWatchEvent: entry.spec.asWatchEvent ?? false };
    const error = buildError(entry.spec, facts);
    if (error) action.error = error;
    return action;
  }

  clear(): void {
    this.#entries.length = 0;
  }
}
