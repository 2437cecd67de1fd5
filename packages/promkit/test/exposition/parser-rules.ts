/** Runs a table of parser rules: each has a valid exposition that must parse and a broken one that must fail on the right line for the right reason. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ExpositionParseError } from '../../src/exposition/parser.js';

export interface ParserRule {
  /** The specification's sentence. */
  spec: string;
  valid: string[];
  invalid: string[];
  line: number;
  reason: RegExp;
}

function rejection(parse: (text: string) => unknown, text: string): ExpositionParseError {
  try {
    parse(text);
  } catch (error) {
    assert.ok(error instanceof ExpositionParseError, `expected ExpositionParseError, got ${String(error)}`);
    return error;
  }
  assert.fail(`accepted:\n${text}`);
}

/** One test per rule; `render` turns a rule's lines into the exposition text. */
export function testRules(rules: readonly ParserRule[], parse: (text: string) => unknown, render: (lines: string[]) => string): void {
  for (const [i, rule] of rules.entries()) {
    test(`${i + 1}. ${rule.spec}`, () => {
      assert.doesNotThrow(() => parse(render(rule.valid)), 'the valid exposition must be accepted');
      const error = rejection(parse, render(rule.invalid));
      assert.equal(error.line, rule.line, error.message);
      assert.match(error.reason, rule.reason);
    });
  }
}
