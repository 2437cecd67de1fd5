/** Raw HTTP(S) requests for tests: no automatic decompression, full control of headers. */
import http from 'node:http';
import https from 'node:https';
import { gunzipSync } from 'node:zlib';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** The body as text, gunzipped when the response is gzip-encoded. */
  text: string;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  /** https only: CA to trust (the test certificate). */
  ca?: Buffer;
  timeoutMs?: number;
}

export function request(url: string, options: RequestOptions = {}): Promise<RawResponse> {
  const client = url.startsWith('https:') ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(url, { method: options.method ?? 'GET', headers: options.headers, ca: options.ca, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        const text = res.headers['content-encoding'] === 'gzip' ? gunzipSync(body).toString('utf8') : body.toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text });
      });
    });
    req.setTimeout(options.timeoutMs ?? 20_000, () => req.destroy(new Error(`request to ${url} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

export async function json(url: string, options: RequestOptions = {}): Promise<{ status: number; body: any }> {
  const res = await request(url, options);
  return { status: res.status, body: JSON.parse(res.text) };
}

/** A logger that keeps lines instead of printing them. */
export function quietLogger(): { info(m: string): void; error(m: string): void; lines: string[] } {
  const lines: string[] = [];
  return { info: (m) => void lines.push(m), error: (m) => void lines.push(m), lines };
}

/** The sample line of `name{labels}` in an exposition, or undefined. */
export function sampleLine(exposition: string, prefix: string): string | undefined {
  return exposition.split('\n').find((l) => l.startsWith(`${prefix} `) || l.startsWith(`${prefix}{`) || l === prefix);
}
