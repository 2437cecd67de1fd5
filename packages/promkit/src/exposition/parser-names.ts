/**
 * OpenMetrics: "The name of a MetricFamily MUST NOT result in a potential clash for
 * sample metric names ... with another MetricFamily": a gauge `foo_created` clashes with
 * a counter `foo`, whose samples may be named `foo_created`. Every family claims the
 * sample names its type may produce; a second claim on one name is the error.
 */
import { ExpositionParseError } from './parser-line.js';
import type { ParsedFamily } from './parser.js';

export class SampleNameClaims {
  private readonly claims = new Map<string, ParsedFamily>();

  constructor(private readonly suffixes: Readonly<Record<string, readonly string[]>>) {}

  claim(family: ParsedFamily): void {
    const names = (this.suffixes[family.type] ?? ['']).map((suffix) => family.name + suffix);
    for (const name of names) {
      const other = this.claims.get(name);
      if (other !== undefined && other !== family) {
        throw new ExpositionParseError(
          family.line,
          `${family.type} family '${family.name}' clashes with ${other.type} family '${other.name}' (line ${other.line}): both may expose a sample named '${name}'`,
        );
      }
    }
    for (const name of names) this.claims.set(name, family);
  }
}
