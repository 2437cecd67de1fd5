/**
 * What a whole metric point must look like: histogram buckets (a +Inf bucket, `le` in
 * increasing order, cumulative counts, `_count` equal to the +Inf bucket, `_sum` and
 * `_count` together, exemplars inside their bucket), summary quantile order (text
 * 0.0.4) and a counter's Total. Runs once a family is complete.
 */
import { ExpositionParseError } from './parser-line.js';
import { metricPoints, type MetricPoint } from './parser-points.js';
import { labelNumber } from './parser-values.js';
import type { ParsedFamily, ParsedSample } from './parser.js';

/** The suffix of `sample` within `family` (names were matched when the sample was read). */
function suffixOf(family: ParsedFamily, sample: ParsedSample): string {
  return sample.name.slice(family.name.length);
}

function fail(sample: ParsedSample, reason: string): never {
  throw new ExpositionParseError(sample.line, reason);
}

/** Throws {@link ExpositionParseError} naming the first sample that breaks a rule. */
export function checkFamilyStructure(family: ParsedFamily, openMetrics: boolean): void {
  const points = metricPoints(family, openMetrics);
  for (const point of points) {
    switch (family.type) {
      case 'histogram':
      case 'gaugehistogram':
        checkHistogramPoint(family, point, openMetrics);
        break;
      case 'summary':
        if (!openMetrics) checkQuantileOrder(family, point);
        break;
      case 'counter':
        if (openMetrics && !point.samples.some((s) => suffixOf(family, s) === '_total')) {
          fail(
            point.samples[0],
            `counter metric point ${family.name}${point.metric} has no '${family.name}_total' sample: a counter's point must have its Total`,
          );
        }
        break;
      default:
        break;
    }
  }
}

interface Bucket {
  readonly sample: ParsedSample;
  readonly le: number;
}

function checkHistogramPoint(family: ParsedFamily, point: MetricPoint, openMetrics: boolean): void {
  const gauge = family.type === 'gaugehistogram';
  const countSuffix = gauge ? '_gcount' : '_count';
  const sumSuffix = gauge ? '_gsum' : '_sum';
  const buckets: Bucket[] = [];
  let count: ParsedSample | undefined;
  let sum: ParsedSample | undefined;
  for (const sample of point.samples) {
    const suffix = suffixOf(family, sample);
    // The `le` label was checked to be a number when the sample was read.
    if (suffix === '_bucket') buckets.push({ sample, le: labelNumber(sample.labels.le)! });
    else if (suffix === countSuffix) count = sample;
    else if (suffix === sumSuffix) sum = sample;
  }
  const where = `${family.name}${point.metric}`;
  for (let i = 1; i < buckets.length; i++) {
    const [before, bucket] = [buckets[i - 1], buckets[i]];
    if (!(bucket.le > before.le)) {
      fail(
        bucket.sample,
        `bucket le="${bucket.sample.labels.le}" of ${where} follows le="${before.sample.labels.le}": buckets must be in increasing order of le, each threshold once`,
      );
    }
    if (openMetrics && bucket.sample.value < before.sample.value) {
      fail(
        bucket.sample,
        `bucket le="${bucket.sample.labels.le}" of ${where} counts ${bucket.sample.value}, less than ${before.sample.value} in le="${before.sample.labels.le}": buckets must be cumulative`,
      );
    }
  }
  const last = buckets[buckets.length - 1];
  if (last === undefined || last.le !== Infinity) {
    fail(last?.sample ?? point.samples[0], `histogram metric point ${where} has no +Inf bucket: a histogram must have a bucket with le="+Inf"`);
  }
  if (count !== undefined && count.value !== last.sample.value) {
    fail(count, `'${count.name}' is ${count.value} but the +Inf bucket of ${where} is ${last.sample.value}: they must be equal`);
  }
  if (!openMetrics) return;
  if ((count === undefined) !== (sum === undefined)) {
    const present = (count ?? sum)!;
    fail(
      present,
      `${where} has '${family.name}${count ? countSuffix : sumSuffix}' without '${family.name}${count ? sumSuffix : countSuffix}': they come together or not at all`,
    );
  }
  // A gauge histogram's sum "MAY be negative" only "if negative threshold buckets are present".
  if (sum !== undefined && sum.value < 0 && buckets[0].le >= 0) {
    fail(sum, `sum '${sum.name}' is ${sum.value}, but with no negative bucket threshold the sum must not be negative`);
  }
  for (const { sample, le } of buckets) {
    if (sample.exemplar !== undefined && sample.exemplar.value > le) {
      fail(sample, `exemplar value ${sample.exemplar.value} is above its bucket le="${sample.labels.le}": an exemplar must fall within its bucket`);
    }
  }
}

function checkQuantileOrder(family: ParsedFamily, point: MetricPoint): void {
  let before: { sample: ParsedSample; q: number } | undefined;
  for (const sample of point.samples) {
    if (suffixOf(family, sample) !== '') continue;
    const q = labelNumber(sample.labels.quantile)!;
    if (before !== undefined && !(q > before.q)) {
      fail(
        sample,
        `quantile="${sample.labels.quantile}" of ${family.name}${point.metric} follows quantile="${before.sample.labels.quantile}": quantiles must be in increasing order`,
      );
    }
    before = { sample, q };
  }
}
