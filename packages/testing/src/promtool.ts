/**
 * Typed wrappers around the real `promtool` binary.
 *
 * Observations for promtool 2.42 (Debian `prometheus` package):
 * - `promtool check metrics` reads the exposition from stdin and parses it with
 *   the **text 0.0.4** parser only. OpenMetrics input is accepted as long as it
 *   is also valid text format (`# EOF` is just a comment), but OpenMetrics-style
 *   counters (`# TYPE foo counter` + sample `foo_total`) are reported as
 *   `foo_total no help text` because the family names do not match.
 * - Lint problems go to **stderr**, one per line (`<metric> <problem>`), exit
 *   code 3. Parse errors are reported as `error while linting: ...` with exit
 *   code 1. Clean input: exit code 0 and no output. Empty input is clean.
 * - `promtool check rules` / `check config` print `Checking <file>` and
 *   `SUCCESS: ...` on stdout and `FAILED:` details on stderr; exit code 1 on
 *   failure.
 * - `promtool test rules` prints `Unit Testing: <file>` / `SUCCESS` on stdout,
 *   failures (`exp:` / `got:`) on stderr; exit code 1 on failure.
 *
 * @packageDocumentation
 */
import { spawn } from 'node:child_process';
import { findPrometheusBinary } from './prometheus-binaries.js';

/** Outcome of one promtool invocation. */
export interface PromtoolResult {
  /** `true` when promtool exited with code 0 (and, for `check metrics`, reported no problem). */
  ok: boolean;
  /** Process exit code; `null` if it was killed by a signal (e.g. timeout). */
  exitCode: number | null;
  /** stdout and stderr interleaved in arrival order: what a human would see in a terminal. */
  output: string;
  stdout: string;
  stderr: string;
  /** The full argument vector that was run (binary first). */
  command: string[];
}

/** Outcome of `promtool check metrics`. */
export interface CheckMetricsResult extends PromtoolResult {
  /**
   * One entry per lint problem or parse error, e.g.
   * `foo counter metrics should have "_total" suffix`, `bar no help text`,
   * `error while linting: text format parsing error in line 1: ...`.
   */
  problems: string[];
}

/** Options for every promtool invocation. */
export interface PromtoolRunOptions {
  /** Written to promtool's stdin (stdin is closed afterwards). */
  stdin?: string;
  /** Kill promtool after this many milliseconds (default 30 000). */
  timeoutMs?: number;
  /** Working directory (relative rule file paths in test files resolve against the test file, not this). */
  cwd?: string;
  /** Path to promtool; defaults to `PROMTOOL_BIN` or `promtool` on `PATH`. */
  binary?: string;
}

/** Options for `promtool check rules`. */
export interface CheckRulesOptions extends PromtoolRunOptions {
  /** `--lint` value: `duplicate-rules` (promtool's default), `all` or `none`. */
  lint?: 'all' | 'duplicate-rules' | 'none';
  /** `--lint-fatal`: lint findings make the check fail (exit code 3). */
  lintFatal?: boolean;
}

/** Options for `promtool check config`. */
export interface CheckConfigOptions extends CheckRulesOptions {
  /** `--syntax-only`: do not check referenced files (rule files, certificates...). */
  syntaxOnly?: boolean;
}

/**
 * Runs promtool with arbitrary arguments.
 *
 * Never rejects because of a non-zero exit code: inspect `ok`/`exitCode`.
 * Rejects only when the binary is missing ({@link PrometheusBinaryNotFoundError})
 * or cannot be spawned.
 */
export function runPromtool(args: readonly string[], options: PromtoolRunOptions = {}): Promise<PromtoolResult> {
  const binary = findPrometheusBinary('promtool', options.binary);
  const timeoutMs = options.timeoutMs ?? 30_000;
  return new Promise<PromtoolResult>((resolvePromise, reject) => {
    const child = spawn(binary, args, {
      cwd: options.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: process.env,
    });
    let stdout = '';
    let stderr = '';
    let output = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      output += chunk;
    });
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
      output += chunk;
    });
    const timer = setTimeout(() => {
      output += `\n[promkit] promtool killed after ${timeoutMs} ms\n`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ ok: code === 0, exitCode: code, output, stdout, stderr, command: [binary, ...args] });
    });
    // promtool may exit before reading stdin (e.g. usage errors): ignore EPIPE.
    child.stdin.on('error', () => {});
    child.stdin.end(options.stdin ?? '');
  });
}

function asList(files: string | readonly string[]): string[] {
  const list = typeof files === 'string' ? [files] : [...files];
  if (list.length === 0) throw new TypeError('promtool: at least one file is required');
  return list;
}

function lintArgs(options: CheckRulesOptions): string[] {
  const args: string[] = [];
  if (options.lint !== undefined) args.push(`--lint=${options.lint}`);
  if (options.lintFatal) args.push('--lint-fatal');
  return args;
}

/**
 * `promtool check metrics`: lints an exposition (text format 0.0.4) passed on stdin.
 *
 * `ok` is `true` only when promtool exited 0 **and** reported no problem.
 */
export async function checkMetrics(text: string, options: PromtoolRunOptions = {}): Promise<CheckMetricsResult> {
  const result = await runPromtool(['check', 'metrics'], { ...options, stdin: text });
  const problems = result.stderr
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '');
  return { ...result, ok: result.ok && problems.length === 0, problems };
}

/** `promtool check rules <files...>`: validates rule files (YAML structure and PromQL). */
export function checkRules(files: string | readonly string[], options: CheckRulesOptions = {}): Promise<PromtoolResult> {
  return runPromtool(['check', 'rules', ...lintArgs(options), ...asList(files)], options);
}

/**
 * `promtool test rules <files...>`: runs rule unit tests. Rule files named in a
 * test file resolve relative to that test file's directory.
 */
export function testRules(files: string | readonly string[], options: PromtoolRunOptions = {}): Promise<PromtoolResult> {
  return runPromtool(['test', 'rules', ...asList(files)], options);
}

/** `promtool check config <file>`: validates a Prometheus configuration file (and its rule files). */
export function checkConfig(file: string, options: CheckConfigOptions = {}): Promise<PromtoolResult> {
  const args = ['check', 'config', ...lintArgs(options)];
  if (options.syntaxOnly) args.push('--syntax-only');
  return runPromtool([...args, file], options);
}

/** Returns the first line of `promtool --version`, e.g. `promtool, version 2.42.0+ds (...)`. */
export async function promtoolVersion(options: PromtoolRunOptions = {}): Promise<string> {
  const result = await runPromtool(['--version'], options);
  return (result.stdout || result.stderr).split('\n')[0]?.trim() ?? '';
}

/** The promtool wrappers as one object: `promtool.checkMetrics(text)` etc. */
export const promtool = {
  run: runPromtool,
  checkMetrics,
  checkRules,
  testRules,
  checkConfig,
  version: promtoolVersion,
} as const;
