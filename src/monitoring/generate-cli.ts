import { allCatalogs } from '../catalogs/index.js';
import { generateAll } from './generate.js';

const USAGE = 'usage: promkit generate [--out DIR] [--catalog NAME]...';

export interface GenerateArgs {
  readonly outDir: string;
  /** Catalog ids; empty means all. */
  readonly catalogs: readonly string[];
}

/** Parses `[--out DIR] [--catalog NAME]...` (also `--out=DIR`); throws with the usage on anything else. */
export function parseGenerateArgs(argv: readonly string[]): GenerateArgs {
  let outDir = 'deploy';
  const catalogs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split(/=(.*)/s, 2) as [string, string | undefined];
    if (flag !== '--out' && flag !== '--catalog') throw new Error(`unknown argument '${argv[i]}'\n${USAGE}`);
    const value = inline ?? argv[++i];
    if (value === undefined || value === '') throw new Error(`${flag} needs a value\n${USAGE}`);
    if (flag === '--out') outDir = value;
    else catalogs.push(value);
  }
  return { outDir, catalogs };
}

/** `promkit generate`: writes the artifacts and prints one line per file. Returns the exit code. */
export async function runGenerate(argv: readonly string[], log: (line: string) => void = console.log): Promise<number> {
  const args = parseGenerateArgs(argv);
  const ids = allCatalogs.map((c) => c.id);
  const unknown = args.catalogs.filter((id) => !ids.includes(id));
  if (unknown.length > 0) throw new Error(`unknown catalog '${unknown[0]}' (catalogs: ${ids.join(', ')})`);
  const catalogs = args.catalogs.length > 0 ? allCatalogs.filter((c) => args.catalogs.includes(c.id)) : undefined;
  const written = await generateAll({ outDir: args.outDir, catalogs });
  for (const path of written) log(`wrote ${path}`);
  return 0;
}
