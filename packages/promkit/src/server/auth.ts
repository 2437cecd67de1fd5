import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export type AuthDecision = { allowed: true } | { allowed: false; status: 401 | 403; reason: string };
export type Authorizer = (req: IncomingMessage) => AuthDecision | Promise<AuthDecision>;

const ALLOWED: AuthDecision = { allowed: true };

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerTokenOf(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match ? match[1] : undefined;
}

/**
 * Allows requests carrying `Authorization: Bearer <token>` for one of `tokens`.
 * Tokens are compared through their SHA-256 digests with `timingSafeEqual`, against every
 * configured token, so neither the length nor the matching position leaks through timing.
 */
export function bearerTokenAuthorizer(tokens: string | string[]): Authorizer {
  const list = typeof tokens === 'string' ? [tokens] : tokens;
  if (!Array.isArray(list) || list.length === 0) throw new TypeError('bearerTokenAuthorizer: give at least one token');
  for (const t of list) {
    if (typeof t !== 'string' || t.trim() === '' || /\s/.test(t)) {
      throw new TypeError('bearerTokenAuthorizer: tokens must be non-empty strings without whitespace');
    }
  }
  const digests = list.map(digest);
  return (req) => {
    const token = bearerTokenOf(req);
    if (token === undefined) return { allowed: false, status: 401, reason: 'missing bearer token: send "Authorization: Bearer <token>"' };
    const presented = digest(token);
    let match = false;
    for (const d of digests) match = timingSafeEqual(d, presented) || match;
    return match ? ALLOWED : { allowed: false, status: 401, reason: 'invalid bearer token' };
  };
}
