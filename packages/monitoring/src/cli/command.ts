/**
 * The conventions every promkit command follows: `--help` prints usage on stdout and
 * exits 0, `--version` prints the package version, a usage error prints the message and
 * the usage on stderr and exits 2, any other failure prints one line and exits 1.
 */
import { readFileSync } from 'node:fs';

/** Thrown for bad flags or arguments: the command prints it with the usage and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface CommandSpec {
  /** As the user types it, e.g. `promkit generate`; prefixes every message. */
  name: string;
  usage: string;
  /** The package.json whose version `--version` prints. */
  packageJson: URL;
  run(argv: readonly string[]): Promise<number>;
  /**
   * The command dispatches to subcommands: only a `--help`/`--version` before the
   * subcommand's name is its own (`promkit generate --help` is the subcommand's help).
   */
  subcommands?: boolean;
}

function versionOf(packageJson: URL): string {
  return (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version;
}

const withNewline = (text: string): string => (text.endsWith('\n') ? text : `${text}\n`);

/** Runs the command with the conventions above; resolves with the exit code. */
export async function runCommand(spec: CommandSpec, argv: readonly string[]): Promise<number> {
  const own = spec.subcommands ? argv.slice(0, 1) : argv;
  if (own.includes('--help') || own.includes('-h')) {
    process.stdout.write(withNewline(spec.usage));
    return 0;
  }
  if (own.includes('--version')) {
    process.stdout.write(`${versionOf(spec.packageJson)}\n`);
    return 0;
  }
  try {
    return await spec.run(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${spec.name}: ${error.message}\n\n${withNewline(spec.usage)}`);
      return 2;
    }
    process.stderr.write(`${spec.name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

/** The entry point of a bin: runs the command and sets the exit code (never calls process.exit, so output is flushed). */
export function runAsMain(spec: CommandSpec): void {
  runCommand(spec, process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${spec.name}: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
