import type { ServerResponse } from 'node:http';

/** Small enough that every slice a client takes counts as progress, large enough to be cheap (~360 writes for 23 MB). */
const SLICE_BYTES = 64 * 1024;
/**
 * Queued ahead of the client before waiting for it to drain: waiting after every slice
 * costs an event-loop round trip per 64 KiB (a 17 MB scrape took ~1 s longer under load).
 */
const WINDOW_BYTES = 1024 * 1024;

/**
 * Sends `body` (headers already written) in slices with backpressure, and cuts the
 * connection when the client takes no slice for `stallTimeoutMs`: a client that stops
 * reading is let go in seconds instead of holding its socket and the body until the
 * response deadline. A slow client that keeps reading is never cut by this. Slices are
 * views of the shared body: nothing is copied.
 */
export function sendBody(res: ServerResponse, body: Buffer, stallTimeoutMs: number): void {
  const stall = setTimeout(() => res.destroy(), stallTimeoutMs);
  stall.unref();
  const progress = (): void => void stall.refresh();
  const done = (): void => clearTimeout(stall);
  res.once('close', done);
  res.once('finish', done);
  let offset = 0;
  const pump = (): void => {
    while (!res.destroyed) {
      const end = Math.min(offset + SLICE_BYTES, body.length);
      const slice = body.subarray(offset, end);
      offset = end;
      if (offset >= body.length) {
        res.end(slice);
        return;
      }
      // Past the high-water mark write() returned false, so 'drain' comes once it empties.
      if (!res.write(slice, progress) && res.writableLength >= WINDOW_BYTES) {
        res.once('drain', pump);
        return;
      }
    }
  };
  pump();
}
