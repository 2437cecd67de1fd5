import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface RemoteWriteTls {
  /** CA certificate(s) (PEM) to trust instead of the system store. */
  ca?: string | Buffer | Array<string | Buffer>;
  /** Client certificate and key (PEM) for mutual TLS. */
  cert?: string | Buffer;
  key?: string | Buffer;
  /** Default true; false accepts any server certificate (tests only). */
  rejectUnauthorized?: boolean;
  /** Server name for SNI and certificate checks, when it differs from the URL's host. */
  servername?: string;
}

export interface PostResult {
  status: number;
  /** Seconds from a `Retry-After` header, when present and numeric. */
  retryAfterSeconds: number | undefined;
  /** The start of the response body, for error messages. */
  body: string;
}

const MAX_ERROR_BODY = 512;

/** POSTs one request body; resolves with the status (any), rejects on network errors and timeouts. */
export function post(url: URL, headers: Record<string, string>, body: Uint8Array, timeoutMs: number, tls: RemoteWriteTls | undefined): Promise<PostResult> {
  return new Promise((resolve, reject) => {
    const options = { method: 'POST', headers: { ...headers, 'Content-Length': String(body.length) }, timeout: timeoutMs };
    const onResponse = (res: IncomingMessage): void => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (text.length < MAX_ERROR_BODY) text += chunk;
      });
      res.on('end', () => {
        const retryAfter = Number(res.headers['retry-after']);
        resolve({ status: res.statusCode ?? 0, retryAfterSeconds: Number.isFinite(retryAfter) ? retryAfter : undefined, body: text.slice(0, MAX_ERROR_BODY) });
      });
      res.on('error', reject);
    };
    const req = url.protocol === 'https:' ? httpsRequest(url, { ...options, ...tls }, onResponse) : httpRequest(url, options, onResponse);
    req.on('timeout', () => req.destroy(new Error(`no response within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}
