/**
 * A small merging digest (after Dunning's t-digest): observations are buffered, then
 * merged into centroids whose size is bounded by q(1-q), so the tails stay precise
 * while memory stays O(compression) whatever the number of observations.
 */
export class QuantileDigest {
  private means: number[] = [];
  private weights: number[] = [];
  private buffer: number[] = [];
  private total = 0;

  constructor(private readonly compression = 200) {}

  get count(): number {
    return this.total + this.buffer.length;
  }

  add(value: number): void {
    this.buffer.push(value);
    if (this.buffer.length >= this.compression * 5) this.compress();
  }

  reset(): void {
    this.means = [];
    this.weights = [];
    this.buffer = [];
    this.total = 0;
  }

  private compress(): void {
    if (this.buffer.length === 0) return;
    const points: Array<[number, number]> = this.means.map((m, i) => [m, this.weights[i]]);
    for (const v of this.buffer) points.push([v, 1]);
    points.sort((a, b) => a[0] - b[0]);
    const total = this.total + this.buffer.length;
    const means: number[] = [];
    const weights: number[] = [];
    let curMean = points[0][0];
    let curWeight = points[0][1];
    let before = 0;
    for (let i = 1; i < points.length; i++) {
      const [m, w] = points[i];
      const q = (before + (curWeight + w) / 2) / total;
      const limit = Math.max(1, (4 * total * q * (1 - q)) / this.compression);
      // Equal values always share a centroid, whatever its size (as prom-client's tdigest
      // does): on small samples the quantiles then interpolate between distinct values
      // weighted by their counts, and match prom-client's exactly.
      if (m === curMean || curWeight + w <= limit) {
        curMean += ((m - curMean) * w) / (curWeight + w);
        curWeight += w;
      } else {
        means.push(curMean);
        weights.push(curWeight);
        before += curWeight;
        curMean = m;
        curWeight = w;
      }
    }
    means.push(curMean);
    weights.push(curWeight);
    this.means = means;
    this.weights = weights;
    this.total = total;
    this.buffer = [];
  }

  /** The estimated q-quantile (0 ≤ q ≤ 1); NaN when empty (the summary reports 0 then, as prom-client does). */
  quantile(q: number): number {
    this.compress();
    return interpolateCentroids(this.means, this.weights, this.means.length, this.total, q);
  }
}

/**
 * The q-quantile of `n` centroids (ascending means, with weights summing to `total`):
 * each centroid sits at its cumulative midpoint, the answer interpolates linearly between
 * the two around rank q·total, and is the first (last) mean below (above) their centres.
 * NaN when there is none. On exact data (one centroid per distinct value, weighted by its
 * multiplicity) this is the quantile promkit's and prom-client's summaries report.
 */
export function interpolateCentroids(means: ArrayLike<number>, weights: ArrayLike<number>, n: number, total: number, q: number): number {
  if (n === 0) return NaN;
  if (n === 1) return means[0];
  const target = q * total;
  let cumulative = 0;
  for (let i = 0; i < n; i++) {
    const w = weights[i];
    const centre = cumulative + w / 2;
    if (target < centre) {
      if (i === 0) return means[0];
      const prevCentre = cumulative - weights[i - 1] / 2;
      const t = (target - prevCentre) / (centre - prevCentre);
      return means[i - 1] + t * (means[i] - means[i - 1]);
    }
    cumulative += w;
  }
  return means[n - 1];
}

/**
 * A sliding time window of digests (prom-client's maxAgeSeconds/ageBuckets): every
 * observation goes into each bucket, the head answers queries, and the oldest bucket
 * is cleared and becomes the newest every maxAge/ageBuckets seconds.
 */
export class TimeWindowQuantiles {
  private readonly buckets: QuantileDigest[];
  private head = 0;
  private lastRotation = Date.now();
  private readonly rotationMs: number;

  constructor(maxAgeSeconds: number, ageBuckets: number, compression?: number) {
    this.buckets = Array.from({ length: ageBuckets }, () => new QuantileDigest(compression));
    this.rotationMs = (maxAgeSeconds * 1000) / ageBuckets;
  }

  add(value: number): void {
    this.rotate();
    for (const b of this.buckets) b.add(value);
  }

  quantile(q: number): number {
    this.rotate();
    return this.buckets[this.head].quantile(q);
  }

  /** Observations still inside the window. */
  get count(): number {
    this.rotate();
    return this.buckets[this.head].count;
  }

  reset(): void {
    for (const b of this.buckets) b.reset();
    this.lastRotation = Date.now();
  }

  private rotate(): void {
    const now = Date.now();
    while (now - this.lastRotation > this.rotationMs) {
      this.buckets[this.head].reset();
      this.head = (this.head + 1) % this.buckets.length;
      this.lastRotation += this.rotationMs;
      if (now - this.lastRotation > this.rotationMs * this.buckets.length) {
        this.reset();
        this.lastRotation = now;
      }
    }
  }
}
