/**
 * The demo's dashboard preview: serves the generated Grafana dashboards as live pages that
 * query the demo's Prometheus (proxied, so the browser talks to one origin). A preview of
 * what deploy/ gives Grafana, not a replacement: time series, stat, gauge and table panels,
 * query variables, the alert annotation and exemplar counts.
 */
import { readFile, readdir } from 'node:fs/promises';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { CLIENT_SCRIPT } from './client-script.js';
import { dashboardPage, indexPage, type PreviewDashboard } from './page.js';

export interface DashboardPreviewOptions {
  /** Directory of generated dashboard JSON files (`<monitoring>/dashboards`). */
  readonly dashboardsDir: string;
  /** e.g. http://127.0.0.1:9090 */
  readonly prometheusUrl: string;
  readonly host: string;
  /** 0 = any free port. */
  readonly port: number;
  /** Scrape interval of that Prometheus, for `$__rate_interval` (Grafana's rule: at least 4 scrapes). */
  readonly scrapeIntervalSeconds: number;
}

export interface RunningDashboardPreview {
  readonly url: string;
  readonly dashboards: readonly PreviewDashboard[];
  close(): Promise<void>;
}

/** Prometheus API paths the pages need; nothing else is proxied. */
const PROXIED = new Set(['/api/v1/query', '/api/v1/query_range', '/api/v1/series', '/api/v1/query_exemplars']);

/** uPlot's browser build, from node_modules; a clear error when it is not installed. */
export async function loadUplot(): Promise<{ js: string; css: string }> {
  let dist: string;
  try {
    dist = join(dirname(createRequire(import.meta.url).resolve('uplot/package.json')), 'dist');
  } catch {
    throw new Error("the dashboard preview needs the 'uplot' package (npm i uplot)");
  }
  const [js, css] = await Promise.all([readFile(join(dist, 'uPlot.iife.min.js'), 'utf8'), readFile(join(dist, 'uPlot.min.css'), 'utf8')]);
  return { js, css };
}

export async function loadDashboards(dir: string): Promise<PreviewDashboard[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  return Promise.all(
    files.map(async (f) => {
      const json = await readFile(join(dir, f), 'utf8');
      const d = JSON.parse(json) as { uid?: string; title?: string; description?: string };
      if (!d.uid || !d.title) throw new Error(`${join(dir, f)} is not a dashboard (no uid/title)`);
      return { uid: d.uid, title: d.title, description: d.description ?? '', json };
    }),
  );
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
}

function proxy(target: URL, req: IncomingMessage, res: ServerResponse): void {
  const upstream = httpRequest(target, { method: 'GET' }, (up) => {
    res.writeHead(up.statusCode ?? 502, { 'content-type': up.headers['content-type'] ?? 'application/json' });
    up.pipe(res);
  });
  upstream.on('error', (err) => send(res, 502, 'application/json', JSON.stringify({ status: 'error', error: `Prometheus unreachable: ${err.message}` })));
  req.on('close', () => upstream.destroy());
  upstream.end();
}

export async function startDashboardPreview(options: DashboardPreviewOptions): Promise<RunningDashboardPreview> {
  const [uplot, dashboards] = await Promise.all([loadUplot(), loadDashboards(options.dashboardsDir)]);
  const byUid = new Map(dashboards.map((d) => [d.uid, d]));
  const config = { scrapeIntervalSeconds: options.scrapeIntervalSeconds };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://preview');
    if (req.method !== 'GET') return send(res, 405, 'text/plain', 'GET only');
    if (url.pathname === '/') return send(res, 200, 'text/html; charset=utf-8', indexPage(dashboards));
    if (url.pathname === '/preview.js') return send(res, 200, 'text/javascript; charset=utf-8', CLIENT_SCRIPT);
    if (url.pathname === '/uplot/uPlot.iife.min.js') return send(res, 200, 'text/javascript; charset=utf-8', uplot.js);
    if (url.pathname === '/uplot/uPlot.min.css') return send(res, 200, 'text/css; charset=utf-8', uplot.css);
    if (PROXIED.has(url.pathname)) return proxy(new URL(`${url.pathname}${url.search}`, options.prometheusUrl), req, res);
    const page = /^\/d\/([^/]+)$/.exec(url.pathname);
    const dashboard = page ? byUid.get(decodeURIComponent(page[1]!)) : undefined;
    if (dashboard) return send(res, 200, 'text/html; charset=utf-8', dashboardPage(dashboard, config));
    send(res, 404, 'text/plain', `no such page: ${url.pathname}`);
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port, options.host, () => ok());
  });
  const address = server.address() as { port: number };
  const host = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`,
    dashboards,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
