/**
 * Tarballs kept between test runs of the same sources, when `PROMKIT_PACK_CACHE` names a
 * folder: CI runs the whole suite on Node 20 and again on Node 24 from one checkout, and
 * the build (tsc, both module formats, every package) does not depend on the Node line
 * that runs it, only on what the key covers. Without the variable nothing is kept.
 */
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

/**
 * Everything the tarballs are made from: each package's folder but its built output,
 * dependencies and tests; the shared build config and script; the compiler's version.
 */
async function sourceKey(repo: string, packages: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  const add = async (path: string): Promise<void> => {
    hash
      .update(path.slice(repo.length))
      .update('\0')
      .update(await readFile(path))
      .update('\0');
  };
  const walk = async (dir: string): Promise<void> => {
    for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!['dist', 'node_modules', 'test'].includes(entry.name)) await walk(path);
      } else if (entry.isFile()) await add(path);
    }
  };
  for (const dir of packages) await walk(join(repo, 'packages', dir));
  for (const file of ['tsconfig.base.json', 'package.json', 'package-lock.json', 'scripts/build-dual.mjs', 'node_modules/typescript/package.json']) {
    await add(join(repo, file));
  }
  return hash.digest('hex').slice(0, 24);
}

/** The cached tarballs (in PACKAGES order) for these sources, or undefined. */
export async function cachedTarballs<P extends string>(repo: string, packages: readonly P[]): Promise<Array<[P, string]> | undefined> {
  const root = process.env.PROMKIT_PACK_CACHE;
  if (!root) return undefined;
  const entry = join(root, await sourceKey(repo, packages));
  const list = await readFile(join(entry, 'tarballs.json'), 'utf8').catch(() => undefined);
  if (list === undefined) return undefined;
  return (JSON.parse(list) as Array<[P, string]>).map(([dir, name]) => [dir, join(entry, name)]);
}

/** Keeps freshly built tarballs for the next run of the same sources. */
export async function keepTarballs<P extends string>(repo: string, packages: readonly P[], tarballs: ReadonlyMap<P, string>): Promise<void> {
  const root = process.env.PROMKIT_PACK_CACHE;
  if (!root) return;
  const key = await sourceKey(repo, packages);
  const staging = join(root, `${key}.tmp-${process.pid}`);
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  const list: Array<[P, string]> = [];
  for (const [dir, path] of tarballs) {
    await copyFile(path, join(staging, basename(path)));
    list.push([dir, basename(path)]);
  }
  await writeFile(join(staging, 'tarballs.json'), JSON.stringify(list));
  // Renamed whole: a reader never sees half an entry. Another run may have kept it first.
  await rename(staging, join(root, key)).catch(() => rm(staging, { recursive: true, force: true }));
  // Only the latest sources' entry is worth keeping.
  for (const name of await readdir(root)) {
    if (name !== key && !name.includes('.tmp-')) await rm(join(root, name), { recursive: true, force: true });
  }
}
