/**
 * Everything a start sequence has started, stopped in reverse order: on shutdown, and when
 * a later step fails (a port in use must not leave the earlier servers running).
 */
export class StopStack {
  readonly #steps: Array<{ what: string; stop: () => unknown }> = [];
  #stopping: Promise<Error[]> | undefined;

  push(what: string, stop: () => unknown): void {
    this.#steps.push({ what, stop });
  }

  /** Stops everything (each step once, last started first); resolves with what failed to stop. */
  stopAll(): Promise<Error[]> {
    this.#stopping ??= (async () => {
      const failures: Error[] = [];
      for (const step of this.#steps.splice(0).reverse()) {
        try {
          await step.stop();
        } catch (error) {
          failures.push(new Error(`stopping ${step.what}: ${error instanceof Error ? error.message : String(error)}`, { cause: error }));
        }
      }
      return failures;
    })();
    return this.#stopping;
  }

  /** Runs `start`; if it throws, stops what was started so far and rethrows. */
  async guard<T>(start: () => Promise<T>): Promise<T> {
    try {
      return await start();
    } catch (error) {
      await this.stopAll();
      throw error;
    }
  }
}
