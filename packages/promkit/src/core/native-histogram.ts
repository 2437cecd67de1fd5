/**
 * Native (sparse exponential) histogram buckets with client_golang's semantics:
 * - the schema comes from the bucket factor (the largest resolution whose growth
 *   factor 2^(2^-schema) is at most the factor asked for), clamped to [-4, 8];
 * - observations with |v| <= zero threshold go to the zero bucket;
 * - when more buckets than `maxBucketNumber` are populated, the series is reset if
 *   `minResetDurationMs` has passed since its last reset, else its resolution is halved
 *   (schema - 1, neighbouring buckets merged).
 * Buckets are kept dense over the populated key range (one Float64Array per sign), so
 * an observation is a bit-level frexp, a short binary search and one typed-array add.
 */
import type { BucketSpan, NativeHistogramBuckets } from '../exposition/model.js';

/** client_golang's DefNativeHistogramZeroThreshold: 2^-128. */
export const DEFAULT_NATIVE_ZERO_THRESHOLD = 2 ** -128;

export interface NativeHistogramConfiguration {
  /** > 1 enables native buckets; each bucket's upper bound is at most this factor times its lower bound (client_golang: 1.1 is common). */
  nativeHistogramBucketFactor?: number;
  /** Observations within ±this go to the zero bucket. Default 2^-128; 0 for none. */
  nativeHistogramZeroThreshold?: number;
  /** Most populated buckets before the reset-or-halve rule applies. 0 (default): no limit. */
  nativeHistogramMaxBucketNumber?: number;
  /** At the bucket limit (and no reset due), the zero bucket may first widen up to this threshold, swallowing the bucket closest to zero. 0 (default): never. */
  nativeHistogramMaxZeroThreshold?: number;
  /** When the bucket limit is hit and at least this long has passed since the last reset, the series is reset instead of halved. 0 (default): never reset. */
  nativeHistogramMinResetDurationMs?: number;
}

export interface NativeSettings {
  readonly schema: number;
  readonly zeroThreshold: number;
  readonly maxZeroThreshold: number;
  readonly maxBuckets: number;
  readonly minResetMs: number;
}

/** client_golang's pickSchema. */
export function schemaForFactor(factor: number): number {
  const floor = Math.floor(Math.log2(Math.log2(factor)));
  if (floor <= -8) return 8;
  if (floor >= 4) return -4;
  return 0 - floor; // not -floor: that is -0 for factor 2
}

/** Validated settings, or undefined when native buckets are not enabled. */
export function nativeSettingsOf(metricName: string, config: NativeHistogramConfiguration): NativeSettings | undefined {
  const factor = config.nativeHistogramBucketFactor;
  if (factor === undefined) {
    for (const key of [
      'nativeHistogramZeroThreshold',
      'nativeHistogramMaxBucketNumber',
      'nativeHistogramMinResetDurationMs',
      'nativeHistogramMaxZeroThreshold',
    ] as const) {
      if (config[key] !== undefined) throw new TypeError(`histogram '${metricName}': ${key} needs nativeHistogramBucketFactor (> 1) to enable native buckets`);
    }
    return undefined;
  }
  if (typeof factor !== 'number' || !(factor > 1) || !Number.isFinite(factor)) {
    throw new TypeError(`histogram '${metricName}': nativeHistogramBucketFactor must be a finite number > 1, got ${String(factor)}`);
  }
  const zeroThreshold = config.nativeHistogramZeroThreshold ?? DEFAULT_NATIVE_ZERO_THRESHOLD;
  if (typeof zeroThreshold !== 'number' || !(zeroThreshold >= 0) || !Number.isFinite(zeroThreshold)) {
    throw new TypeError(`histogram '${metricName}': nativeHistogramZeroThreshold must be a finite number >= 0, got ${String(zeroThreshold)}`);
  }
  const maxBuckets = config.nativeHistogramMaxBucketNumber ?? 0;
  if (!Number.isInteger(maxBuckets) || maxBuckets < 0) {
    throw new TypeError(`histogram '${metricName}': nativeHistogramMaxBucketNumber must be an integer >= 0, got ${String(maxBuckets)}`);
  }
  const minResetMs = config.nativeHistogramMinResetDurationMs ?? 0;
  if (typeof minResetMs !== 'number' || !(minResetMs >= 0) || !Number.isFinite(minResetMs)) {
    throw new TypeError(`histogram '${metricName}': nativeHistogramMinResetDurationMs must be a finite number >= 0, got ${String(minResetMs)}`);
  }
  const maxZeroThreshold = config.nativeHistogramMaxZeroThreshold ?? 0;
  if (typeof maxZeroThreshold !== 'number' || !(maxZeroThreshold >= 0) || !Number.isFinite(maxZeroThreshold)) {
    throw new TypeError(`histogram '${metricName}': nativeHistogramMaxZeroThreshold must be a finite number >= 0, got ${String(maxZeroThreshold)}`);
  }
  return { schema: schemaForFactor(factor), zeroThreshold, maxZeroThreshold, maxBuckets, minResetMs };
}

// frexp by bit manipulation: Math.log2 is not exact at bucket boundaries.
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/** Upper bounds of the fractions in [0.5, 1) per positive schema: 2^(i/2^s - 1). */
const FRACTION_BOUNDS: Float64Array[] = [];
for (let s = 1; s <= 8; s++) {
  const n = 1 << s;
  FRACTION_BOUNDS[s] = Float64Array.from({ length: n }, (_, i) => 2 ** (i / n - 1));
}

/** The index of the bucket (upper bound inclusive) of a positive finite value: client_golang's key. */
export function bucketKey(value: number, schema: number): number {
  f64[0] = value;
  let hi = u32[HI];
  let exp = (hi >>> 20) & 0x7ff;
  let scale = 0;
  if (exp === 0) {
    // Subnormal: scale into the normal range first.
    f64[0] = value * 2 ** 64;
    hi = u32[HI];
    exp = (hi >>> 20) & 0x7ff;
    scale = 64;
  }
  exp = exp - 1022 - scale; // value = frac * 2^exp, frac in [0.5, 1)
  if (schema > 0) {
    u32[HI] = (hi & 0x800fffff) | (1022 << 20);
    const frac = f64[0];
    const bounds = FRACTION_BOUNDS[schema];
    let lo = 0;
    let up = bounds.length;
    while (lo < up) {
      const mid = (lo + up) >>> 1;
      if (bounds[mid] < frac) lo = mid + 1;
      else up = mid;
    }
    return lo + (exp - 1) * bounds.length;
  }
  // frac == 0.5 exactly (mantissa bits all zero): the value is a power of two, the upper bound of the bucket below.
  let key = (hi & 0xfffff) === 0 && u32[1 - HI] === 0 ? exp - 1 : exp;
  if (schema < 0) key = (key + (1 << -schema) - 1) >> -schema;
  return key;
}

/** The (inclusive) upper bound of bucket `key` at `schema`, from the same fractions the keys are found with. */
export function bucketUpperBound(key: number, schema: number): number {
  if (schema <= 0) return 2 ** (key * 2 ** -schema);
  const n = 1 << schema;
  const i = ((key % n) + n) % n;
  return FRACTION_BOUNDS[schema][i] * 2 ** ((key - i) / n + 1);
}

/** One sign's buckets, dense from key `base`. */
class DenseBuckets {
  base = 0;
  counts: Float64Array | undefined = undefined;

  /** Counts one observation; true when it populated a new bucket. */
  add(key: number): boolean {
    let counts = this.counts;
    let i = key - this.base;
    if (counts === undefined || i < 0 || i >= counts.length) {
      this.grow(key);
      counts = this.counts!;
      i = key - this.base;
    }
    return counts[i]++ === 0;
  }

  private grow(key: number): void {
    const old = this.counts;
    if (old === undefined) {
      this.counts = new Float64Array(8);
      this.base = key - 4;
      return;
    }
    const lo = Math.min(this.base, key);
    const hi = Math.max(this.base + old.length - 1, key);
    // Room to grow further in the direction asked for, so a drift is not one copy per bucket.
    const span = hi - lo + 1;
    const slack = Math.max(8, span >> 1);
    const newBase = key < this.base ? lo - slack : lo;
    const grown = new Float64Array(span + slack);
    grown.set(old, this.base - newBase);
    this.counts = grown;
    this.base = newBase;
  }

  /** The lowest populated key, or undefined. */
  smallestKey(): number | undefined {
    const c = this.counts;
    if (c !== undefined) for (let i = 0; i < c.length; i++) if (c[i] !== 0) return this.base + i;
    return undefined;
  }

  /** Empties one bucket; returns its count. */
  take(key: number): number {
    const c = this.counts;
    const i = key - this.base;
    if (c === undefined || i < 0 || i >= c.length) return 0;
    const count = c[i];
    c[i] = 0;
    return count;
  }

  populated(): number {
    let n = 0;
    const c = this.counts;
    if (c !== undefined) for (let i = 0; i < c.length; i++) if (c[i] !== 0) n++;
    return n;
  }

  /** Merges neighbours: bucket k of the finer schema falls in ceil(k/2) of the coarser one. */
  halve(): void {
    const old = this.counts;
    if (old === undefined) return;
    const newBase = (this.base + 1) >> 1;
    const last = (this.base + old.length - 1 + 1) >> 1;
    const merged = new Float64Array(last - newBase + 1);
    for (let i = 0; i < old.length; i++) if (old[i] !== 0) merged[((this.base + i + 1) >> 1) - newBase] += old[i];
    this.counts = merged;
    this.base = newBase;
  }

  /** Spans and deltas as the wire formats want them; gaps of up to 2 empty buckets stay inside a span (client_golang). */
  encode(spans: BucketSpan[], deltas: number[]): void {
    const c = this.counts;
    if (c === undefined) return;
    let prevKey = 0;
    let prevCount = 0;
    let open = false;
    let spanStart = 0;
    let spanLength = 0;
    let spanGapFrom = 0;
    for (let i = 0; i < c.length; i++) {
      const count = c[i];
      if (count === 0) continue;
      const key = this.base + i;
      if (open && key - (prevKey + 1) <= 2) {
        for (let k = prevKey + 1; k < key; k++) {
          deltas.push(-prevCount);
          prevCount = 0;
        }
        spanLength += key - prevKey;
      } else {
        if (open) {
          spans.push({ offset: spanStart - spanGapFrom, length: spanLength });
          spanGapFrom = prevKey + 1;
        }
        open = true;
        spanStart = key;
        spanLength = 1;
      }
      deltas.push(count - prevCount);
      prevCount = count;
      prevKey = key;
    }
    if (open) spans.push({ offset: spanStart - spanGapFrom, length: spanLength });
  }
}

/** The native buckets of one series. */
export class NativeSeries {
  schema: number;
  zeroThreshold: number;
  zeroCount = 0;
  populated = 0;
  lastReset = Date.now();
  readonly positive = new DenseBuckets();
  readonly negative = new DenseBuckets();

  constructor(private readonly settings: NativeSettings) {
    this.schema = settings.schema;
    this.zeroThreshold = settings.zeroThreshold;
  }

  /** Counts one finite value; false when the bucket limit asks for a reset of the whole series. */
  observe(value: number): boolean {
    const settings = this.settings;
    const zero = this.zeroThreshold;
    if (value <= zero && value >= -zero) {
      this.zeroCount++;
      return true;
    }
    const added = value > 0 ? this.positive.add(bucketKey(value, this.schema)) : this.negative.add(bucketKey(-value, this.schema));
    if (added && ++this.populated > settings.maxBuckets && settings.maxBuckets > 0) return this.limit();
    return true;
  }

  /** client_golang's limitBuckets: reset if allowed, else widen the zero bucket if allowed, else halve the resolution. */
  private limit(): boolean {
    const now = Date.now();
    if (this.settings.minResetMs > 0 && now - this.lastReset >= this.settings.minResetMs) return false;
    if (this.widenZeroBucket()) return true;
    if (this.schema <= -4) return true;
    this.schema--;
    this.positive.halve();
    this.negative.halve();
    this.populated = this.positive.populated() + this.negative.populated();
    return true;
  }

  /** client_golang's maybeWidenZeroBucket: the bucket closest to zero (both signs) joins the zero bucket. */
  private widenZeroBucket(): boolean {
    if (this.zeroThreshold >= this.settings.maxZeroThreshold) return false;
    const p = this.positive.smallestKey();
    const n = this.negative.smallestKey();
    if (p === undefined && n === undefined) return false;
    const key = Math.min(p ?? Infinity, n ?? Infinity);
    const threshold = bucketUpperBound(key, this.schema);
    if (threshold > this.settings.maxZeroThreshold) return false;
    const fromPositive = this.positive.take(key);
    const fromNegative = this.negative.take(key);
    this.zeroCount += fromPositive + fromNegative;
    this.populated -= (fromPositive > 0 ? 1 : 0) + (fromNegative > 0 ? 1 : 0);
    this.zeroThreshold = threshold;
    return true;
  }

  snapshot(): NativeHistogramBuckets {
    const positiveSpans: BucketSpan[] = [];
    const positiveDeltas: number[] = [];
    const negativeSpans: BucketSpan[] = [];
    const negativeDeltas: number[] = [];
    this.positive.encode(positiveSpans, positiveDeltas);
    this.negative.encode(negativeSpans, negativeDeltas);
    return { schema: this.schema, zeroThreshold: this.zeroThreshold, zeroCount: this.zeroCount, positiveSpans, positiveDeltas, negativeSpans, negativeDeltas };
  }
}

/** Native buckets of every series of one histogram, by slot (the slot store owns the classic counts, sum and count). */
export class NativeHistogramSet {
  private series: Array<NativeSeries | undefined> = [];

  constructor(
    readonly settings: NativeSettings,
    private readonly width: number,
  ) {}

  /** Counts a value for the series in `slot`; false when that series must be reset (min reset duration rule). */
  observe(slot: number, value: number): boolean {
    const i = slot / this.width;
    let s = this.series[i];
    if (s === undefined) this.series[i] = s = new NativeSeries(this.settings);
    return s.observe(value);
  }

  snapshot(slot: number): NativeHistogramBuckets {
    const s = this.series[slot / this.width];
    if (s !== undefined) return s.snapshot();
    return {
      schema: this.settings.schema,
      zeroThreshold: this.settings.zeroThreshold,
      zeroCount: 0,
      positiveSpans: [],
      positiveDeltas: [],
      negativeSpans: [],
      negativeDeltas: [],
    };
  }

  /** The slot's series starts over (new series, zero(), reset rule). */
  clearSlot(slot: number): void {
    this.series[slot / this.width] = undefined;
  }

  clearAll(): void {
    this.series = [];
  }
}
