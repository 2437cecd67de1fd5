import type { Dirent } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import type { Catalog } from 'promkit/catalog';
import { buildArtifacts, type ArtifactOptions } from './artifacts.js';

export interface GenerateOptions extends ArtifactOptions {
  readonly outDir: string;
}

/** Writes every artifact under `outDir` and returns the written paths (outDir joined). */
export async function generateAll(options: GenerateOptions): Promise<string[]> {
  const written: string[] = [];
  for (const artifact of buildArtifacts(options)) {
    const path = join(options.outDir, artifact.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, artifact.content);
    written.push(path);
  }
  return written;
}

async function listFiles(dir: string): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}

export interface FreshnessReport {
  readonly fresh: boolean;
  /** Generated files absent from the directory. */
  readonly missing: readonly string[];
  /** Files in the directory the generator no longer produces. */
  readonly extra: readonly string[];
  /** Files whose content differs. */
  readonly changed: readonly string[];
}

/**
 * Regenerates into a temporary directory and compares with `dir` file by file, so CI can fail
 * when the committed `deploy/` tree was not regenerated after a catalog or generator change.
 */
export async function checkDeployFresh(dir: string, catalogs?: readonly Catalog[], options: Omit<ArtifactOptions, 'catalogs'> = {}): Promise<FreshnessReport> {
  const temp = await mkdtemp(join(tmpdir(), 'promkit-generate-'));
  try {
    await generateAll({ ...options, outDir: temp, ...(catalogs ? { catalogs } : {}) });
    const [expected, actual] = await Promise.all([listFiles(temp), listFiles(dir)]);
    const have = new Set(actual);
    const want = new Set(expected);
    const changed: string[] = [];
    for (const file of expected) {
      if (!have.has(file)) continue;
      const [a, b] = await Promise.all([readFile(join(temp, file)), readFile(join(dir, file))]);
      if (!a.equals(b)) changed.push(file);
    }
    const missing = expected.filter((f) => !have.has(f));
    const extra = actual.filter((f) => !want.has(f));
    return { fresh: missing.length + extra.length + changed.length === 0, missing, extra, changed };
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}
