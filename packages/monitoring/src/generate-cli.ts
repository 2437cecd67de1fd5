import { access } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Catalog } from 'promkit/catalog';
import type { ArtifactOptions } from './artifacts.js';
import { defaultCatalogs } from './bundles.js';
import { UsageError } from './cli/command.js';
import { CONFIG_FILES, type PromkitConfig } from './config.js';
import { checkDeployFresh, generateAll, type FreshnessReport } from './generate.js';
import { loadCatalogModule, loadConfig } from './load-catalogs.js';

const USAGE =
  'usage: promkit generate [--out DIR] [--catalog NAME|MODULE]... [--config FILE] [--check]\n' +
  '                        [--release NAME] [--monitor-label K=V]... [--namespace NS] [--selector K=V]...\n' +
  '                        [--runbook-base URL] [--grafana-namespace NS]';

/** The whole `promkit generate --help` text. */
export const GENERATE_USAGE =
  `${USAGE}\n\n` +
  "  --out DIR              where to write (default deploy, or the config's outDir, relative to the config)\n" +
  `  --catalog NAME|MODULE  a built-in catalog (${defaultCatalogs.map((c) => c.id).join(', ')})\n` +
  '                         or a .ts/.js module exporting defineCatalog() results (repeatable)\n' +
  `  --config FILE          a config module (default: ${CONFIG_FILES.join(', ')} when present and no --catalog)\n` +
  '  --check                compare DIR with a fresh generation; exit 1 when it is stale\n' +
  "  --release NAME         label monitors and PrometheusRules release=NAME (kube-prometheus-stack's selector)\n" +
  '  --monitor-label K=V    another label on monitors and PrometheusRules (repeatable)\n' +
  '  --namespace NS         namespace of monitors and PrometheusRules\n' +
  '  --selector K=V         label selector of the scraped Service/Pods (repeatable)\n' +
  '  --runbook-base URL     where the generated reference/runbooks.md is published; runbook_url = URL#alert\n' +
  '  --grafana-namespace NS namespace of the dashboard ConfigMaps (default monitoring)\n' +
  '  --help                 this text\n' +
  '  --version              the version of @promkit/monitoring';

const VALUE_FLAGS = [
  '--out',
  '--catalog',
  '--config',
  '--release',
  '--monitor-label',
  '--namespace',
  '--selector',
  '--runbook-base',
  '--grafana-namespace',
] as const;
type ValueFlag = (typeof VALUE_FLAGS)[number];

export interface GenerateArgs {
  /** Undefined: the config's, else `deploy`. */
  readonly outDir?: string;
  /** Built-in catalog ids or module paths; empty means the config's, else every built-in. */
  readonly catalogs: readonly string[];
  readonly config?: string;
  /** Compare DIR with a fresh generation instead of writing it. */
  readonly check: boolean;
  readonly release?: string;
  readonly monitorLabels: Readonly<Record<string, string>>;
  readonly namespace?: string;
  readonly selector?: Readonly<Record<string, string>>;
  readonly runbookBase?: string;
  readonly grafanaNamespace?: string;
}

function keyValue(flag: string, value: string, into: Record<string, string>): void {
  const m = /^([A-Za-z0-9][-A-Za-z0-9_./]*)=(.*)$/.exec(value);
  if (!m) throw new UsageError(`${flag} needs KEY=VALUE, got '${value}'`);
  into[m[1]!] = m[2]!;
}

/** Parses the flags (also `--flag=value`); throws a UsageError on anything else. */
export function parseGenerateArgs(argv: readonly string[]): GenerateArgs {
  let check = false;
  const catalogs: string[] = [];
  const single: Partial<Record<ValueFlag, string>> = {};
  const monitorLabels: Record<string, string> = {};
  const selector: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--check') {
      check = true;
      continue;
    }
    const [flag, inline] = argv[i]!.split(/=(.*)/s, 2) as [string, string | undefined];
    if (!(VALUE_FLAGS as readonly string[]).includes(flag)) throw new UsageError(`unknown argument '${argv[i]}'`);
    const value = inline ?? argv[++i];
    if (value === undefined || value === '') throw new UsageError(`${flag} needs a value`);
    if (flag === '--catalog') catalogs.push(value);
    else if (flag === '--monitor-label') keyValue(flag, value, monitorLabels);
    else if (flag === '--selector') keyValue(flag, value, selector);
    else single[flag as ValueFlag] = value;
  }
  return {
    ...(single['--out'] ? { outDir: single['--out'] } : {}),
    catalogs,
    ...(single['--config'] ? { config: single['--config'] } : {}),
    check,
    ...(single['--release'] ? { release: single['--release'] } : {}),
    monitorLabels,
    ...(single['--namespace'] ? { namespace: single['--namespace'] } : {}),
    ...(Object.keys(selector).length > 0 ? { selector } : {}),
    ...(single['--runbook-base'] ? { runbookBase: single['--runbook-base'] } : {}),
    ...(single['--grafana-namespace'] ? { grafanaNamespace: single['--grafana-namespace'] } : {}),
  };
}

function describeStale(dir: string, r: FreshnessReport): string {
  const lines = [...r.changed.map((f) => `  changed: ${f}`), ...r.missing.map((f) => `  missing: ${f}`), ...r.extra.map((f) => `  not generated: ${f}`)];
  return `${dir} is stale; run \`promkit generate --out ${dir}\`:\n${lines.join('\n')}`;
}

/** A value is a module path when it is not a built-in id and looks like a file. */
function isModulePath(value: string): boolean {
  return /[/\\]/.test(value) || /\.(m|c)?(j|t)s$/.test(value);
}

async function findConfig(cwd: string): Promise<string | undefined> {
  for (const name of CONFIG_FILES) {
    try {
      await access(resolve(cwd, name));
      return name;
    } catch {
      // next candidate
    }
  }
  return undefined;
}

async function resolveCatalogs(values: readonly string[], cwd: string): Promise<Catalog[]> {
  const builtIn = new Map(defaultCatalogs.map((c) => [c.id, c]));
  const out: Catalog[] = [];
  for (const value of values) {
    const known = builtIn.get(value);
    if (known) out.push(known);
    else if (isModulePath(value)) out.push(...(await loadCatalogModule(value, cwd)));
    else throw new UsageError(`unknown catalog '${value}' (catalogs: ${[...builtIn.keys()].join(', ')}; or a module path such as ./my-catalog.ts)`);
  }
  const ids = out.map((c) => c.id);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice) throw new Error(`two catalogs have the id '${twice}': ids name the generated files, make them unique`);
  return out;
}

/** The catalogs, output directory and options a command line (and config file) asks for. */
export async function resolveGenerate(
  args: GenerateArgs,
  cwd: string = process.cwd(),
): Promise<{ outDir: string; catalogs?: readonly Catalog[]; options: ArtifactOptions }> {
  const configPath = args.config ?? (args.catalogs.length === 0 ? await findConfig(cwd) : undefined);
  const config: Partial<PromkitConfig> = configPath ? await loadConfig(configPath, cwd) : {};
  const catalogs = args.catalogs.length > 0 ? await resolveCatalogs(args.catalogs, cwd) : config.catalogs;
  const release = args.release ?? config.release;
  const monitorLabels = { ...config.monitorLabels, ...(release ? { release } : {}), ...args.monitorLabels };
  const pick = <K extends keyof ArtifactOptions>(key: K): Partial<ArtifactOptions> => {
    const value = (args as unknown as Partial<Record<string, unknown>>)[key] ?? config[key];
    return value === undefined ? {} : { [key]: value };
  };
  const options: ArtifactOptions = {
    ...pick('runbookBase'),
    ...pick('grafanaNamespace'),
    ...pick('namespace'),
    ...pick('selector'),
    ...(Object.keys(monitorLabels).length > 0 ? { monitorLabels } : {}),
  };
  // --out is relative to the working directory; a config's outDir to the config file, so
  // `--config some/dir/promkit.config.ts` writes beside that config, not over ./deploy.
  const outDir =
    args.outDir !== undefined
      ? resolve(cwd, args.outDir)
      : config.outDir !== undefined && configPath !== undefined
        ? resolve(dirname(resolve(cwd, configPath)), config.outDir)
        : resolve(cwd, 'deploy');
  return { outDir, ...(catalogs ? { catalogs } : {}), options };
}

/**
 * `promkit generate`: writes the artifacts and prints one line per file; with `--check`, throws
 * (so the command exits 1) when DIR differs from what would be generated. Bad arguments
 * throw a UsageError (exit 2); `--help` and `--version` are handled by runCommand.
 */
export async function runGenerate(argv: readonly string[], log: (line: string) => void = console.log, cwd: string = process.cwd()): Promise<number> {
  const { outDir, catalogs, options } = await resolveGenerate(parseGenerateArgs(argv), cwd);
  if (usesDefaultRunbooks(catalogs, options)) {
    log("note: runbook_url points at promkit's repository; pass --runbook-base with the URL where you publish reference/runbooks.md");
  }
  if (argv.includes('--check')) {
    const report = await checkDeployFresh(outDir, catalogs, options);
    if (!report.fresh) throw new Error(describeStale(outDir, report));
    log(`${outDir} is up to date`);
    return 0;
  }
  const written = await generateAll({ outDir, ...(catalogs ? { catalogs } : {}), ...options });
  for (const path of written) log(`wrote ${path}`);
  return 0;
}

/** A catalog of yours with the default runbook base would link to pages that do not have its alerts. */
function usesDefaultRunbooks(catalogs: readonly Catalog[] | undefined, options: ArtifactOptions): boolean {
  return options.runbookBase === undefined && (catalogs ?? []).some((c) => c.rules && !defaultCatalogs.includes(c));
}
