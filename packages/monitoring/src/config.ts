import type { Catalog } from 'promkit/catalog';
import type { ArtifactOptions } from './artifacts.js';

/**
 * `promkit.config.ts` (or `.mts`, `.js`, `.mjs`): what `promkit generate` run in that directory
 * generates when no `--catalog` is given. Command-line flags override these fields.
 */
export interface PromkitConfig extends Omit<ArtifactOptions, 'catalogs'> {
  readonly catalogs: readonly Catalog[];
  /** Default `deploy`. */
  readonly outDir?: string;
  /** Shorthand for `monitorLabels: { release }` (kube-prometheus-stack selects its Helm release). */
  readonly release?: string;
}

/** Identity, for the types: `export default defineConfig({ catalogs: [myCatalog], release: 'kps' })`. */
export function defineConfig(config: PromkitConfig): PromkitConfig {
  return config;
}

/** The file names `promkit generate` looks for in the current directory, in this order. */
export const CONFIG_FILES = ['promkit.config.ts', 'promkit.config.mts', 'promkit.config.js', 'promkit.config.mjs'] as const;
