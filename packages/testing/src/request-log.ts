/**
 * A record of every request the server received, for asserting on client behaviour
 * ("the informer listed once", "the operator never wrote to a cached object").
 */
import { requestMatches, type ApiVerb, type RequestMatch } from './failures.js';

/** One received request. */
export interface RequestRecord {
  /** 1, 2, 3 … in arrival order. */
  seq: number;
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  /** Resource verb, or `'discovery'`/`'other'` for non-resource paths. */
  verb: ApiVerb | 'discovery' | 'other';
  group: string;
  version: string;
  plural: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** HTTP status answered (for watches: 200 once the stream started); undefined while in flight. */
  status?: number;
  /** True when an injected failure answered or delayed this request. */
  injected: boolean;
}

/** Filter for RequestLog queries: RequestMatch fields, plus the HTTP method or status. */
export interface RequestFilter extends Omit<RequestMatch, 'verb'> {
  verb?: RequestRecord['verb'];
  method?: string;
  status?: number;
}

function matches(filter: RequestFilter, r: RequestRecord): boolean {
  const { verb, method, status, ...rest } = filter;
  if (verb !== undefined && verb !== r.verb) return false;
  if (method !== undefined && method.toUpperCase() !== r.method) return false;
  if (status !== undefined && status !== r.status) return false;
  if (r.verb === 'discovery' || r.verb === 'other') {
    return Object.values(rest).every((v) => v === undefined);
  }
  return requestMatches(rest, { ...r, verb: r.verb });
}

interface Waiter {
  filter: RequestFilter;
  resolve: (r: RequestRecord) => void;
}

export class RequestLog {
  readonly #records: RequestRecord[] = [];
  readonly #waiters = new Set<Waiter>();
  #seq = 0;

  /** All records, oldest first (a copy). */
  get all(): RequestRecord[] {
    return [...this.#records];
  }

  /** Records matching `filter` (all when omitted). */
  filter(filter: RequestFilter = {}): RequestRecord[] {
    return this.#records.filter((r) => matches(filter, r));
  }

  /** How many requests matched `filter`, e.g. `count({ verb: 'list', plural: 'pods' })`. */
  count(filter: RequestFilter = {}): number {
    return this.filter(filter).length;
  }

  /** Request counts keyed by verb. */
  countsByVerb(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const r of this.#records) counts[r.verb] = (counts[r.verb] ?? 0) + 1;
    return counts;
  }

  clear(): void {
    this.#records.length = 0;
  }

  /**
   * Resolves with the first request matching `filter` received from now on (or already
   * received after `afterSeq`, if given); rejects after `timeoutMs` (default 5000).
   */
  waitFor(filter: RequestFilter, options: { timeoutMs?: number; afterSeq?: number } = {}): Promise<RequestRecord> {
    if (options.afterSeq !== undefined) {
      const seen = this.#records.find((r) => r.seq > options.afterSeq! && matches(filter, r));
      if (seen) return Promise.resolve(seen);
    }
    const timeoutMs = options.timeoutMs ?? 5000;
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        filter,
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new Error(`no request matching ${JSON.stringify(filter)} within ${timeoutMs}ms`));
      }, timeoutMs);
      this.#waiters.add(waiter);
    });
  }

  /** The newest sequence number handed out (use as `afterSeq`). */
  get lastSeq(): number {
    return this.#seq;
  }

  /** Adds a record; the server fills in `status` when it answers. */
  add(record: Omit<RequestRecord, 'seq'>): RequestRecord {
    this.#seq += 1;
    const full: RequestRecord = { seq: this.#seq, ...record };
    this.#records.push(full);
    for (const w of [...this.#waiters]) {
      if (matches(w.filter, full)) {
        this.#waiters.delete(w);
        w.resolve(full);
      }
    }
    return full;
  }
}
