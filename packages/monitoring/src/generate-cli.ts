import { allCatalogs } from '@promkit/catalogs';
import { UsageError } from './cli/command.js';
import { checkDeployFresh, generateAll, type FreshnessReport } from './generate.js';

const USAGE = 'usage: promkit generate [--out DIR] [--catalog NAME]... [--check]';

export const GENERATE_USAGE = `${USAGE}

  --out DIR       where to write (default deploy)
  --catalog NAME  only this catalog (repeatable): ${allCatalogs.map((c) => c.id).join(', ')}
  --check         compare DIR with a fresh generation; exit 1 when it is stale
  --help          this text
  --version       the version of @promkit/monitoring`;

export interface GenerateArgs {
  readonly outDir: string;
  /** Catalog ids; empty means all. */
  readonly catalogs: readonly string[];
  /** Compare DIR with a fresh generation instead of writing it. */
  readonly check: boolean;
}

/** Parses `[--out DIR] [--catalog NAME]... [--check]` (also `--out=DIR`); throws with the usage on anything else. */
export function parseGenerateArgs(argv: readonly string[]): GenerateArgs {
  let outDir = 'deploy';
  let check = false;
  const catalogs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--check') {
      check = true;
      continue;
    }
    const [flag, inline] = argv[i]!.split(/=(.*)/s, 2) as [string, string | undefined];
    if (flag !== '--out' && flag !== '--catalog') throw new UsageError(`unknown argument '${argv[i]}'`);
    const value = inline ?? argv[++i];
    if (value === undefined || value === '') throw new UsageError(`${flag} needs a value`);
    if (flag === '--out') outDir = value;
    else catalogs.push(value);
  }
  return { outDir, catalogs, check };
}

function describeStale(dir: string, r: FreshnessReport): string {
  const lines = [
    ...r.changed.map((f) => `  changed: ${f}`),
    ...r.missing.map((f) => `  missing: ${f}`),
    ...r.extra.map((f) => `  not generated: ${f}`),
  ];
  return `${dir} is stale; run \`promkit generate --out ${dir}\`:\n${lines.join('\n')}`;
}

/**
 * `promkit generate`: writes the artifacts and prints one line per file; with `--check`, throws
 * (so the command exits 1) when DIR differs from what would be generated. Bad arguments
 * throw a UsageError (exit 2). `--help` and `--version` are handled by runCommand.
 */
export async function runGenerate(argv: readonly string[], log: (line: string) => void = console.log): Promise<number> {
  const args = parseGenerateArgs(argv);
  const ids = allCatalogs.map((c) => c.id);
  const unknown = args.catalogs.filter((id) => !ids.includes(id));
  if (unknown.length > 0) throw new UsageError(`unknown catalog '${unknown[0]}' (catalogs: ${ids.join(', ')})`);
  const catalogs = args.catalogs.length > 0 ? allCatalogs.filter((c) => args.catalogs.includes(c.id)) : undefined;
  if (args.check) {
    const report = await checkDeployFresh(args.outDir, catalogs);
    if (!report.fresh) throw new Error(describeStale(args.outDir, report));
    log(`${args.outDir} is up to date`);
    return 0;
  }
  const written = await generateAll({ outDir: args.outDir, catalogs });
  for (const path of written) log(`wrote ${path}`);
  return 0;
}
