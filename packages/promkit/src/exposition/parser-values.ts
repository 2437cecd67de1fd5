/**
 * What a single sample's value and labels must be, given its family's type: the
 * OpenMetrics 1.0 rules on values (non-negative, not NaN, integer, 0/1, 1) and on the
 * `le` / `quantile` / stateset labels, plus the part of them text 0.0.4 shares (`le`
 * and `quantile` are numbers, so that their order means something).
 */
import type { ParsedFamily, ParsedSample } from './parser.js';

const FLOAT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const SPECIAL = /^(?:[+-]?inf(?:inity)?|nan)$/i;

/** A label value read as a float the way both formats spell numbers, or undefined. */
export function labelNumber(text: string): number | undefined {
  if (FLOAT.test(text)) return Number(text);
  if (!SPECIAL.test(text)) return undefined;
  const lower = text.toLowerCase();
  if (lower === 'nan') return NaN;
  return lower.startsWith('-') ? -Infinity : Infinity;
}

function describe(value: number): string {
  return Number.isNaN(value) ? 'NaN' : String(value);
}

/** `what` must not be NaN or negative, and (when `integer`) must be a whole number. */
function countLike(value: number, what: string, integer: boolean): string | undefined {
  if (Number.isNaN(value) || value < 0) return `${what} must not be NaN or negative, got ${describe(value)}`;
  if (integer && Number.isFinite(value) && !Number.isInteger(value)) return `${what} must be an integer, got ${value}`;
  return undefined;
}

function bucketLabel(sample: ParsedSample): string | undefined {
  const le = sample.labels.le;
  if (le === undefined) return `bucket sample '${sample.name}' has no 'le' label`;
  const bound = labelNumber(le);
  if (bound === undefined) return `bucket sample '${sample.name}' has le="${le}", which is not a number`;
  if (Number.isNaN(bound)) return `bucket sample '${sample.name}' has le="NaN": bucket thresholds must not be NaN`;
  return undefined;
}

function quantileLabel(sample: ParsedSample, openMetrics: boolean): string | undefined {
  const q = sample.labels.quantile;
  if (q === undefined) return `summary sample '${sample.name}' has no 'quantile' label`;
  const quantile = labelNumber(q);
  if (quantile === undefined || Number.isNaN(quantile)) return `summary sample '${sample.name}' has quantile="${q}", which is not a number`;
  if (openMetrics && (quantile < 0 || quantile > 1)) return `summary sample '${sample.name}' has quantile="${q}": quantiles must be between 0 and 1 inclusive`;
  return undefined;
}

/** A label that only the point's own samples may carry must not be on the others. */
function reservedLabel(sample: ParsedSample, label: string, family: ParsedFamily): string | undefined {
  if (Object.hasOwn(sample.labels, label)) return `'${sample.name}' has a '${label}' label: a ${family.type} metric's label set must not have one`;
  return undefined;
}

/**
 * The reason `sample` (of `family`, matched by `suffix`) is invalid, or undefined.
 * Text 0.0.4 says nothing about values, so there only the labels are checked.
 */
export function sampleProblem(family: ParsedFamily, suffix: string, sample: ParsedSample, openMetrics: boolean): string | undefined {
  const v = sample.value;
  switch (family.type) {
    case 'histogram':
    case 'gaugehistogram': {
      if (suffix === '_bucket')
        return bucketLabel(sample) ?? (openMetrics ? countLike(v, `bucket '${sample.name}{le="${sample.labels.le}"}'`, true) : undefined);
      if (!openMetrics) return undefined;
      const le = reservedLabel(sample, 'le', family);
      if (le !== undefined) return le;
      if (suffix === '_count') return countLike(v, `histogram count '${sample.name}'`, true);
      if (suffix === '_sum' && Number.isNaN(v)) return `histogram sum '${sample.name}' must not be NaN`;
      if (suffix === '_gsum' && Number.isNaN(v)) return `gauge histogram sum '${sample.name}' must not be NaN`;
      return undefined;
    }
    case 'summary': {
      if (suffix === '') {
        const label = quantileLabel(sample, openMetrics);
        if (label !== undefined || !openMetrics) return label;
        // NaN is how a quantile with no observations in its window is written.
        return v < 0 ? `quantile value of '${sample.name}{quantile="${sample.labels.quantile}"}' must not be negative, got ${v}` : undefined;
      }
      if (!openMetrics) return undefined;
      const quantile = reservedLabel(sample, 'quantile', family);
      if (quantile !== undefined) return quantile;
      if (suffix === '_count') return countLike(v, `summary count '${sample.name}'`, true);
      if (suffix === '_sum') return countLike(v, `summary sum '${sample.name}'`, false);
      return undefined;
    }
    case 'counter':
      return openMetrics && suffix === '_total' ? countLike(v, `counter total '${sample.name}'`, false) : undefined;
    case 'info':
      return v === 1 ? undefined : `info sample '${sample.name}' must have the value 1, got ${describe(v)}`;
    case 'stateset':
      if (!Object.hasOwn(sample.labels, family.name)) return `stateset sample '${sample.name}' has no '${family.name}' label naming its state`;
      return v === 0 || v === 1 ? undefined : `stateset sample '${sample.name}' must be 0 or 1, got ${describe(v)}`;
    default:
      return undefined;
  }
}
