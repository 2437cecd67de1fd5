/** The test's side of the consumers' HTTP: requests, and scrapes parsed by meaning. */
import assert from 'node:assert/strict';
import { parseExposition, type ParsedExposition } from 'promkit/exposition';

export async function request(url: string, init?: RequestInit): Promise<number> {
  const response = await fetch(url, init);
  await response.arrayBuffer();
  return response.status;
}

export interface Scrape {
  contentType: string | null;
  /** The body parsed as text 0.0.4; a malformed exposition fails the parse. */
  parsed: ParsedExposition;
}

export async function scrape(url: string): Promise<Scrape> {
  const response = await fetch(url);
  const body = await response.text();
  assert.equal(response.status, 200, `GET ${url}: ${response.status}\n${body}`);
  return { contentType: response.headers.get('content-type'), parsed: parseExposition(body, 'prometheus') };
}
