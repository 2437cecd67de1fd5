/**
 * Reads the tokens of one exposition line: names, label sets, numbers, escaped
 * strings. Shared by the text 0.0.4 and OpenMetrics parsers; `strict` is the
 * OpenMetrics dialect (single spaces, no trailing commas, float timestamps).
 */

const METRIC_NAME = /[a-zA-Z_:][a-zA-Z0-9_:]*/y;
const LABEL_NAME = /[a-zA-Z_][a-zA-Z0-9_]*/y;
const NUMBER = /[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const SPECIAL_NUMBER = /(?:[+-]?(?:inf(?:inity)?)|nan)(?![a-zA-Z0-9_])/iy;
const INTEGER = /-?\d+/y;

/** A malformed exposition; `line` is 1-based. */
export class ExpositionParseError extends Error {
  override readonly name = 'ExpositionParseError';
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

/**
 * The escape sequences a quoted or HELP string translates. Any other backslash pair is
 * kept as written: OpenMetrics' grammar has `escaped-char =/ BS normal-char`, and
 * Prometheus' text parser only replaces the sequences it knows.
 */
export type Escapes = Readonly<Record<string, string>>;

export const LABEL_VALUE_ESCAPES: Escapes = { '\\': '\\', '"': '"', n: '\n' };
export const TEXT_HELP_ESCAPES: Escapes = { '\\': '\\', n: '\n' };
export const OPENMETRICS_HELP_ESCAPES: Escapes = LABEL_VALUE_ESCAPES;

export class LineCursor {
  pos = 0;

  constructor(
    readonly text: string,
    readonly lineNumber: number,
    readonly strict: boolean,
  ) {}

  fail(reason: string): never {
    throw new ExpositionParseError(this.lineNumber, `${reason} (column ${this.pos + 1}: ${JSON.stringify(this.text)})`);
  }

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  peek(): string {
    return this.text[this.pos] ?? '';
  }

  /** Consumes `expected` or fails naming it. */
  expect(expected: string, what: string = `'${expected}'`): void {
    if (!this.text.startsWith(expected, this.pos)) this.fail(`expected ${what}`);
    this.pos += expected.length;
  }

  /** Spaces and tabs the text format allows between tokens; OpenMetrics allows none. */
  skipOptionalBlanks(): void {
    if (this.strict) return;
    while (this.peek() === ' ' || this.peek() === '\t') this.pos++;
  }

  /** The separator between tokens: exactly one space in OpenMetrics, blanks in text. */
  separator(what: string): void {
    if (this.strict) {
      this.expect(' ', `a single space before ${what}`);
      if (this.peek() === ' ') this.fail(`expected a single space before ${what}, found several`);
      return;
    }
    if (this.peek() !== ' ' && this.peek() !== '\t') this.fail(`expected whitespace before ${what}`);
    this.skipOptionalBlanks();
  }

  private match(re: RegExp): string | undefined {
    re.lastIndex = this.pos;
    const m = re.exec(this.text);
    if (m === null) return undefined;
    this.pos += m[0].length;
    return m[0];
  }

  metricName(): string {
    return this.match(METRIC_NAME) ?? this.fail('expected a metric name matching [a-zA-Z_:][a-zA-Z0-9_:]*');
  }

  labelName(): string {
    return this.match(LABEL_NAME) ?? this.fail('expected a label name matching [a-zA-Z_][a-zA-Z0-9_]*');
  }

  /** A double-quoted label value, unescaped. */
  quoted(): string {
    this.expect('"', 'a double-quoted label value');
    let out = '';
    for (;;) {
      const end = this.text.indexOf('"', this.pos);
      const backslash = this.text.indexOf('\\', this.pos);
      if (end < 0) this.fail('unterminated label value (missing closing ")');
      if (backslash >= 0 && backslash < end) {
        out += this.text.slice(this.pos, backslash);
        this.pos = backslash;
        out += this.escape(LABEL_VALUE_ESCAPES, 'label value');
        continue;
      }
      out += this.text.slice(this.pos, end);
      this.pos = end + 1;
      return out;
    }
  }

  /** Unescapes the rest of the line (HELP text). */
  restEscaped(escapes: Escapes): string {
    let out = '';
    while (!this.atEnd()) {
      const backslash = this.text.indexOf('\\', this.pos);
      if (backslash < 0) {
        out += this.text.slice(this.pos);
        this.pos = this.text.length;
        break;
      }
      out += this.text.slice(this.pos, backslash);
      this.pos = backslash;
      out += this.escape(escapes, 'HELP text');
    }
    return out;
  }

  private escape(escapes: Escapes, where: string): string {
    const c = this.text[this.pos + 1];
    if (c === undefined) {
      // OpenMetrics' grammar needs a character after every backslash; Prometheus'
      // text parser keeps a lone final backslash of a HELP line as it is.
      if (this.strict) this.fail(`a backslash ends the ${where}: write '\\\\' for a backslash`);
      this.pos += 1;
      return '\\';
    }
    this.pos += 2;
    return Object.hasOwn(escapes, c) ? escapes[c] : `\\${c}`;
  }

  /**
   * `{name="value",...}` into [name, value] pairs, in order. The text format allows
   * blanks around tokens and a trailing comma; OpenMetrics allows neither.
   */
  labelSet(): Array<[string, string]> {
    this.expect('{');
    const pairs: Array<[string, string]> = [];
    const seen = new Set<string>();
    this.skipOptionalBlanks();
    while (this.peek() !== '}') {
      if (this.atEnd()) this.fail("unterminated label set (missing '}')");
      const start = this.pos;
      const name = this.labelName();
      if (seen.has(name)) {
        this.pos = start;
        this.fail(`label '${name}' appears twice in one label set`);
      }
      seen.add(name);
      this.skipOptionalBlanks();
      this.expect('=', `'=' after label name '${name}'`);
      this.skipOptionalBlanks();
      pairs.push([name, this.quoted()]);
      this.skipOptionalBlanks();
      if (this.peek() === ',') {
        this.pos++;
        this.skipOptionalBlanks();
        if (this.strict && this.peek() === '}') this.fail('trailing comma in label set');
      } else if (this.peek() !== '}') {
        this.fail("expected ',' or '}' after a label value");
      }
    }
    this.pos++;
    return pairs;
  }

  /** A float as both formats spell it: decimal or exponent, `[+-]Inf`, `NaN` (case-insensitive). */
  number(what: string): number {
    const special = this.match(SPECIAL_NUMBER);
    if (special !== undefined) {
      const lower = special.toLowerCase();
      if (lower === 'nan') return NaN;
      return lower.startsWith('-') ? -Infinity : Infinity;
    }
    const text = this.match(NUMBER) ?? this.fail(`expected ${what} (a number, +Inf, -Inf or NaN)`);
    return Number(text);
  }

  /** Text format timestamps are integer milliseconds; returned in seconds. */
  integerMilliseconds(): number {
    const text = this.match(INTEGER) ?? this.fail('expected a timestamp in integer milliseconds');
    return Number(text) / 1000;
  }

  /** Fails unless only the allowed trailing blanks remain. */
  end(what: string): void {
    this.skipOptionalBlanks();
    if (!this.atEnd()) this.fail(`unexpected text after ${what}`);
  }
}
