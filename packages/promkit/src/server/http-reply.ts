import type { IncomingMessage, ServerResponse } from 'node:http';

/** Ends a response with a body (omitted for HEAD), setting length and type. */
export function reply(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string | Buffer,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  const buffer = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': String(buffer.length), ...headers });
  res.end(req.method === 'HEAD' ? undefined : buffer);
}

export function replyText(req: IncomingMessage, res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  reply(req, res, status, 'text/plain; charset=utf-8', text.endsWith('\n') ? text : `${text}\n`, headers);
}

export function replyJson(req: IncomingMessage, res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  reply(req, res, status, 'application/json', JSON.stringify(value), { 'Cache-Control': 'no-store', ...headers });
}

/** Answers 405 unless the method is GET or HEAD; returns whether the request may go on. */
export function allowGetOnly(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method === 'GET' || req.method === 'HEAD') return true;
  replyText(req, res, 405, `method ${req.method ?? '?'} not allowed: use GET or HEAD`, { Allow: 'GET, HEAD' });
  return false;
}

/** The path of a request URL, without query string. */
export function pathnameOf(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const q = url.search(/[?#]/);
  return q < 0 ? url : url.slice(0, q);
}
