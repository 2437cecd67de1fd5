import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/**
 * Validates the generated dashboard JSON against the Grafana Foundation SDK's own TypeScript
 * types: each JSON file becomes an object literal checked with `satisfies`, which also rejects
 * unknown keys. JSON carries enum values, not enum members, so string enums are mapped to
 * their literal values; per-plugin `options`/`fieldConfig.custom` use the plugin's types.
 */
const TYPES = `
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import type * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import type * as stat from '@grafana/grafana-foundation-sdk/stat';
import type * as gauge from '@grafana/grafana-foundation-sdk/gauge';
import type * as table from '@grafana/grafana-foundation-sdk/table';

type IsAny<T> = 0 extends 1 & T ? true : false;
export type Json<T> = IsAny<T> extends true ? any
  : T extends string ? \`\${T}\`
  : T extends number | boolean | null | undefined ? T
  : T extends readonly (infer U)[] ? Json<U>[]
  : T extends object ? { [K in keyof T as T[K] extends (...args: any[]) => any ? never : K]: Json<T[K]> }
  : T;

type FieldConfig<Custom> = Omit<Json<dashboard.FieldConfigSource>, 'defaults'> & {
  defaults: Omit<Json<dashboard.FieldConfig>, 'custom'> & { custom?: Json<Custom> };
};
type PluginPanel<Type extends string, Options, Custom> = Omit<Json<dashboard.Panel>, 'type' | 'targets' | 'options' | 'fieldConfig'> & {
  type: Type;
  targets: Json<prometheus.Dataquery>[];
  options: Json<Options>;
  fieldConfig: FieldConfig<Custom>;
};
type Panel =
  | PluginPanel<'timeseries', timeseries.Options, timeseries.FieldConfig>
  | PluginPanel<'stat', stat.Options, never>
  | PluginPanel<'gauge', gauge.Options, never>
  | PluginPanel<'table', table.Options, table.FieldConfig>
  | Json<dashboard.RowPanel>;
export type DashboardJson = Omit<Json<dashboard.Dashboard>, 'panels'> & { panels: Panel[] };
`;

export const DIR = dirname(fileURLToPath(import.meta.url));
const TYPES_FILE = join(DIR, '__sdk_dashboard_types__.ts');

export function check(sources: Record<string, string>): Map<string, string[]> {
  const files = new Map(Object.entries({ [TYPES_FILE]: TYPES, ...sources }));
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (f) => files.has(f) || fileExists.call(host, f);
  host.readFile = (f) => files.get(f) ?? readFile.call(host, f);
  host.getSourceFile = (f, lang, ...rest) => (files.has(f) ? ts.createSourceFile(f, files.get(f)!, lang) : getSourceFile.call(host, f, lang, ...rest));
  const program = ts.createProgram([...files.keys()], options, host);
  const byFile = new Map<string, string[]>();
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const name = d.file?.fileName ?? '(global)';
    const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n  ');
    byFile.set(name, [...(byFile.get(name) ?? []), `${where ? `line ${where.line + 1}: ` : ''}${message}`]);
  }
  return byFile;
}

export const literal = (json: unknown): string =>
  `import type { DashboardJson } from './__sdk_dashboard_types__.js';\nexport const dashboard = ${JSON.stringify(json, null, 1)} satisfies DashboardJson;\n`;
