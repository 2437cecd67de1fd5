/** Runs before a scrape of the scope it was added to (and of every ancestor scope). */
export type UpdateCallback = () => void | Promise<void>;

export interface ScopedCallback {
  callback: UpdateCallback;
  /** Path of the scope, e.g. `dynamo/backend/generate` (empty for the runtime). */
  scope: string;
}

export type CallbackErrorHandler = (error: unknown, scope: string) => void;

async function runOne(entry: ScopedCallback, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    // Kept referenced: a scrape awaiting a hung callback must still end, within timeoutMs.
    timer = setTimeout(() => reject(new Error(`update callback did not finish within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([Promise.resolve().then(entry.callback), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs callbacks concurrently. A callback that throws, rejects or outlives `timeoutMs` is
 * reported and the scrape goes on with whatever values the metrics hold: a broken
 * callback must never fail the scrape or the process.
 */
export async function runUpdateCallbacks(entries: readonly ScopedCallback[], timeoutMs: number, onError: CallbackErrorHandler): Promise<void> {
  await Promise.all(
    entries.map((entry) =>
      runOne(entry, timeoutMs).catch((error: unknown) => {
        try {
          onError(error, entry.scope);
        } catch {
          // A broken error handler must not break the scrape either.
        }
      }),
    ),
  );
}
