/**
 * Turns a registry's families into remote-write samples at one timestamp, with the
 * series Prometheus would have ingested by scraping: counters, gauges and untyped as
 * themselves, classic histograms as _bucket/_sum/_count, summaries as quantiles plus
 * _sum/_count, native histograms as one histogram sample (plus the classic series when
 * classic buckets are configured too).
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { splitLabelText } from '../exposition/label-text.js';
import type { HistogramFamily, MetricFamily, SummaryFamily } from '../exposition/model.js';
import { formatSampleValue } from '../exposition/number-format.js';
import type { FamilyToEncode } from '../exposition/write-exposition.js';
import type { RemoteSample } from './write-request.js';

/**
 * A series' labels, sorted by name, without `__name__`; empty values are absent labels,
 * as Prometheus treats them. Precedence: the series' own labels, then registry defaults,
 * then the sender's external labels. Computed once per series, shared by its samples.
 */
function baseLabels(pairs: readonly string[], extra: readonly string[], external: readonly string[]): string[] {
  const map = new Map<string, string>();
  for (const list of [external, extra, pairs]) for (let i = 0; i < list.length; i += 2) map.set(list[i], list[i + 1]);
  const keys = [...map.keys()].filter((k) => map.get(k) !== '').sort();
  const out: string[] = [];
  for (const k of keys) out.push(k, map.get(k)!);
  return out;
}

function insertSorted(list: string[], name: string, value: string): void {
  let i = 0;
  while (i < list.length && list[i] < name) i += 2;
  list.splice(i, 0, name, value);
}

/** `base` with `__name__` and optionally one more pair (le, quantile: reserved, so never in base), in sorted places. */
function labelSet(name: string, base: readonly string[], more?: readonly [string, string]): string[] {
  const out = base.slice();
  insertSorted(out, '__name__', name);
  if (more !== undefined) insertSorted(out, more[0], more[1]);
  return out;
}

function* histogramSamples(family: HistogramFamily, extra: string[], external: string[], t: number, out: RemoteSample[]): Generator<void> {
  const bounds = family.upperBounds;
  const buckets = bounds.length + 1;
  const le = bounds.map(formatSampleValue);
  le.push('+Inf');
  for (const s of family.series) {
    const base = baseLabels(splitLabelText(s.labelText), extra, external);
    const values = s.values;
    const offset = s.offset;
    const count = values[offset + buckets + 1];
    const sum = values[offset + buckets];
    const native = s.native;
    if (native !== undefined) out.push({ labels: labelSet(family.name, base), timestampMs: t, histogram: { ...native, count, sum } });
    if (native !== undefined && bounds.length === 0) continue;
    let cumulative = 0;
    for (let i = 0; i < buckets; i++) {
      cumulative += values[offset + i];
      out.push({ labels: labelSet(`${family.name}_bucket`, base, ['le', le[i]]), timestampMs: t, value: cumulative });
    }
    out.push({ labels: labelSet(`${family.name}_sum`, base), timestampMs: t, value: sum });
    out.push({ labels: labelSet(`${family.name}_count`, base), timestampMs: t, value: count });
    yield;
  }
}

function* summarySamples(family: SummaryFamily, extra: string[], external: string[], t: number, out: RemoteSample[]): Generator<void> {
  for (const s of family.series) {
    const base = baseLabels(splitLabelText(s.labelText), extra, external);
    for (const [q, v] of s.quantiles) out.push({ labels: labelSet(family.name, base, ['quantile', formatSampleValue(q)]), timestampMs: t, value: v });
    out.push({ labels: labelSet(`${family.name}_sum`, base), timestampMs: t, value: s.sum });
    out.push({ labels: labelSet(`${family.name}_count`, base), timestampMs: t, value: s.count });
    yield;
  }
}

/** Yields after each series, so the async driver can give the event loop a turn. */
function* familySamples(family: MetricFamily, extra: string[], external: string[], t: number, out: RemoteSample[]): Generator<void> {
  if (family.type === 'histogram') return yield* histogramSamples(family, extra, external, t, out);
  if (family.type === 'summary') return yield* summarySamples(family, extra, external, t, out);
  for (const s of family.series) {
    out.push({ labels: labelSet(family.name, baseLabels(splitLabelText(s.labelText), extra, external)), timestampMs: t, value: s.value });
    yield;
  }
}

function* allSamples(
  families: readonly FamilyToEncode[],
  timestampMs: number,
  externalLabels: Readonly<Record<string, string>>,
  out: RemoteSample[],
): Generator<void> {
  const external = Object.entries(externalLabels).flat();
  for (const { family, extraLabelText } of families) yield* familySamples(family, splitLabelText(extraLabelText), external, timestampMs, out);
}

/** Every sample of the gathered families at `timestampMs`. */
export function snapshotSamples(
  families: readonly FamilyToEncode[],
  timestampMs: number,
  externalLabels: Readonly<Record<string, string>> = {},
): RemoteSample[] {
  const out: RemoteSample[] = [];
  for (const _ of allSamples(families, timestampMs, externalLabels, out));
  return out;
}

/** The same, yielding to the event loop whenever a synchronous stretch passes `maxBlockMs` (default 4). */
export async function snapshotSamplesAsync(
  families: readonly FamilyToEncode[],
  timestampMs: number,
  externalLabels: Readonly<Record<string, string>> = {},
  maxBlockMs = 4,
): Promise<RemoteSample[]> {
  const out: RemoteSample[] = [];
  let start = performance.now();
  let n = 0;
  for (const _ of allSamples(families, timestampMs, externalLabels, out)) {
    if ((++n & 255) === 0 && performance.now() - start >= maxBlockMs) {
      await yieldToEventLoop();
      start = performance.now();
    }
  }
  return out;
}
