/**
 * Locating the real `prometheus` and `promtool` binaries.
 *
 * The test harness never mocks Prometheus and never silently skips: when a
 * binary is missing, {@link PrometheusBinaryNotFoundError} tells the user how
 * to install it.
 *
 * @packageDocumentation
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

/** Which binary of the Prometheus distribution. */
export type PrometheusBinaryName = 'prometheus' | 'promtool';

/** Environment variables that override the binary location. */
export const PROMETHEUS_BINARY_ENV: Readonly<Record<PrometheusBinaryName, string>> = {
  prometheus: 'PROMETHEUS_BIN',
  promtool: 'PROMTOOL_BIN',
};

/** Printed in errors: how to install the binaries (Debian/Ubuntu, as in CI). */
export const PROMETHEUS_INSTALL_HINT =
  'Install it with `sudo apt-get install -y prometheus` (Debian/Ubuntu; the package ships both ' +
  '`prometheus` and `promtool`), or download a release from https://prometheus.io/download/ and ' +
  'set PROMETHEUS_BIN / PROMTOOL_BIN to the binaries.';

/** Thrown when `prometheus` or `promtool` cannot be found. */
export class PrometheusBinaryNotFoundError extends Error {
  override readonly name = 'PrometheusBinaryNotFoundError';
  constructor(
    /** The binary that was looked for. */
    readonly binary: PrometheusBinaryName,
    /** Where it was looked for. */
    readonly searched: readonly string[],
  ) {
    super(
      `${binary} binary not found (searched: ${searched.join(', ') || '<nothing>'}). ` +
        `The promkit test harness runs the real ${binary} and does not skip when it is missing. ` +
        PROMETHEUS_INSTALL_HINT,
    );
  }
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds the absolute path of `prometheus` or `promtool`.
 *
 * Order: explicit `override` argument, then the `PROMETHEUS_BIN` /
 * `PROMTOOL_BIN` environment variable, then every directory of `PATH`, then
 * `/usr/bin` and `/usr/local/bin`.
 *
 * @throws {@link PrometheusBinaryNotFoundError} when nothing executable is found
 *   (including when an override points at a non-executable path).
 */
export function findPrometheusBinary(name: PrometheusBinaryName, override?: string): string {
  const explicit = override ?? process.env[PROMETHEUS_BINARY_ENV[name]];
  let command: string = name;
  if (explicit !== undefined && explicit !== '') {
    // A bare name in the override is looked up in PATH like a command.
    if (isAbsolute(explicit) || explicit.includes('/')) {
      const abs = resolve(explicit);
      if (isExecutableFile(abs)) return abs;
      throw new PrometheusBinaryNotFoundError(name, [abs]);
    }
    command = explicit;
  }
  const dirs = (process.env.PATH ?? '').split(delimiter).filter((d) => d !== '');
  for (const extra of ['/usr/bin', '/usr/local/bin']) if (!dirs.includes(extra)) dirs.push(extra);
  const searched: string[] = [];
  for (const dir of dirs) {
    const candidate = join(dir, command);
    searched.push(candidate);
    if (isExecutableFile(candidate)) return candidate;
  }
  throw new PrometheusBinaryNotFoundError(name, searched);
}
