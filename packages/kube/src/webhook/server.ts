/**
 * The admission webhook server: HTTPS (the API server only calls webhooks over TLS), a
 * body size limit, request timeouts, and a 400 with a clear message for anything that is
 * not an AdmissionReview v1 (counted in `<prefix>_webhook_invalid_requests_total`). A bad
 * request never stops the server. Each request gets a server span continuing the API
 * server's trace (`traceparent`/`tracestate`, `x-request-id`), the parent of the
 * `admission` span.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { SecureContextOptions } from 'node:tls';
import type { CounterImpl } from 'promkit';
import { getLogger, traceRequest } from 'promkit/integration';
import { Drainer, listen, loadTlsFiles, localUrl, watchCertificate, type CertWatcher, type TlsFiles, type TlsMaterial } from 'promkit/server';
import type { OperatorMetrics } from '../operator-metrics.js';
import type { WebhookInvalidReason } from '../operator-catalog.js';
import { parseAdmissionReview } from './admission-review.js';
import { createAdmissionHandler, WEBHOOK_LOG_TARGET, type AdmissionHandlerOptions } from './validators.js';

/** The API server's own limit on a request body (3 MiB). */
export const DEFAULT_MAX_BODY_BYTES = 3 * 1024 * 1024;

export type WebhookTls = Pick<SecureContextOptions, 'cert' | 'key' | 'ca' | 'passphrase' | 'minVersion'> | TlsFiles;

export interface AdmissionWebhookOptions extends AdmissionHandlerOptions {
  kit: OperatorMetrics;
  /**
   * Certificate and key (PEM), or files holding them, reloaded when they change (as
   * controller-runtime's certwatcher does). Required unless `insecureHttp` is set.
   */
  tls?: WebhookTls;
  /** Serve plain HTTP: only for local demos, the API server will not call it. */
  insecureHttp?: boolean;
  /** Default 0 (a free port). Kubernetes webhooks conventionally use 9443. */
  port?: number;
  /** Default '0.0.0.0'. */
  host?: string;
  /** Only this path answers (default: any path). */
  path?: string;
  /** Larger bodies get a 400 without being read (default 3 MiB). */
  maxBodyBytes?: number;
  /** Time allowed to receive a whole request (default 10 s, the API server's webhook timeout). */
  requestTimeoutMs?: number;
  /** How long `close()` lets answers in flight finish before cutting them (default 5 s). */
  drainTimeoutMs?: number;
  /** Told about every request once answered (e.g. to feed `modal_webhook_requests_total`). */
  onRequest?: (event: WebhookRequestEvent) => void;
}

export interface WebhookRequestEvent {
  method: string;
  /** allowed/denied: a review was answered; invalid: a 4xx before any validator; error: a 500. */
  outcome: 'allowed' | 'denied' | 'invalid' | 'error';
}

export interface AdmissionWebhook {
  /** Starts listening; resolves with the bound port. */
  listen(): Promise<{ port: number; url: string }>;
  /** Stops accepting, lets answers in flight finish (up to `drainTimeoutMs`), drops idle connections and frees the port. */
  close(): Promise<void>;
  /** The request handler, to mount in an existing server instead of `listen()`. */
  readonly handle: (req: IncomingMessage, res: ServerResponse) => void;
  readonly port: number;
  readonly url: string;
}

class BadRequest extends Error {
  constructor(
    readonly reason: WebhookInvalidReason,
    message: string,
    readonly code = 400,
  ) {
    super(message);
  }
}

/**
 * Reads the body up to `limit` bytes. A larger one is drained and discarded so the client
 * can read the 400, unless it goes on past a hard cap, when the connection is dropped.
 */
function readLimited(req: IncomingMessage, limit: number): Promise<string> {
  const hardCap = Math.max(limit * 4, 16 * 1024 * 1024);
  const declared = Number(req.headers['content-length']);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const tooLarge = () =>
      new BadRequest('too_large', `request body of ${Number.isFinite(declared) ? declared : `more than ${limit}`} bytes exceeds the limit of ${limit} bytes`);
    if (Number.isFinite(declared) && declared > hardCap) {
      reject(tooLarge());
      return;
    }
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > hardCap) {
        // A chunked body has no declared length: it is found too large only here. Stop
        // reading and answer 400 (the connection is closed after it), as for a declared one.
        req.off('data', onData);
        req.pause();
        reject(tooLarge());
      } else if (size <= limit) chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => (size > limit ? reject(tooLarge()) : resolve(Buffer.concat(chunks).toString('utf8'))));
    req.once('error', (error) => reject(size > limit ? tooLarge() : error));
    req.once('close', () => {
      if (!req.complete) reject(size > limit ? tooLarge() : new Error('request aborted'));
    });
  });
}

/** The request's path; undefined when the target cannot be parsed. */
function pathOf(req: IncomingMessage): string | undefined {
  try {
    return new URL(req.url ?? '/', 'http://x').pathname;
  } catch {
    return undefined;
  }
}

function sendJson(res: ServerResponse, code: number, body: unknown, close = false): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(code, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    ...(close ? { Connection: 'close' } : {}),
  });
  res.end(text);
}

function failure(code: number, reason: string, message: string): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code, reason, message };
}

async function loadTls(tls: WebhookTls): Promise<SecureContextOptions> {
  return 'certFile' in tls ? loadTlsFiles(tls) : tls;
}

/** An HTTPS AdmissionReview v1 server for `validators`, recording the kit's webhook metrics. */
export function createAdmissionWebhook(options: AdmissionWebhookOptions): AdmissionWebhook {
  if (!options.tls && !options.insecureHttp) {
    throw new TypeError(
      'createAdmissionWebhook: give tls { cert, key } (the API server calls webhooks only over HTTPS), or insecureHttp: true for a local demo',
    );
  }
  if (options.tls && options.insecureHttp) throw new TypeError('createAdmissionWebhook: tls and insecureHttp exclude each other');
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const review = createAdmissionHandler(options.kit.metrics, options);
  const invalid: CounterImpl<'reason'> = options.kit.webhookExtras().webhookInvalidRequests;
  const scheme = options.insecureHttp ? 'http' : 'https';
  const log = getLogger(WEBHOOK_LOG_TARGET);
  let server: Server | undefined;
  let drainer: Drainer | undefined;
  let certWatcher: CertWatcher | undefined;
  let port = 0;

  const notify = (req: IncomingMessage, outcome: WebhookRequestEvent['outcome']): void => {
    try {
      options.onRequest?.({ method: req.method ?? 'POST', outcome });
    } catch {
      // an observer must not break admission
    }
  };

  const respond = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      if (options.path !== undefined && pathOf(req) !== options.path) {
        throw new BadRequest('not_found', `no webhook at ${req.url}; this one serves ${options.path}`, 404);
      }
      if (req.method !== 'POST') throw new BadRequest('wrong_method', `method ${req.method} not allowed: send the AdmissionReview with POST`, 405);
      const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (type !== 'application/json') {
        throw new BadRequest('wrong_content_type', `content type ${JSON.stringify(type)} not supported: send application/json`);
      }
      const parsed = parseAdmissionReview(await readLimited(req, limit));
      if (!parsed.ok) throw new BadRequest(parsed.reason, parsed.message);
      const answer = await review(parsed.request);
      sendJson(res, 200, answer);
      notify(req, answer.response.allowed ? 'allowed' : 'denied');
    } catch (error) {
      if (error instanceof BadRequest) {
        invalid.labels(error.reason).inc();
        notify(req, 'invalid');
        // An oversized body is left unread: close the connection rather than drain it.
        sendJson(
          res,
          error.code,
          failure(error.code, error.code === 400 ? 'BadRequest' : error.code === 404 ? 'NotFound' : 'MethodNotAllowed', error.message),
          error.reason === 'too_large',
        );
        log.debug({ method: req.method, path: req.url, reason: error.reason, status: error.code }, `request rejected: ${error.message}`);
        return;
      }
      notify(req, 'error');
      sendJson(res, 500, failure(500, 'InternalError', `admission webhook failed: ${error instanceof Error ? error.message : String(error)}`));
      log.error({ method: req.method, path: req.url, err: error }, 'admission request failed');
    }
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    drainer?.track(res);
    // http.route only for the served path: a 404 elsewhere gets a span named by the method alone.
    const route = options.path !== undefined && pathOf(req) === options.path ? options.path : undefined;
    traceRequest(req, res, { route }, () => respond(req, res)).catch(() => res.destroy());
  };

  return {
    handle,
    get port() {
      return port;
    },
    get url() {
      if (!server) throw new Error('admission webhook: call listen() before reading url');
      return localUrl(scheme, options.host ?? '0.0.0.0', port);
    },
    async listen() {
      if (server) throw new Error('admission webhook: already listening');
      const timeouts = { requestTimeout: options.requestTimeoutMs ?? 10_000, headersTimeout: Math.min(options.requestTimeoutMs ?? 10_000, 60_000) };
      const material = options.tls ? await loadTls(options.tls) : undefined;
      const created = material ? createHttpsServer({ ...material, ...timeouts }, handle) : createHttpServer(timeouts, handle);
      created.on('clientError', (_err, socket) => socket.destroy());
      const files = options.tls && 'certFile' in options.tls ? options.tls : undefined;
      const watcher = files ? watchCertificate(files, material as TlsMaterial, (next) => (created as HttpsServer).setSecureContext(next), log) : undefined;
      try {
        port = await listen(created, options.port ?? 0, options.host ?? '0.0.0.0');
      } catch (error) {
        watcher?.close();
        throw error;
      }
      certWatcher = watcher;
      server = created;
      drainer = new Drainer(created);
      return { port, url: this.url };
    },
    async close() {
      certWatcher?.close();
      // Answers in flight (the API server is waiting on them) finish; idle connections go at once.
      await drainer?.close(options.drainTimeoutMs ?? 5_000);
    },
  };
}
