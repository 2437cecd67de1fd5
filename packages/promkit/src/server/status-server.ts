import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { Registry } from '../core/registry.js';
import { currentExemplar } from '../core/exemplar-provider.js';
import { getLogger } from '../integration/logger.js';
import { traceRequest, type RequestEnd } from '../integration/tracing-hooks.js';
import type { Authorizer } from './auth.js';
import { isUrlPath } from './env-config.js';
import { serveHealth, serveLive } from './health-handler.js';
import type { HealthState } from './health-state.js';
import { pathnameOf, replyJson, replyText } from './http-reply.js';
import { Drainer, listen, localUrl } from './http-lifecycle.js';
import { metricsHandler, type MetricsHandlerOptions } from './metrics-handler.js';
import { createRequestMetrics, type RequestMetrics } from './request-metrics.js';
import type { MetricsSource } from './shared-scrape.js';
import { watchCertificate, type CertWatcher } from './cert-watcher.js';
import { loadTlsFiles, type TlsFiles } from './tls.js';

export interface ServerLogger {
  info(message: string): void;
  error(message: string): void;
}

export interface MetricsServerOptions extends MetricsHandlerOptions {
  /** A core registry to serve (give this or `scope`). */
  registry?: Registry;
  /** A runtime scope (or anything with `metrics({format})`) to serve. */
  scope?: MetricsSource;
  /** Default 0: a random free port (see `port` of the result). */
  port?: number;
  /** Default 0.0.0.0. */
  host?: string;
  /** Default /metrics; false serves no metrics (a probes-only server). */
  metricsPath?: string | false;
  /** When given, the server answers `healthPath` and `livePath` from it. */
  health?: HealthState;
  healthPath?: string;
  livePath?: string;
  /** Decides every request except those to `authExemptPaths`. */
  auth?: Authorizer;
  /** Paths served without auth; default: the health and live paths. */
  authExemptPaths?: readonly string[];
  /** Serve HTTPS with this certificate and key, reloaded when the files change. */
  tls?: TlsFiles;
  /**
   * Scrapes gathering or encoding at once; above this they get 503 with Retry-After.
   * A scrape gives its slot back once its body is being sent (a client that does not
   * read is cut after `sendStallTimeoutMs`). Default 64.
   */
  maxInFlight?: number;
  /** A response not finished by then (slow or stalled client) is cut. Default 30 000 ms. */
  requestTimeoutMs?: number;
  /** Default 5 000 ms. */
  keepAliveTimeoutMs?: number;
  /** How long `close()` lets running responses finish. Default 10 000 ms. */
  drainTimeoutMs?: number;
  /** Request metrics sink; default: created in the served registry/scope. False disables. */
  requestMetrics?: RequestMetrics | false;
  /** Name prefix of the default request metrics. Default `promkit_http`. */
  requestMetricsPrefix?: string;
  /** Default: the `promkit::server` logger (see promkit/logging). */
  logger?: ServerLogger;
}

export interface RunningMetricsServer {
  readonly port: number;
  readonly host: string;
  /** e.g. http://127.0.0.1:8081 (loopback when listening on a wildcard address). */
  readonly url: string;
  readonly server: Server;
  /** Stops accepting, drains running responses, frees the port. Idempotent. */
  close(): Promise<void>;
}

type Route = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

const OTHER_ROUTE = 'other';

function positiveInteger(option: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value <= 0) throw new TypeError(`startMetricsServer: ${option} must be a positive integer, got ${String(value)}`);
  return value;
}

function assertPath(option: string, path: string): void {
  if (!isUrlPath(path)) throw new TypeError(`startMetricsServer: ${option} must be an absolute path such as /metrics, got ${JSON.stringify(path)}`);
}

function sourceOf(options: MetricsServerOptions): MetricsSource {
  if ((options.registry === undefined) === (options.scope === undefined)) {
    throw new TypeError('startMetricsServer: give exactly one of `registry` (a core Registry) or `scope` (a runtime scope)');
  }
  return (options.registry ?? options.scope) as MetricsSource;
}

function buildRoutes(options: MetricsServerOptions, source: MetricsSource, maxInFlight: number): Map<string, Route> {
  const routes = new Map<string, Route>();
  const add = (option: string, path: string, route: Route): void => {
    assertPath(option, path);
    if (routes.has(path)) throw new TypeError(`startMetricsServer: ${option} ${path} is already used by another route`);
    routes.set(path, route);
  };
  if (options.metricsPath !== false) {
    const handler = metricsHandler(source, options);
    let scrapes = 0;
    add('metricsPath', options.metricsPath ?? '/metrics', async (req, res) => {
      if (scrapes >= maxInFlight) {
        replyText(req, res, 503, `too many concurrent scrapes (limit ${maxInFlight}); retry shortly`, { 'Retry-After': '1' });
        return;
      }
      scrapes++;
      let held = true;
      const release = (): void => {
        if (held) scrapes--;
        held = false;
      };
      res.once('close', release);
      try {
        await handler(req, res);
      } finally {
        release();
      }
    });
  }
  const health = options.health;
  if (health !== undefined) {
    add('healthPath', options.healthPath ?? '/health', (req, res) => serveHealth(health, req, res));
    add('livePath', options.livePath ?? '/live', (req, res) => serveLive(health, req, res));
  }
  return routes;
}

async function authorize(auth: Authorizer, req: IncomingMessage, res: ServerResponse, logger: ServerLogger): Promise<boolean> {
  try {
    const decision = await auth(req);
    if (decision.allowed) return true;
    const headers: Record<string, string> = decision.status === 401 ? { 'WWW-Authenticate': 'Bearer' } : {};
    replyJson(req, res, decision.status, { error: decision.status === 401 ? 'unauthorized' : 'forbidden', reason: decision.reason }, headers);
  } catch (error) {
    logger.error(`promkit: authorizer failed; request denied: ${error instanceof Error ? error.message : String(error)}`);
    replyJson(req, res, 500, { error: 'authorization failed', reason: 'the authorizer threw; see the server log' });
  }
  return false;
}

/**
 * Starts an HTTP(S) server for metrics and, optionally, health probes: the system status
 * server of a runtime, or an operator's metrics (8080) and probes (8081) ports.
 */
export async function startMetricsServer(options: MetricsServerOptions): Promise<RunningMetricsServer> {
  const source = sourceOf(options);
  const host = options.host ?? '0.0.0.0';
  const port = options.port ?? 0;
  const maxInFlight = positiveInteger('maxInFlight', options.maxInFlight, 64);
  const requestTimeoutMs = positiveInteger('requestTimeoutMs', options.requestTimeoutMs, 30_000);
  const drainTimeoutMs = positiveInteger('drainTimeoutMs', options.drainTimeoutMs, 10_000);
  const logger = options.logger ?? getLogger('promkit::server');
  const requestLog = getLogger('promkit::server::request');
  const routes = buildRoutes(options, source, maxInFlight);
  const exempt = new Set(options.authExemptPaths ?? [options.healthPath ?? '/health', options.livePath ?? '/live']);
  const requestMetrics =
    options.requestMetrics === false ? undefined : (options.requestMetrics ?? createRequestMetrics(source, options.requestMetricsPrefix ?? 'promkit_http'));
  const tls = options.tls ? await loadTlsFiles(options.tls) : undefined;

  const serverOptions = {
    requestTimeout: requestTimeoutMs,
    headersTimeout: Math.min(requestTimeoutMs, 10_000),
    keepAliveTimeout: positiveInteger('keepAliveTimeoutMs', options.keepAliveTimeoutMs, 5_000),
    // Node checks header/request timeouts on this interval (30 s by default).
    connectionsCheckingInterval: Math.min(1_000, requestTimeoutMs),
  };
  const server: Server = tls ? createHttpsServer({ ...serverOptions, ...tls }) : createHttpServer(serverOptions);
  const drainer = new Drainer(server);

  const handle = async (req: IncomingMessage, res: ServerResponse, pathname: string, route: Route | undefined): Promise<void> => {
    drainer.track(res);
    const deadline = setTimeout(() => res.destroy(), requestTimeoutMs);
    deadline.unref();
    res.once('close', () => clearTimeout(deadline));
    if (drainer.isClosing) res.setHeader('Connection', 'close');
    if (options.auth && !exempt.has(pathname) && !(await authorize(options.auth, req, res, logger))) return;
    if (route === undefined) {
      replyText(req, res, 404, `no route for ${pathname}: this server answers ${[...routes.keys()].join(', ')}`);
      return;
    }
    await route(req, res);
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const started = process.hrtime.bigint();
    const pathname = pathnameOf(req);
    const route = routes.get(pathname);
    // Runs inside the request's span: the request metrics take its trace as exemplar.
    const onClose = ({ statusCode }: RequestEnd): void => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      requestMetrics?.observe(route ? pathname : OTHER_ROUTE, statusCode, seconds, currentExemplar());
      requestLog.debug({ method: req.method, path: pathname, status: statusCode, seconds }, 'request served');
    };
    traceRequest(req, res, { route: route ? pathname : undefined, onClose }, () => handle(req, res, pathname, route)).catch((error: unknown) => {
      logger.error(`promkit: request ${req.method} ${req.url} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (!res.headersSent) replyText(req, res, 500, 'internal error');
      else res.destroy();
    });
  });

  const certWatcher: CertWatcher | undefined =
    options.tls && tls ? watchCertificate(options.tls, tls, (material) => (server as HttpsServer).setSecureContext(material), logger) : undefined;
  let boundPort: number;
  try {
    boundPort = await listen(server, port, host);
  } catch (error) {
    certWatcher?.close();
    throw error;
  }
  server.on('error', (error) => logger.error(`promkit: metrics server error: ${error.message}`));
  const url = localUrl(tls ? 'https' : 'http', host, boundPort);
  return {
    port: boundPort,
    host,
    url,
    server,
    close: () => {
      certWatcher?.close();
      return drainer.close(drainTimeoutMs);
    },
  };
}
