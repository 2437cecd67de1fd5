/** `promkit demo` as a child process (what `npm start` runs), with its output collected. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PORT_FLAGS, type DemoPorts } from '../src/demo/options.js';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));

export interface DemoChild {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout contains `text`; rejects if the process exits first or after `ms`. */
  waitForOutput(text: string, ms?: number): Promise<void>;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): void;
}

export function runDemo(args: readonly string[], env: NodeJS.ProcessEnv = {}): DemoChild {
  const child = spawn(process.execPath, ['--import', 'tsx', 'packages/demo/src/main.ts', ...args], {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let done = false;
  void exited.then(() => (done = true));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    kill: (signal = 'SIGTERM') => {
      if (!done) child.kill(signal);
    },
    async waitForOutput(text, ms = 60_000) {
      const deadline = Date.now() + ms;
      while (!out.includes(text)) {
        if (done) throw new Error(`promkit demo exited before printing ${JSON.stringify(text)}\nstdout:\n${out}\nstderr:\n${err}`);
        if (Date.now() > deadline) throw new Error(`promkit demo did not print ${JSON.stringify(text)} within ${ms} ms\nstdout:\n${out}\nstderr:\n${err}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
  };
}

/** The flags that put the demo on these ports (`--dynamo-port N` ...), from the demo's own flag names. */
export function portFlags(ports: Partial<DemoPorts>): string[] {
  return Object.entries(ports).flatMap(([name, port]) => [PORT_FLAGS[name as keyof DemoPorts], String(port)]);
}
