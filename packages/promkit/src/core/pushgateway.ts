import * as http from 'node:http';
import * as https from 'node:https';
import { gzipSync } from 'node:zlib';
import { PROMETHEUS_CONTENT_TYPE } from '../exposition/content-types.js';
import { globalRegistry, type Registry } from './registry.js';
import { validateLabelName } from './validation.js';

/**
 * Options of `new Pushgateway(url, options)`: any `http.request` option (headers,
 * timeout, agent, auth, ca, ...), applied to every request, plus prom-client's
 * `requireJobName`.
 */
export interface PushgatewayOptions extends https.RequestOptions {
  /** When false, a call without `jobName` addresses `/metrics` itself. Default true. */
  requireJobName?: boolean;
}

export interface PushgatewayParameters {
  /** The `job` label of the pushed group. */
  jobName?: string | number;
  /** Further grouping labels, in URL order. */
  groupings?: Record<string, string | number>;
}

export interface PushgatewayResponse {
  resp: http.IncomingMessage;
  body: string;
}

/** A push the Pushgateway answered with a non-2xx status. */
export class PushgatewayError extends Error {
  constructor(
    readonly method: string,
    readonly url: string,
    readonly status: number,
    readonly body: string,
  ) {
    // Starts like prom-client's message, so code matching on it keeps working.
    super(`push failed with status ${status} (${method} ${url}): ${body.trim() || '(empty body)'}`);
    this.name = 'PushgatewayError';
  }
}

type Method = 'POST' | 'PUT' | 'DELETE';

/**
 * One path segment pair of the grouping key. The Pushgateway reads a name suffixed
 * `@base64` as carrying a base64url value: the only way to send a value containing
 * '/' or an empty value (a `//` would be squashed by path cleaning); '.' and '..'
 * would be resolved away the same way.
 */
function segment(name: string, value: string): string {
  if (value === '' || value.includes('/') || value === '.' || value === '..') {
    const encoded = value === '' ? '=' : Buffer.from(value, 'utf8').toString('base64url');
    return `/${encodeURIComponent(name)}@base64/${encoded}`;
  }
  return `/${encodeURIComponent(name)}/${encodeURIComponent(value)}`;
}

function headerKey(headers: Record<string, unknown>, name: string): string | undefined {
  const lower = name.toLowerCase();
  return Object.keys(headers).find((k) => k.toLowerCase() === lower);
}

/**
 * Pushes a registry's metrics to a Prometheus Pushgateway. API compatible with
 * prom-client's Pushgateway: `pushAdd` (POST: replaces the pushed families of the
 * group), `push` (PUT: replaces the whole group), `delete` (DELETE: removes the group).
 */
export class Pushgateway {
  readonly registry: Registry;
  readonly gatewayUrl: string;
  private readonly base: URL;
  private readonly requireJobName: boolean;
  private readonly requestOptions: https.RequestOptions;

  constructor(gatewayUrl: string, options: PushgatewayOptions = {}, registry?: Registry) {
    let base: URL;
    try {
      base = new URL(gatewayUrl);
    } catch {
      throw new TypeError(`Pushgateway: '${gatewayUrl}' is not an absolute URL; give one like 'http://pushgateway:9091'`);
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:') {
      throw new TypeError(`Pushgateway: URL scheme '${base.protocol}' is not supported; use http: or https:`);
    }
    const { requireJobName = true, ...requestOptions } = options ?? {};
    this.gatewayUrl = gatewayUrl;
    this.base = base;
    this.requireJobName = requireJobName;
    this.requestOptions = requestOptions;
    this.registry = registry ?? globalRegistry();
  }

  /** POST: replaces the metrics with the same names in the group, keeps the others. */
  pushAdd(params: PushgatewayParameters = {}): Promise<PushgatewayResponse> {
    return this.send('POST', params);
  }

  /** PUT: replaces every metric of the group. */
  push(params: PushgatewayParameters = {}): Promise<PushgatewayResponse> {
    return this.send('PUT', params);
  }

  /** DELETE: removes the group. */
  delete(params: PushgatewayParameters = {}): Promise<PushgatewayResponse> {
    return this.send('DELETE', params);
  }

  /** `/metrics/job/<job>{/<label>/<value>}`, below the path of the gateway URL. */
  private pathFor(params: PushgatewayParameters): string {
    const basePath = this.base.pathname.replace(/\/+$/, '');
    const { jobName, groupings } = params ?? {};
    if (jobName === undefined || jobName === null || jobName === '') {
      if (this.requireJobName) throw new Error('Missing jobName parameter');
      return `${basePath}/metrics`;
    }
    if (typeof jobName !== 'string' && typeof jobName !== 'number') throw new TypeError(`Pushgateway: jobName must be a string, got ${typeof jobName}`);
    let path = `${basePath}/metrics${segment('job', String(jobName))}`;
    for (const [name, value] of Object.entries(groupings ?? {})) {
      if (!validateLabelName(name)) {
        throw new TypeError(`Pushgateway: grouping label name '${name}' is invalid: names must match [a-zA-Z_][a-zA-Z0-9_]* and not start with __`);
      }
      if (typeof value !== 'string' && typeof value !== 'number') {
        throw new TypeError(`Pushgateway: value of grouping label '${name}' must be a string or a number, got ${value === null ? 'null' : typeof value}`);
      }
      path += segment(name, String(value));
    }
    return path;
  }

  private async send(method: Method, params: PushgatewayParameters): Promise<PushgatewayResponse> {
    const path = this.pathFor(params);
    const { headers: userHeaders, ...userOptions } = this.requestOptions;
    const headers: Record<string, string | number | string[]> = { ...(userHeaders as Record<string, string | number | string[]> | undefined) };

    let body: Buffer | undefined;
    if (method === 'DELETE') {
      // No body, so nothing for these to describe (prom-client drops Content-Encoding too).
      for (const name of ['Content-Encoding', 'Content-Type']) {
        const key = headerKey(headers, name);
        if (key !== undefined) delete headers[key];
      }
    } else {
      // The Pushgateway parses the text format 0.0.4 whatever the registry's own content type.
      const text = await this.registry.metrics({ format: 'prometheus' });
      const encodingKey = headerKey(headers, 'Content-Encoding');
      body = encodingKey !== undefined && String(headers[encodingKey]).toLowerCase() === 'gzip' ? gzipSync(text) : Buffer.from(text, 'utf8');
      if (headerKey(headers, 'Content-Type') === undefined) headers['Content-Type'] = PROMETHEUS_CONTENT_TYPE;
      headers['Content-Length'] = body.length;
    }

    const isHttps = this.base.protocol === 'https:';
    const auth = this.base.username !== '' ? `${decodeURIComponent(this.base.username)}:${decodeURIComponent(this.base.password)}` : undefined;
    const options: https.RequestOptions = {
      protocol: this.base.protocol,
      // URL keeps the brackets of an IPv6 literal; http.request wants the bare address.
      hostname: this.base.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: this.base.port === '' ? undefined : Number(this.base.port),
      ...(auth !== undefined ? { auth } : {}),
      ...userOptions,
      method,
      path,
      headers,
    };
    const shownUrl = `${this.base.protocol}//${this.base.host}${path}`;

    return new Promise<PushgatewayResponse>((resolve, reject) => {
      const req = (isHttps ? https : http).request(options, (resp) => {
        const chunks: Buffer[] = [];
        resp.on('data', (chunk: Buffer) => chunks.push(chunk));
        resp.on('error', reject);
        resp.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = resp.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve({ resp, body: text });
          else reject(new PushgatewayError(method, shownUrl, status, text));
        });
      });
      req.on('error', reject);
      req.on('timeout', () => {
        req.destroy(new Error(`Pushgateway request timed out after ${options.timeout} ms (${method} ${shownUrl})`));
      });
      req.end(body);
    });
  }
}

// prom-client declares `Pushgateway.Parameters`; keep that spelling working.
export declare namespace Pushgateway {
  type Parameters = PushgatewayParameters;
  type Options = PushgatewayOptions;
}
