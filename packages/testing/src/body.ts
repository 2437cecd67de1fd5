/** Reading and decoding request bodies without ever throwing anything but an ApiError. */
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { ApiError, badRequest, failureStatus } from './status.js';

/** The real API server's request size limit (3 MiB). */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

/** Reads the whole body; answers 413 past `limit` bytes. */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => {
      if (tooLarge) {
        reject(new ApiError(failureStatus(413, `the request body exceeds ${limit} bytes`, 'RequestEntityTooLarge')));
      } else {
        resolve(Buffer.concat(chunks));
      }
    });
    req.on('error', reject);
    // A client that disconnects mid-body never sends 'end'; settle anyway.
    req.on('close', () => {
      if (!req.complete) reject(new Error('the client closed the connection before sending the whole body'));
    });
  });
}

/** Parses JSON, answering 400 like the real server for malformed input. */
export function parseJson(raw: Buffer): unknown {
  const text = raw.toString('utf8');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw badRequest(`json parse error: ${(err as Error).message}`);
  }
}

/** Parses a server-side apply body (YAML, of which JSON is a subset). */
export function parseYamlBody(raw: Buffer): unknown {
  try {
    return parseYaml(raw.toString('utf8'));
  } catch (err) {
    throw badRequest(`yaml parse error: ${(err as Error).message}`);
  }
}

/** The media type without parameters, lowercased: `application/json`. */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}
