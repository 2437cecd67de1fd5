import type { ChunkWriter } from './chunk-writer.js';
import type { ExpositionFormat } from './content-types.js';
import { escapeHelpOpenMetrics, escapeHelpText } from './escape.js';
import type { Exemplar, HistogramFamily, MetricFamily, ScalarFamily, SummaryFamily } from './model.js';
import { formatCanonicalFloat, formatSampleValue, formatTimestampSeconds } from './number-format.js';

export interface EncodeOptions {
  /** OpenMetrics only: emit `_created` samples. Off by default: most dashboards never use them. */
  created?: boolean;
  /** OpenMetrics only: emit exemplars. On by default. */
  exemplars?: boolean;
}

/** What differs between the two text formats, resolved once per scrape. */
interface Dialect {
  readonly openMetrics: boolean;
  /** Text 0.0.4 puts a blank line between families, as prom-client does (users snapshot it). */
  familiesWritten: number;
  readonly created: boolean;
  readonly exemplars: boolean;
  formatBound(value: number): string;
  escapeHelp(help: string): string;
}

export function dialectFor(format: ExpositionFormat, options: EncodeOptions = {}): Dialect {
  const openMetrics = format === 'openmetrics';
  return {
    openMetrics,
    familiesWritten: 0,
    created: openMetrics && options.created === true,
    exemplars: openMetrics && options.exemplars !== false,
    formatBound: openMetrics ? formatCanonicalFloat : formatSampleValue,
    escapeHelp: openMetrics ? escapeHelpOpenMetrics : escapeHelpText,
  };
}

/**
 * Dialects that live as long as the module, so the object literal's shape does: the
 * encoders' optimized code checks it, and a full GC between scrapes, with no dialect
 * left alive, freed it and deoptimized them (see CHUNK_WRITER_SHAPE in chunk-writer.ts).
 */
export const DIALECT_SHAPES = [dialectFor('prometheus'), dialectFor('openmetrics')];

/** `{a="x",extra="y"}` or '' when there are no labels at all. */
function braces(labelText: string, extraLabelText: string): string {
  if (labelText === '') return extraLabelText === '' ? '' : `{${extraLabelText}}`;
  return extraLabelText === '' ? `{${labelText}}` : `{${labelText},${extraLabelText}}`;
}

/** `{quantile="q",labels,extra}`: prom-client's order, so text output matches it byte for byte. */
function bracesLeading(pair: string, labelText: string, extraLabelText: string): string {
  return `{${pair}${labelText === '' ? '' : `,${labelText}`}${extraLabelText === '' ? '' : `,${extraLabelText}`}}`;
}

function exemplarSuffix(exemplar: Exemplar | undefined): string {
  if (exemplar === undefined) return '';
  return ` # {${exemplar.labelText}} ${formatSampleValue(exemplar.value)} ${formatTimestampSeconds(exemplar.timestamp)}`;
}

/** The OpenMetrics family name of a counter drops the `_total` the samples carry. */
export function openMetricsFamilyName(family: MetricFamily): string {
  if (family.type === 'counter' && family.name.endsWith('_total')) return family.name.slice(0, -6);
  return family.name;
}

function writeHeader(w: ChunkWriter, family: MetricFamily, name: string, d: Dialect): void {
  const type = family.type === 'untyped' && d.openMetrics ? 'unknown' : family.type;
  if (!d.openMetrics && d.familiesWritten++ > 0) w.write('\n');
  w.write(`# HELP ${name} ${d.escapeHelp(family.help)}\n# TYPE ${name} ${type}\n`);
  if (d.openMetrics && family.unit) w.write(`# UNIT ${name} ${family.unit}\n`);
}

/**
 * Encodes one family. Awaits only when the writer asks to yield, so small families
 * encode synchronously in effect, and a family of 100k series is cut into short slices.
 */
export async function encodeFamily(w: ChunkWriter, family: MetricFamily, extraLabelText: string, d: Dialect): Promise<void> {
  switch (family.type) {
    case 'histogram':
      return encodeHistogram(w, family, extraLabelText, d);
    case 'summary':
      return encodeSummary(w, family, extraLabelText, d);
    default:
      return encodeScalar(w, family, extraLabelText, d);
  }
}

/**
 * Joins pieces into one flat string. Every piece handed to the writer is flat, so the
 * chunk join copies bytes instead of walking ropes (which cost more than encoding).
 */
function flat(...pieces: string[]): string {
  return pieces.join('');
}

/** Integer values from 0 up to this take their line end from a per-family table. */
const TABLED_INTEGERS = 1024;

/**
 * `prefix + value + '\n'`. Counts are mostly small integers, and a table of these
 * line ends (filled as met, dropped with the family's scrape) spares a new string
 * per sample line: ~5 MB of the ~41 MB of garbage a scrape of the benchmark made.
 */
function valueLine(table: string[], prefix: string, value: number): string {
  if (value >= 0 && value <= TABLED_INTEGERS && Math.floor(value) === value) {
    table[value] ??= `${prefix}${value}\n`;
    return table[value];
  }
  return `${prefix}${formatSampleValue(value)}\n`;
}

async function encodeScalar(w: ChunkWriter, family: ScalarFamily, extra: string, d: Dialect): Promise<void> {
  const name = d.openMetrics ? openMetricsFamilyName(family) : family.name;
  writeHeader(w, family, name, d);
  const isCounter = family.type === 'counter';
  const sampleName = d.openMetrics && isCounter ? `${name}_total` : name;
  const withExemplars = d.exemplars && isCounter;
  const withCreated = d.created && isCounter;
  // Per series only the label text and the value change: everything else is prebuilt.
  const open = flat(sampleName, '{');
  const close = extra === '' ? '} ' : flat(',', extra, '} ');
  const bare = extra === '' ? flat(sampleName, ' ') : flat(sampleName, '{', extra, '} ');
  const quoteClose = flat('"', close);
  const lineEnds: string[] = [];
  // Series under one index node share their label head and come one after another, so
  // `name{` + head is built once per node, not written as a piece of its own per line.
  let head: string | undefined;
  let openHead = '';
  for (const s of family.series) {
    const last = s.labelLast;
    const value = s.value;
    const exemplar = withExemplars ? s.exemplar : undefined;
    if (last !== undefined) {
      if (s.labelHead !== head) {
        head = s.labelHead as string;
        openHead = flat(open, head);
      }
      w.write(openHead);
      w.write(last);
      // `"} ` + value + '\n': one piece, not three; the table is read here first, as in encodeHistogram.
      if (exemplar !== undefined) w.write(`${quoteClose}${formatSampleValue(value)}${exemplarSuffix(exemplar)}\n`);
      else w.write((value <= TABLED_INTEGERS ? lineEnds[value] : undefined) ?? valueLine(lineEnds, quoteClose, value));
    } else {
      const valueText = exemplar !== undefined ? formatSampleValue(value) + exemplarSuffix(exemplar) : formatSampleValue(value);
      if (s.labelText === '') {
        w.write(bare);
        w.write(`${valueText}\n`);
      } else {
        w.write(open);
        w.write(s.labelText);
        w.write(`${close}${valueText}\n`);
      }
    }
    if (withCreated) w.write(`${name}_created${braces(s.labelText, extra)} ${formatTimestampSeconds(s.created)}\n`);
    const pause = w.maybeYield();
    if (pause) await pause;
  }
}

async function encodeHistogram(w: ChunkWriter, family: HistogramFamily, extra: string, d: Dialect): Promise<void> {
  const name = family.name;
  writeHeader(w, family, name, d);
  const leText = family.upperBounds.map((b) => `le="${d.formatBound(b)}"`);
  leText.push('le="+Inf"');
  const buckets = leText.length;
  const extraPart = extra === '' ? '' : `,${extra}`;
  // Text 0.0.4 takes prom-client's label order, so it matches prom-client byte for byte:
  // `le`, the registry's default labels, the series' own labels. OpenMetrics (never
  // byte-comparable: canonical `le`, exemplars) keeps own labels, defaults, `le`.
  const leFirst = !d.openMetrics;
  // Text 0.0.4, labelled: `name_bucket{le="x",` + `a="1",b="2"} ` + value line, where the
  // second piece is the series' labelClose, which its _sum and _count lines reuse.
  const bucketHeads = leText.map((le) => flat(name, '_bucket{', le, extraPart, ','));
  const bucketBare = leText.map((le) => flat(name, '_bucket{', le, extraPart, '} '));
  const bucketOpen = flat(name, '_bucket{');
  const leWithComma = leText.map((le) => flat(extraPart, ',', le, '} '));
  const leAlone = leText.map((le) => (extra === '' ? flat(le, '} ') : flat(extra, ',', le, '} ')));
  const extraSep = extra === '' ? '' : ',';
  const sumHead = flat(name, '_sum{', extra, extraSep);
  const countHead = flat(name, '_count{', extra, extraSep);
  const sumBare = extra === '' ? flat(name, '_sum ') : flat(name, '_sum{', extra, '} ');
  const countBare = extra === '' ? flat(name, '_count ') : flat(name, '_count{', extra, '} ');
  // OpenMetrics: "Negative threshold buckets MAY be used, but then the Histogram MetricPoint
  // MUST NOT contain a sum value", and a sum "MUST NOT be NaN or negative". Count and sum
  // come together or not at all, so both are left out; the +Inf bucket still is the count.
  const omSum = !d.openMetrics || !(family.upperBounds[0] < 0);
  const lineEnds: string[] = [];
  for (const s of family.series) {
    const values = s.values;
    const offset = s.offset;
    const last = s.labelLast;
    // The head and last value, not the joined labelText (a rope the getter builds per call).
    const labelText = last === undefined ? s.labelText : undefined;
    const hasLabels = labelText !== '';
    const exemplars = d.exemplars ? s.exemplars : undefined;
    // Every line of the series shares its label part: build it flat once.
    const labelClose = hasLabels ? (last !== undefined ? flat(s.labelHead as string, last, '"} ') : flat(labelText as string, '} ')) : '';
    const shared = leFirst || !hasLabels ? '' : last !== undefined ? flat(bucketOpen, s.labelHead as string, last, '"') : flat(bucketOpen, labelText as string);
    const les = hasLabels ? leWithComma : leAlone;
    let cumulative = 0;
    for (let i = 0; i < buckets; i++) {
      cumulative += values[offset + i];
      if (leFirst) {
        if (hasLabels) {
          w.write(bucketHeads[i]);
          w.write(labelClose);
        } else w.write(bucketBare[i]);
      } else if (!hasLabels) {
        w.write(bucketOpen);
        w.write(les[i]);
      } else {
        w.write(shared);
        w.write(les[i]);
      }
      if (exemplars !== undefined && exemplars[i] !== undefined) w.write(`${formatSampleValue(cumulative) + exemplarSuffix(exemplars[i])}\n`);
      else {
        // Looked up here first: a call would box the double (a heap number per line).
        const line = cumulative <= TABLED_INTEGERS ? lineEnds[cumulative] : undefined;
        w.write(line ?? valueLine(lineEnds, '', cumulative));
      }
    }
    const sum = values[offset + buckets];
    if (omSum && !(d.openMetrics && sum < 0)) {
      if (hasLabels) {
        w.write(sumHead);
        w.write(labelClose);
      } else w.write(sumBare);
      w.write(valueLine(lineEnds, '', sum));
      if (hasLabels) {
        w.write(countHead);
        w.write(labelClose);
      } else w.write(countBare);
      w.write(valueLine(lineEnds, '', values[offset + buckets + 1]));
    }
    if (d.created) w.write(`${name}_created${braces(s.labelText, extra)} ${formatTimestampSeconds(s.created)}\n`);
    const pause = w.maybeYield();
    if (pause) await pause;
  }
}

async function encodeSummary(w: ChunkWriter, family: SummaryFamily, extra: string, d: Dialect): Promise<void> {
  const name = family.name;
  writeHeader(w, family, name, d);
  for (const s of family.series) {
    for (const [q, v] of s.quantiles) {
      // OpenMetrics: "Quantile values MUST NOT be negative"; text 0.0.4 and protobuf carry them.
      if (d.openMetrics && v < 0) continue;
      w.write(`${name + bracesLeading(`quantile="${d.formatBound(q)}"`, s.labelText, extra)} ${formatSampleValue(v)}\n`);
    }
    const labels = braces(s.labelText, extra);
    // OpenMetrics: a summary's count and sum are counters and "MUST NOT be NaN or negative".
    if (!(d.openMetrics && s.sum < 0)) w.write(`${name}_sum${labels} ${formatSampleValue(s.sum)}\n${name}_count${labels} ${formatSampleValue(s.count)}\n`);
    if (d.created) w.write(`${name}_created${labels} ${formatTimestampSeconds(s.created)}\n`);
    const pause = w.maybeYield();
    if (pause) await pause;
  }
}

export const OPENMETRICS_EOF = '# EOF\n';
