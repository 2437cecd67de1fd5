import { readFileSync } from 'node:fs';

/**
 * Reads a /proc file, or returns undefined where there is none (not Linux, or a
 * sandbox without procfs). Sync reads are fine here: procfs is served from kernel
 * memory and never blocks (libuv's own process.memoryUsage() does the same).
 */
export function readProcFile(path: string): string | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The `Vm*` fields of /proc/self/status, in bytes (the file gives kB). */
export function parseProcStatus(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = /^(Vm\w+):\s*(\d+)\s*kB/.exec(line);
    if (m) out[m[1]] = Number(m[2]) * 1024;
  }
  return out;
}

/** The soft limit of "Max open files" in /proc/self/limits; undefined when absent or unlimited. */
export function parseMaxOpenFiles(text: string): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith('Max open files')) continue;
    const soft = line.slice('Max open files'.length).trim().split(/\s+/)[0];
    const n = Number(soft);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}
