import type { Gauge } from '../gauge.js';

/** Counts a list by each element's constructor name (libuv handle and request classes). */
export function countByConstructorName(list: readonly unknown[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of list) {
    if (item === null || item === undefined) continue;
    const ctor = (item as { constructor?: { name?: unknown } }).constructor;
    if (ctor === undefined || typeof ctor.name !== 'string') continue;
    counts.set(ctor.name, (counts.get(ctor.name) ?? 0) + 1);
  }
  return counts;
}

export function countStrings(list: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const s of list) counts.set(s, (counts.get(s) ?? 0) + 1);
  return counts;
}

/** Replaces every series of a `{type, ...labels}` gauge, so types that disappeared are dropped. */
export function setCountsByType(gauge: Gauge, counts: ReadonlyMap<string, number>, labels: Readonly<Record<string, string>>): void {
  gauge.reset();
  for (const [type, n] of counts) gauge.set({ ...labels, type }, n);
}
