/**
 * Runs a consumer's app as its users run it (`node app.cjs`, no `@promkit/source`
 * condition) and hands the test what the app announces on its first stdout line (its
 * ports, as JSON). The test is the app's HTTP client.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cleanEnv } from '../tarballs.js';

export interface RunningApp<I> {
  readonly info: I;
  /** SIGTERM, then SIGKILL if it has not exited within 5 s. */
  stop(): Promise<void>;
}

export async function startApp<I>(dir: string, file: string, startTimeoutMs = 30_000): Promise<RunningApp<I>> {
  const child = spawn(process.execPath, [file], { cwd: dir, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  const exited = once(child, 'exit');
  const info = await new Promise<I>((resolve, reject) => {
    const timer = setTimeout(() => fail(`did not announce itself within ${startTimeoutMs} ms`), startTimeoutMs);
    function fail(why: string): void {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${file} ${why}\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`));
    }
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      const newline = stdout.indexOf('\n');
      if (newline < 0) return;
      clearTimeout(timer);
      try {
        resolve(JSON.parse(stdout.slice(0, newline)) as I);
      } catch {
        fail('printed something other than its JSON announcement first');
      }
    });
    child.once('exit', (code, signal) => fail(`exited (${signal ?? code}) before announcing itself`));
  });
  return {
    info,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
