/**
 * Parses Prometheus text 0.0.4 and OpenMetrics 1.0 text into families and samples,
 * and rejects malformed input with the line number and what is wrong. Used by tests
 * (to assert on exposition by meaning, not by string) and by `promkit lint`.
 *
 * Strictness follows what Prometheus and the two specifications require: valid names,
 * one HELP/TYPE(/UNIT) per family and before its samples, a family's lines in one
 * group, no duplicate series, numeric `le` on buckets and `quantile` on summary
 * quantiles in increasing order, a +Inf bucket equal to `_count`. Unknown escape
 * sequences are kept as written, as Prometheus does. OpenMetrics additionally has
 * single-space separators, no blank or comment lines, sample names that fit the family
 * type, the rules on values (parser-values.ts) and points (parser-structure.ts,
 * parser-points.ts), no family names that could clash (parser-names.ts), exemplars only
 * on counter totals and buckets (label set at most 128 characters) and a final `# EOF`.
 */
import type { ExpositionFormat } from './content-types.js';
import { ExpositionParseError, LineCursor, OPENMETRICS_HELP_ESCAPES, TEXT_HELP_ESCAPES } from './parser-line.js';
import { SampleNameClaims } from './parser-names.js';
import { checkFamilyStructure } from './parser-structure.js';
import { sampleProblem } from './parser-values.js';

export { ExpositionParseError } from './parser-line.js';

export type ParsedType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped' | 'unknown' | 'gaugehistogram' | 'info' | 'stateset';

export interface ParsedExemplar {
  labels: Record<string, string>;
  value: number;
  /** Seconds since the epoch, when given. */
  timestamp?: number;
}

export interface ParsedSample {
  /** The full sample name, e.g. `http_requests_total` or `latency_seconds_bucket`. */
  name: string;
  /** Label values unescaped; keys in the order they appear. */
  labels: Record<string, string>;
  value: number;
  /** Seconds since the epoch, when given (text 0.0.4 milliseconds are converted). */
  timestamp?: number;
  exemplar?: ParsedExemplar;
  /** 1-based line of the sample. */
  line: number;
}

export interface ParsedFamily {
  name: string;
  /** As declared by TYPE; `untyped` (text) or `unknown` (OpenMetrics) without one. */
  type: ParsedType;
  help?: string;
  unit?: string;
  samples: ParsedSample[];
  /** 1-based line where the family starts. */
  line: number;
}

export interface ParsedExposition {
  format: ExpositionFormat;
  families: ParsedFamily[];
}

const TEXT_TYPES: ReadonlySet<string> = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const OPENMETRICS_TYPES: ReadonlySet<string> = new Set(['counter', 'gauge', 'histogram', 'gaugehistogram', 'summary', 'info', 'stateset', 'unknown']);

/** Sample-name suffixes each type allows (OpenMetrics; text 0.0.4 uses the subset below). */
const OPENMETRICS_SUFFIXES: Readonly<Record<string, readonly string[]>> = {
  counter: ['_total', '_created'],
  gauge: [''],
  unknown: [''],
  stateset: [''],
  info: ['_info'],
  histogram: ['_bucket', '_count', '_sum', '_created'],
  gaugehistogram: ['_bucket', '_gcount', '_gsum'],
  summary: ['', '_count', '_sum', '_created'],
};
const TEXT_SUFFIXES: Readonly<Record<string, readonly string[]>> = {
  counter: [''],
  gauge: [''],
  untyped: [''],
  histogram: ['_bucket', '_count', '_sum'],
  summary: ['', '_count', '_sum'],
};

const EXEMPLAR_MAX_RUNES = 128;

interface Dialect {
  readonly format: ExpositionFormat;
  readonly strict: boolean;
  readonly types: ReadonlySet<string>;
  readonly suffixes: Readonly<Record<string, readonly string[]>>;
  readonly defaultType: ParsedType;
}

const TEXT: Dialect = { format: 'prometheus', strict: false, types: TEXT_TYPES, suffixes: TEXT_SUFFIXES, defaultType: 'untyped' };
const OPENMETRICS: Dialect = { format: 'openmetrics', strict: true, types: OPENMETRICS_TYPES, suffixes: OPENMETRICS_SUFFIXES, defaultType: 'unknown' };

/** Parses text in the given format; throws {@link ExpositionParseError} on the first problem. */
export function parseExposition(text: string, format: ExpositionFormat): ParsedExposition {
  return new Parser(format === 'openmetrics' ? OPENMETRICS : TEXT).parse(text);
}

export function parsePrometheusText(text: string): ParsedExposition {
  return parseExposition(text, 'prometheus');
}

export function parseOpenMetrics(text: string): ParsedExposition {
  return parseExposition(text, 'openmetrics');
}

/** `name{a="x",b="y"}` with labels sorted by name: a stable key for one series. */
export function seriesKey(name: string, labels: Readonly<Record<string, string>>): string {
  const pairs = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`);
  return `${name}{${pairs.join(',')}}`;
}

class Parser {
  private readonly families: ParsedFamily[] = [];
  private readonly byName = new Map<string, ParsedFamily>();
  private current: ParsedFamily | undefined;
  private readonly declared = new Map<ParsedFamily, Set<string>>();
  /** Text 0.0.4 only: OpenMetrics allows a series again as a later point (parser-points.ts). */
  private readonly seriesSeen = new Map<string, number>();
  private readonly claims: SampleNameClaims;

  constructor(private readonly d: Dialect) {
    this.claims = new SampleNameClaims(d.suffixes);
  }

  parse(text: string): ParsedExposition {
    const lines = text.split('\n');
    // A final line feed ends the last line rather than starting an empty one.
    if (lines[lines.length - 1] === '') lines.pop();
    let sawEof = false;
    for (let i = 0; i < lines.length; i++) {
      const lineNumber = i + 1;
      const line = lines[i];
      if (sawEof) throw new ExpositionParseError(lineNumber, 'unexpected content after # EOF');
      if (this.d.strict && line === '# EOF') {
        sawEof = true;
        continue;
      }
      this.parseLine(line, lineNumber);
    }
    this.closeCurrentFamily();
    if (this.d.strict && !sawEof) throw new ExpositionParseError(Math.max(lines.length, 1), 'missing # EOF at the end of the exposition');
    return { format: this.d.format, families: this.families };
  }

  private parseLine(line: string, lineNumber: number): void {
    if (line.trim() === '') {
      if (this.d.strict) throw new ExpositionParseError(lineNumber, 'blank lines are not allowed in OpenMetrics');
      return;
    }
    const c = new LineCursor(line, lineNumber, this.d.strict);
    if (this.d.strict ? line.startsWith('#') : line.trimStart().startsWith('#')) this.parseComment(c);
    else this.parseSample(c);
  }

  private parseComment(c: LineCursor): void {
    c.skipOptionalBlanks();
    c.expect('#');
    const keyword = /^[ \t]+(HELP|TYPE|UNIT)[ \t]/.exec(c.text.slice(c.pos))?.[1];
    if (keyword === undefined || (keyword === 'UNIT' && !this.d.strict)) {
      if (this.d.strict) c.fail("expected '# HELP', '# TYPE', '# UNIT' or '# EOF': OpenMetrics has no other comments");
      return; // text 0.0.4: any other comment is ignored
    }
    c.separator(keyword);
    c.expect(keyword);
    c.separator('the metric name');
    const nameStart = c.pos;
    const name = c.metricName();
    const family = this.familyForMetadata(name, keyword, c, nameStart);
    // Exactly one blank follows the name, and the rest is the value: OpenMetrics'
    // grammar has `SP` there even before an empty help or unit; Prometheus' text parser
    // drops one character and keeps further blanks as part of the help text or type.
    if (keyword === 'TYPE' || this.d.strict || !c.atEnd()) {
      const what = keyword === 'TYPE' ? 'the type' : keyword === 'HELP' ? 'the help text' : 'the unit';
      if (c.peek() !== ' ' && (this.d.strict || c.peek() !== '\t')) c.fail(`expected a space after the metric name, before ${what}`);
      c.pos++;
    }
    if (keyword === 'HELP') {
      family.help = c.restEscaped(this.d.strict ? OPENMETRICS_HELP_ESCAPES : TEXT_HELP_ESCAPES);
    } else if (keyword === 'TYPE') {
      const type = c.text.slice(c.pos);
      if (!this.d.types.has(type)) c.fail(`unknown metric type '${type}' (allowed: ${[...this.d.types].join(', ')})`);
      c.pos = c.text.length;
      family.type = type as ParsedType;
    } else {
      const unit = c.text.slice(c.pos);
      if (unit !== '' && !/^[a-zA-Z0-9_:]+$/.test(unit)) c.fail(`invalid unit '${unit}'`);
      if (unit !== '' && !name.endsWith(`_${unit}`)) c.fail(`the family name '${name}' must end with the unit: '_${unit}'`);
      family.unit = unit;
    }
    if (family.unit && (family.type === 'info' || family.type === 'stateset')) {
      c.fail(`${family.type} family '${name}' has the unit '${family.unit}': info and stateset families must have an empty unit`);
    }
  }

  /** The family a HELP/TYPE/UNIT line describes; each may appear once, before the samples. */
  private familyForMetadata(name: string, keyword: string, c: LineCursor, nameStart: number): ParsedFamily {
    let family = this.current?.name === name ? this.current : undefined;
    if (family === undefined) {
      const earlier = this.byName.get(name);
      if (earlier !== undefined) {
        c.pos = nameStart;
        c.fail(`metadata for family '${name}', which ended earlier (line ${earlier.line}): a family's lines must form one group`);
      }
      family = this.startFamily(name, c.lineNumber);
    }
    if (family.samples.length > 0) c.fail(`${keyword} for '${name}' after its samples: metadata must come first`);
    const declared = this.declared.get(family)!;
    if (declared.has(keyword)) c.fail(`second ${keyword} line for '${name}'`);
    declared.add(keyword);
    return family;
  }

  private startFamily(name: string, line: number): ParsedFamily {
    this.closeCurrentFamily();
    const family: ParsedFamily = { name, type: this.d.defaultType, samples: [], line };
    this.families.push(family);
    this.byName.set(name, family);
    this.declared.set(family, new Set());
    this.current = family;
    return family;
  }

  /** A family's lines are all read once another starts: check it as a whole. */
  private closeCurrentFamily(): void {
    const family = this.current;
    if (family === undefined) return;
    this.current = undefined;
    checkFamilyStructure(family, this.d.strict);
    if (this.d.strict) this.claims.claim(family);
  }

  /** The suffix that makes `sampleName` a sample of `family`, or undefined. */
  private suffixIn(family: ParsedFamily, sampleName: string): string | undefined {
    if (!sampleName.startsWith(family.name)) return undefined;
    const suffix = sampleName.slice(family.name.length);
    return (this.d.suffixes[family.type] ?? ['']).includes(suffix) ? suffix : undefined;
  }

  private familyForSample(name: string, c: LineCursor): { family: ParsedFamily; suffix: string } {
    if (this.current !== undefined) {
      const suffix = this.suffixIn(this.current, name);
      if (suffix !== undefined) return { family: this.current, suffix };
    }
    for (const family of this.byName.values()) {
      if (family !== this.current && this.suffixIn(family, name) !== undefined) {
        c.fail(`sample of family '${family.name}' (started line ${family.line}) after other families: a family's lines must form one group`);
      }
    }
    if (this.d.strict && this.current?.name === name) {
      c.fail(
        `sample name '${name}' does not fit the ${this.current.type} family '${this.current.name}' (allowed suffixes: ${this.d.suffixes[this.current.type].map((s) => s || '(none)').join(', ')})`,
      );
    }
    if (this.byName.has(name)) c.fail(`sample '${name}' clashes with the family of that name (line ${this.byName.get(name)!.line})`);
    return { family: this.startFamily(name, c.lineNumber), suffix: '' };
  }

  private parseSample(c: LineCursor): void {
    c.skipOptionalBlanks();
    const name = c.metricName();
    const afterName = c.pos;
    c.skipOptionalBlanks();
    if (c.peek() !== '{') c.pos = afterName;
    const pairs = c.peek() === '{' ? c.labelSet() : [];
    const labels = Object.fromEntries(pairs);
    c.separator('the sample value');
    const value = c.number('the sample value');
    const sample: ParsedSample = { name, labels, value, line: c.lineNumber };
    if (this.d.strict) this.readOpenMetricsTail(c, sample);
    else {
      const afterValue = c.pos;
      c.skipOptionalBlanks();
      if (!c.atEnd() && c.pos > afterValue) sample.timestamp = c.integerMilliseconds();
      c.end('the sample');
    }
    const { family, suffix } = this.familyForSample(name, c);
    this.checkSample(family, suffix, sample, c);
    family.samples.push(sample);
  }

  private readOpenMetricsTail(c: LineCursor, sample: ParsedSample): void {
    if (c.atEnd()) return;
    c.separator('the timestamp or exemplar');
    if (c.peek() !== '#') {
      sample.timestamp = c.number('the timestamp');
      if (!Number.isFinite(sample.timestamp)) c.fail('the timestamp must be a finite number');
      if (c.atEnd()) return;
      c.separator('the exemplar');
    }
    c.expect('#', "'# {labels} value' (an exemplar)");
    c.separator('the exemplar labels');
    const pairs = c.peek() === '{' ? c.labelSet() : c.fail("expected the exemplar's label set '{...}'");
    let runes = 0;
    for (const [k, v] of pairs) runes += [...k].length + [...v].length;
    if (runes > EXEMPLAR_MAX_RUNES) c.fail(`exemplar label set is ${runes} characters long; at most ${EXEMPLAR_MAX_RUNES} are allowed`);
    c.separator('the exemplar value');
    const exemplar: ParsedExemplar = { labels: Object.fromEntries(pairs), value: c.number('the exemplar value') };
    if (!c.atEnd()) {
      c.separator('the exemplar timestamp');
      exemplar.timestamp = c.number('the exemplar timestamp');
      if (!Number.isFinite(exemplar.timestamp)) c.fail('the exemplar timestamp must be a finite number');
    }
    c.end('the exemplar');
    sample.exemplar = exemplar;
  }

  private checkSample(family: ParsedFamily, suffix: string, sample: ParsedSample, c: LineCursor): void {
    const histogramLike = family.type === 'histogram' || family.type === 'gaugehistogram';
    const problem = sampleProblem(family, suffix, sample, this.d.strict);
    if (problem !== undefined) c.fail(problem);
    if (sample.exemplar !== undefined) {
      const allowed = (family.type === 'counter' && suffix === '_total') || (histogramLike && suffix === '_bucket');
      if (!allowed) c.fail(`exemplars are allowed only on counter _total and histogram _bucket samples, not on '${sample.name}'`);
    }
    if (this.d.strict) return;
    const key = seriesKey(sample.name, sample.labels);
    const earlier = this.seriesSeen.get(key);
    if (earlier !== undefined) c.fail(`duplicate series ${key} (first on line ${earlier})`);
    this.seriesSeen.set(key, c.lineNumber);
  }
}
