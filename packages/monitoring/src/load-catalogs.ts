import { access } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isCatalog } from 'promkit/catalog';
import type { Catalog } from 'promkit/catalog';
import type { PromkitConfig } from './config.js';

const TS = new Set(['.ts', '.mts', '.cts']);

/**
 * Imports a JS or TS module. Plain `import()` handles JS, and TS when Node already runs with
 * a TS loader (`node --import tsx`); otherwise tsx's API is tried, when installed.
 */
export async function importModule(path: string, cwd: string = process.cwd()): Promise<Record<string, unknown>> {
  const file = resolve(cwd, path);
  try {
    await access(file);
  } catch {
    throw new Error(`catalog module '${path}' not found (looked at ${file})`);
  }
  const url = pathToFileURL(file).href;
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (!TS.has(extname(file)) || (code !== 'ERR_UNKNOWN_FILE_EXTENSION' && code !== 'ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING')) throw err;
  }
  let tsImport: (specifier: string, parent: string) => Promise<unknown>;
  try {
    ({ tsImport } = (await import('tsx/esm/api')) as { tsImport: typeof tsImport });
  } catch {
    throw new Error(`cannot load TypeScript module '${path}': install tsx (npm i -D tsx) or run under \`node --import tsx\`, or compile it to JS`);
  }
  return (await tsImport(url, import.meta.url)) as Record<string, unknown>;
}

function catalogsOf(value: unknown): Catalog[] {
  if (isCatalog(value)) return [value];
  if (Array.isArray(value)) return value.filter(isCatalog);
  return [];
}

/**
 * The catalogs a module exports: its default export (a catalog or an array of them) and every
 * named export made by `defineCatalog()`, in export order, without duplicates.
 */
export async function loadCatalogModule(path: string, cwd?: string): Promise<Catalog[]> {
  const module = await importModule(path, cwd);
  const found = [
    ...catalogsOf(module.default),
    ...Object.entries(module)
      .filter(([k]) => k !== 'default')
      .flatMap(([, v]) => catalogsOf(v)),
  ];
  const unique = [...new Set(found)];
  if (unique.length === 0) {
    throw new Error(`module '${path}' exports no catalog: export the result of defineCatalog() (from 'promkit/catalog'), or an array of them`);
  }
  return unique;
}

/** Loads a `promkit.config.*` module: its default export must be a config with `catalogs`. */
export async function loadConfig(path: string, cwd?: string): Promise<PromkitConfig> {
  const module = await importModule(path, cwd);
  const config = module.default as PromkitConfig | undefined;
  if (!config || typeof config !== 'object' || !Array.isArray(config.catalogs)) {
    throw new Error(`config '${path}' must default-export defineConfig({ catalogs: [...] }) (from '@promkit/monitoring')`);
  }
  const bad = config.catalogs.findIndex((c) => !isCatalog(c));
  if (bad >= 0) throw new Error(`config '${path}': catalogs[${bad}] was not made by defineCatalog()`);
  return config;
}
