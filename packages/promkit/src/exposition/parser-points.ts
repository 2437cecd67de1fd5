/**
 * Groups a family's samples into metric points: the samples of one Metric (its label
 * set without `le`, `quantile` or the stateset's state label) that share a timestamp.
 *
 * OpenMetrics lets one Metric expose several points, each with its own timestamp, but
 * "Metrics MUST NOT be interleaved", "MetricPoints MUST NOT be interleaved" and the
 * points "MUST have monotonically increasing timestamps": so there a point is a run of
 * consecutive samples, and any return to an earlier Metric or point is an error. Text
 * 0.0.4 has no such rules (and one line per series), so there a point is simply all the
 * samples of one Metric wherever they appear.
 */
import { ExpositionParseError } from './parser-line.js';
import type { ParsedFamily, ParsedSample } from './parser.js';

export interface MetricPoint {
  /** The Metric's identity within its family (labels that are not per-sample). */
  readonly metric: string;
  readonly timestamp: number | undefined;
  readonly samples: ParsedSample[];
}

/** The label that tells a point's samples apart, which is not part of the Metric's identity. */
function pointLabel(family: ParsedFamily): string | undefined {
  switch (family.type) {
    case 'histogram':
    case 'gaugehistogram':
      return 'le';
    case 'summary':
      return 'quantile';
    case 'stateset':
      return family.name;
    default:
      return undefined;
  }
}

function labelText(labels: Readonly<Record<string, string>>, skip: string | undefined): string {
  const pairs = Object.keys(labels)
    .filter((k) => k !== skip)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`);
  return `{${pairs.join(',')}}`;
}

function describeTimestamp(ts: number | undefined): string {
  return ts === undefined ? 'no timestamp' : `timestamp ${ts}`;
}

export function metricPoints(family: ParsedFamily, openMetrics: boolean): MetricPoint[] {
  return openMetrics ? consecutivePoints(family) : pointsByMetric(family);
}

function pointsByMetric(family: ParsedFamily): MetricPoint[] {
  const skip = pointLabel(family);
  const byMetric = new Map<string, MetricPoint>();
  for (const sample of family.samples) {
    const metric = labelText(sample.labels, skip);
    let point = byMetric.get(metric);
    if (point === undefined) {
      point = { metric, timestamp: sample.timestamp, samples: [] };
      byMetric.set(metric, point);
    }
    point.samples.push(sample);
  }
  return [...byMetric.values()];
}

function consecutivePoints(family: ParsedFamily): MetricPoint[] {
  const skip = pointLabel(family);
  const points: MetricPoint[] = [];
  const metricStarts = new Map<string, number>();
  let current: MetricPoint | undefined;
  let seriesInPoint = new Map<string, number>();
  for (const sample of family.samples) {
    const metric = labelText(sample.labels, skip);
    const series = sample.name + labelText(sample.labels, undefined);
    const fail = (reason: string): never => {
      throw new ExpositionParseError(sample.line, reason);
    };
    if (current === undefined || current.metric !== metric) {
      const start = metricStarts.get(metric);
      if (start !== undefined) {
        fail(`metric ${family.name}${metric} (started line ${start}) continues after another metric of the family: metrics must not be interleaved`);
      }
      metricStarts.set(metric, sample.line);
    } else if (sample.timestamp === current.timestamp) {
      const first = seriesInPoint.get(series);
      if (first !== undefined) fail(`duplicate series ${series} in one metric point (first on line ${first})`);
      seriesInPoint.set(series, sample.line);
      current.samples.push(sample);
      continue;
    } else if (sample.timestamp === undefined || current.timestamp === undefined) {
      fail(
        `${sample.name}${labelText(sample.labels, undefined)} has ${describeTimestamp(sample.timestamp)} but the point before it of the same metric has ` +
          `${describeTimestamp(current.timestamp)}: the samples of one point share a timestamp, and a metric with several points needs one on each`,
      );
    } else if (sample.timestamp < current.timestamp) {
      fail(
        `metric point at timestamp ${sample.timestamp} follows one at ${current.timestamp} of the same metric ${family.name}${metric}: ` +
          "a metric's points must have increasing timestamps and must not be interleaved",
      );
    }
    current = { metric, timestamp: sample.timestamp, samples: [sample] };
    seriesInPoint = new Map([[series, sample.line]]);
    points.push(current);
  }
  return points;
}
