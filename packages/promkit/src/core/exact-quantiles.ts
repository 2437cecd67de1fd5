import { interpolateCentroids } from './quantile-digest.js';

/**
 * Quantiles of a whole sample, computed without approximation but by the same rule
 * as promkit's Summary (see interpolateCentroids): every distinct value is one centroid
 * weighted by how often it occurs. For distinct values this is the value at 0-based
 * rank q·n − ½, interpolated linearly and clamped to the minimum and maximum
 * (Hyndman and Fan's definition 5). The arrays are kept between loads.
 */
export class ExactQuantiles {
  private means = new Float64Array(16);
  private weights = new Float64Array(16);
  private runs = 0;
  private total = 0;

  /** Takes a sample sorted ascending (a typed array's sort()). */
  load(sorted: Float64Array): void {
    if (this.means.length < sorted.length) {
      this.means = new Float64Array(sorted.length);
      this.weights = new Float64Array(sorted.length);
    }
    let runs = 0;
    for (let i = 0; i < sorted.length; i++) {
      if (runs > 0 && sorted[i] === this.means[runs - 1]) {
        this.weights[runs - 1]++;
      } else {
        this.means[runs] = sorted[i];
        this.weights[runs] = 1;
        runs++;
      }
    }
    this.runs = runs;
    this.total = sorted.length;
  }

  /** The q-quantile of the loaded sample; NaN when it is empty. */
  quantile(q: number): number {
    return interpolateCentroids(this.means, this.weights, this.runs, this.total, q);
  }
}
