/** Rows of the native-histogram and protobuf measurements (promkit only: the peers have neither), next to report.ts's rows. */
import type { Row } from './report.js';
import type { ObserveResult, ScrapeFormatsResult } from './scenarios/native-protobuf.js';

function fmt(x: number): string {
  return x >= 100 ? Math.round(x).toLocaleString('en-US') : Number(x.toPrecision(3)).toString();
}

const promkitOnly = (cell: string): Row['cells'] => ({ promkit: cell, 'prom-client': '—', '@prometheus-io/client': '—' });

/** Bound observe() of a native histogram (factor 1.1, schema 3) against a classic one with the 11 default buckets. */
export function nativeObserveRow(r: ObserveResult, limitFactor: number): Row {
  const factor = r.nativeNs / r.classicNs;
  return {
    scenario: 'bound `observe()`: native histogram (factor 1.1) vs classic (11 buckets)',
    cells: promkitOnly(
      `${fmt(r.nativeNs)} ns vs ${fmt(r.classicNs)} ns (${fmt(factor)}x; native + classic ${fmt(r.bothNs)} ns, schema 8 ${fmt(r.native8Ns)} ns)`,
    ),
    ratio: NaN,
    goal: `within ${limitFactor}x`,
    met: factor <= limitFactor,
  };
}

/** `metricsProtobuf()` against `metrics()` (text 0.0.4) of the 110k-series registry. */
export function protobufScrapeRow(r: ScrapeFormatsResult, limitFactor: number): Row {
  const factor = r.protobufMs / r.textMs;
  const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;
  return {
    scenario: '110k series: protobuf scrape vs text 0.0.4 (time, bytes)',
    cells: promkitOnly(`${fmt(r.protobufMs)} ms vs ${fmt(r.textMs)} ms (${fmt(factor)}x); ${mb(r.protobufBytes)} vs ${mb(r.textBytes)}`),
    ratio: NaN,
    goal: `time within ${limitFactor}x`,
    met: factor <= limitFactor,
  };
}
