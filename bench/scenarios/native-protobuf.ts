/**
 * Native vs classic `observe()` on a bound child, and protobuf vs text scrape of the
 * 110k-series registry (100k counters, 10k histograms with default buckets), plus the
 * remote-write path (snapshot, WriteRequest, snappy) over the same registry.
 * Standalone: `node --import tsx --expose-gc bench/scenarios/native-protobuf.ts` (~30 s);
 * `npm run bench` runs the observe and scrape measurements, shorter, in native-protobuf-child.ts.
 */
import { pathToFileURL } from 'node:url';
import { Counter, Histogram, Registry } from '../../packages/promkit/src/index.js';
import { snapshotSamples } from '../../packages/promkit/src/remote-write/snapshot.js';
import { snappyCompress } from '../../packages/promkit/src/remote-write/snappy.js';
import { encodeWriteRequest } from '../../packages/promkit/src/remote-write/write-request.js';

const VALUES = Array.from({ length: 1024 }, (_, i) => Math.round(Math.exp((((i * 7919) % 1024) / 1024) * 9 - 6) * 1e6) / 1e6);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];

function observeNs(child: { observe(v: number): void }, ops: number, rounds: number): number {
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < ops; i++) child.observe(VALUES[i & 1023]);
    samples.push(Number(process.hrtime.bigint() - start) / ops);
  }
  return median(samples);
}

export interface ObserveResult {
  /** Median ns per bound observe(): classic (11 default buckets), native factor 1.1, both, native factor 1.001. */
  classicNs: number;
  nativeNs: number;
  bothNs: number;
  native8Ns: number;
}

/** Interleaved rounds of `ops` bound observe() calls on each histogram kind (after a warm-up). */
export function measureObserve(ops = 2_000_000, rounds = 3): ObserveResult {
  const registry = new Registry();
  const classic = new Histogram({ name: 'c_seconds', help: 'h', labelNames: ['a'], registers: [registry] }).labels('x');
  const native = new Histogram({ name: 'n_seconds', help: 'h', labelNames: ['a'], nativeHistogramBucketFactor: 1.1, registers: [registry] }).labels('x');
  const both = new Histogram({
    name: 'b_seconds',
    help: 'h',
    labelNames: ['a'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    nativeHistogramBucketFactor: 1.1,
    registers: [registry],
  }).labels('x');
  const native8 = new Histogram({ name: 'n8_seconds', help: 'h', labelNames: ['a'], nativeHistogramBucketFactor: 1.001, registers: [registry] }).labels('x');
  // Warm-up, then interleaved rounds so drift hits all alike.
  for (const c of [classic, native, both, native8]) observeNs(c, ops, 2);
  const results: Record<string, number[]> = { classic: [], native: [], both: [], native8: [] };
  for (let r = 0; r < rounds; r++) {
    results.classic.push(observeNs(classic, ops, 3));
    results.native.push(observeNs(native, ops, 3));
    results.both.push(observeNs(both, ops, 3));
    results.native8.push(observeNs(native8, ops, 3));
  }
  return { classicNs: median(results.classic), nativeNs: median(results.native), bothNs: median(results.both), native8Ns: median(results.native8) };
}

function hotPath(): void {
  const r = measureObserve();
  const c = r.classicNs;
  console.log(`bound observe(), ns/op (median of 3×3 rounds of 2M):`);
  console.log(`  classic (11 default buckets)        ${c.toFixed(1)}`);
  console.log(`  native, factor 1.1 (schema 3)        ${r.nativeNs.toFixed(1)}  (${(r.nativeNs / c).toFixed(2)}x classic)`);
  console.log(`  native schema 3 + 11 classic buckets ${r.bothNs.toFixed(1)}  (${(r.bothNs / c).toFixed(2)}x)`);
  console.log(`  native, factor 1.001 (schema 8)      ${r.native8Ns.toFixed(1)}  (${(r.native8Ns / c).toFixed(2)}x)`);
}

function bigRegistry(): Registry {
  const registry = new Registry();
  const counter = new Counter({ name: 'bench_requests_total', help: 'bench counter', labelNames: ['service', 'operation'], registers: [registry] });
  for (let i = 0; i < 100_000; i++) counter.labels(`service-${i % 1000}`, `operation-${Math.floor(i / 1000)}`).inc((i % 7) + 1);
  const histogram = new Histogram({
    name: 'bench_request_duration_seconds',
    help: 'bench histogram',
    labelNames: ['service', 'operation'],
    registers: [registry],
  });
  const observed = [0.003, 0.04, 0.7, 3, 12];
  for (let i = 0; i < 10_000; i++) {
    const child = histogram.labels(`service-${i % 100}`, `operation-${Math.floor(i / 100)}`);
    for (let k = 0; k <= i % 3; k++) child.observe(observed[(i + k) % observed.length]);
  }
  return registry;
}

async function timed<T>(fn: () => Promise<T> | T, rounds: number): Promise<{ ms: number; result: T }> {
  const times: number[] = [];
  let result!: T;
  for (let r = 0; r < rounds; r++) {
    (globalThis as { gc?: () => void }).gc?.();
    const start = performance.now();
    result = await fn();
    times.push(performance.now() - start);
  }
  return { ms: median(times), result };
}

export interface ScrapeFormatsResult {
  /** Median wall ms of one `metrics()` (text 0.0.4) and one `metricsProtobuf()` of the 110k-series registry. */
  textMs: number;
  protobufMs: number;
  textBytes: number;
  protobufBytes: number;
}

/** Text against protobuf scrape of the 110k-series registry: one warm-up each, then `rounds` timed, interleaved so drift hits both alike. */
export async function measureScrapeFormats(rounds = 5, registry = bigRegistry()): Promise<ScrapeFormatsResult> {
  await registry.metrics();
  await registry.metricsProtobuf();
  const textMs: number[] = [];
  const protobufMs: number[] = [];
  let textBytes = 0;
  let protobufBytes = 0;
  for (let r = 0; r < rounds; r++) {
    const text = await timed(() => registry.metrics(), 1);
    const proto = await timed(() => registry.metricsProtobuf(), 1);
    textMs.push(text.ms);
    protobufMs.push(proto.ms);
    textBytes = Buffer.byteLength(text.result);
    protobufBytes = proto.result.length;
  }
  return { textMs: median(textMs), protobufMs: median(protobufMs), textBytes, protobufBytes };
}

async function scrape(): Promise<void> {
  const registry = bigRegistry();
  const r = await measureScrapeFormats(5, registry);
  console.log(`110k-series registry scrape (median of 5):`);
  console.log(`  text 0.0.4   ${r.textMs.toFixed(0)} ms  ${(r.textBytes / 1e6).toFixed(1)} MB`);
  console.log(`  protobuf     ${r.protobufMs.toFixed(0)} ms  ${(r.protobufBytes / 1e6).toFixed(1)} MB`);
  const gathered = await registry.gather();
  const snap = await timed(() => snapshotSamples(gathered, Date.now()), 3);
  const encoded = await timed(() => encodeWriteRequest(snap.result), 3);
  const compressed = await timed(() => snappyCompress(encoded.result), 3);
  console.log(`remote write of the same registry (${snap.result.length} samples, median of 3):`);
  console.log(
    `  snapshot ${snap.ms.toFixed(0)} ms, WriteRequest ${encoded.ms.toFixed(0)} ms (${(encoded.result.length / 1e6).toFixed(1)} MB), snappy ${compressed.ms.toFixed(0)} ms (${(compressed.result.length / 1e6).toFixed(1)} MB, ${(encoded.result.length / compressed.result.length).toFixed(1)}x)`,
  );
}

// Standalone run only: `npm run bench` imports the measurements (bench/native-protobuf-child.ts).
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  hotPath();
  await scrape();
}
