/**
 * Turns a registry's families into remote-write samples at one timestamp, with the
 * series Prometheus would have ingested by scraping: counters, gauges and untyped as
 * themselves, classic histograms as _bucket/_sum/_count, summaries as quantiles plus
 * _sum/_count, native histograms as one histogram sample (plus the classic series when
 * classic buckets are configured too).
 */
import { splitLabelText } from '../exposition/label-text.js';
import type { HistogramFamily, MetricFamily, SummaryFamily } from '../exposition/model.js';
import { formatSampleValue } from '../exposition/number-format.js';
import type { FamilyToEncode } from '../exposition/write-exposition.js';
import type { RemoteSample } from './write-request.js';

/** Sorted name/value pairs with `__name__`; empty values are absent labels, as Prometheus treats them. */
function labelSet(name: string, pairs: readonly string[], extra: readonly string[], external: readonly string[], more?: readonly [string, string]): string[] {
  const map = new Map<string, string>();
  // Precedence: the series' own labels, then registry defaults, then the sender's external labels.
  for (const list of [external, extra, pairs]) for (let i = 0; i < list.length; i += 2) map.set(list[i], list[i + 1]);
  if (more) map.set(more[0], more[1]);
  map.set('__name__', name);
  const keys = [...map.keys()].filter((k) => map.get(k) !== '').sort();
  const out: string[] = [];
  for (const k of keys) out.push(k, map.get(k)!);
  return out;
}

function histogramSamples(family: HistogramFamily, extra: string[], external: string[], t: number, out: RemoteSample[]): void {
  const bounds = family.upperBounds;
  const buckets = bounds.length + 1;
  const le = bounds.map(formatSampleValue);
  le.push('+Inf');
  for (const s of family.series) {
    const pairs = splitLabelText(s.labelText);
    const values = s.values;
    const offset = s.offset;
    const count = values[offset + buckets + 1];
    const sum = values[offset + buckets];
    const native = s.native;
    if (native !== undefined) out.push({ labels: labelSet(family.name, pairs, extra, external), timestampMs: t, histogram: { ...native, count, sum } });
    if (native !== undefined && bounds.length === 0) continue;
    let cumulative = 0;
    for (let i = 0; i < buckets; i++) {
      cumulative += values[offset + i];
      out.push({ labels: labelSet(family.name + '_bucket', pairs, extra, external, ['le', le[i]]), timestampMs: t, value: cumulative });
    }
    out.push({ labels: labelSet(family.name + '_sum', pairs, extra, external), timestampMs: t, value: sum });
    out.push({ labels: labelSet(family.name + '_count', pairs, extra, external), timestampMs: t, value: count });
  }
}

function summarySamples(family: SummaryFamily, extra: string[], external: string[], t: number, out: RemoteSample[]): void {
  for (const s of family.series) {
    const pairs = splitLabelText(s.labelText);
    for (const [q, v] of s.quantiles) out.push({ labels: labelSet(family.name, pairs, extra, external, ['quantile', formatSampleValue(q)]), timestampMs: t, value: v });
    out.push({ labels: labelSet(family.name + '_sum', pairs, extra, external), timestampMs: t, value: s.sum });
    out.push({ labels: labelSet(family.name + '_count', pairs, extra, external), timestampMs: t, value: s.count });
  }
}

function familySamples(family: MetricFamily, extra: string[], external: string[], t: number, out: RemoteSample[]): void {
  if (family.type === 'histogram') return histogramSamples(family, extra, external, t, out);
  if (family.type === 'summary') return summarySamples(family, extra, external, t, out);
  for (const s of family.series) out.push({ labels: labelSet(family.name, splitLabelText(s.labelText), extra, external), timestampMs: t, value: s.value });
}

/** Every sample of the gathered families at `timestampMs`. */
export function snapshotSamples(families: readonly FamilyToEncode[], timestampMs: number, externalLabels: Readonly<Record<string, string>> = {}): RemoteSample[] {
  const external = Object.entries(externalLabels).flat();
  const out: RemoteSample[] = [];
  for (const { family, extraLabelText } of families) familySamples(family, splitLabelText(extraLabelText), external, timestampMs, out);
  return out;
}
