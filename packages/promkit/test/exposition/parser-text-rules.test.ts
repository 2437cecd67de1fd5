/**
 * Prometheus text format 0.0.4, one rule per case, each named by the sentence of
 * Prometheus' "Exposition formats" page (or, where the page is silent, the behaviour of
 * Prometheus' own text parser, model/textparse/promparse.go). Each case has a valid
 * exposition that must parse and a minimal change that must be rejected on its line.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parsePrometheusText } from '../../src/exposition/parser.js';
import { testRules, type ParserRule } from './parser-rules.js';

const text = (lines: string[]): string => [...lines, ''].join('\n');

const rules: ParserRule[] = [
  {
    spec: 'A histogram _must_ have a bucket with {le="+Inf"}.',
    valid: ['# TYPE h histogram', 'h_bucket{le="0.1"} 1', 'h_bucket{le="+Inf"} 2', 'h_sum 0.3', 'h_count 2'],
    invalid: ['# TYPE h histogram', 'h_bucket{le="0.1"} 1', 'h_sum 0.3', 'h_count 2'],
    line: 2,
    reason: /has no \+Inf bucket/,
  },
  {
    spec: 'Its value _must_ be identical to the value of x_count.',
    valid: ['# TYPE h histogram', 'h_bucket{le="+Inf"} 2', 'h_sum 0.3', 'h_count 2'],
    invalid: ['# TYPE h histogram', 'h_bucket{le="+Inf"} 2', 'h_sum 0.3', 'h_count 3'],
    line: 4,
    reason: /'h_count' is 3 but the \+Inf bucket of h\{\} is 2/,
  },
  {
    spec: 'The buckets of a histogram and the quantiles of a summary must appear in increasing numerical order of their label values (for the le or the quantile label, respectively).',
    valid: ['# TYPE h histogram', 'h_bucket{a="x",le="0.5"} 1', 'h_bucket{a="x",le="5"} 1', 'h_bucket{a="x",le="+Inf"} 1'],
    invalid: ['# TYPE h histogram', 'h_bucket{a="x",le="5"} 1', 'h_bucket{a="x",le="0.5"} 1', 'h_bucket{a="x",le="+Inf"} 1'],
    line: 3,
    reason: /le="0.5" of h\{a="x"\} follows le="5"/,
  },
  {
    spec: 'The buckets of a histogram and the quantiles of a summary must appear in increasing numerical order of their label values (for the le or the quantile label, respectively).',
    valid: ['# TYPE s summary', 's{quantile="0.5"} 1', 's{quantile="0.99"} 2', 's_sum 3', 's_count 2'],
    invalid: ['# TYPE s summary', 's{quantile="0.99"} 2', 's{quantile="0.5"} 1', 's_sum 3', 's_count 2'],
    line: 3,
    reason: /quantile="0.5" of s\{\} follows quantile="0.99": quantiles must be in increasing order/,
  },
  {
    spec: 'Each bucket count of a histogram named x is given as a separate sample line with the name x_bucket and a label {le="y"} (where y is the upper bound of the bucket).',
    valid: ['# TYPE h histogram', 'h_bucket{le="1e-3"} 0', 'h_bucket{le="+Inf"} 0'],
    invalid: ['# TYPE h histogram', 'h_bucket{le="small"} 0', 'h_bucket{le="+Inf"} 0'],
    line: 2,
    reason: /le="small", which is not a number/,
  },
  {
    spec: 'Each quantile of a summary named x is given as a separate sample line with the same name x and a label {quantile="y"}.',
    valid: ['# TYPE s summary', 's{quantile="0.5"} 1'],
    invalid: ['# TYPE s summary', 's{quantile="median"} 1'],
    line: 2,
    reason: /quantile="median", which is not a number/,
  },
  {
    spec: 'Each line must have a unique combination of metric name and labels.',
    valid: ['m{a="1"} 1 1000', 'm{a="2"} 1 2000'],
    invalid: ['m{a="1"} 1 1000', 'm{a="1"} 1 2000'],
    line: 2,
    reason: /duplicate series m\{a="1"\}/,
  },
  {
    spec: 'If the token is TYPE, exactly two more tokens are expected. (promparse.go: the type is the rest of the line after one blank, matched exactly)',
    valid: ['# TYPE m gauge', 'm 1'],
    invalid: ['# TYPE m gauge ', 'm 1'],
    line: 1,
    reason: /unknown metric type 'gauge '/,
  },
];

describe('Prometheus text 0.0.4 rules, each quoted from the format description', () => testRules(rules, parsePrometheusText, text));

describe("Prometheus text 0.0.4: what Prometheus' own parser accepts", () => {
  test('label_value ... the backslash, the double-quote, and the line-feed characters have to be escaped: other escapes are kept as written (promparse.go replaces only those three)', () => {
    const [family] = parsePrometheusText('m{path="C:\\dir\\\\x",q="\\"",t="\\t"} 1\n').families;
    assert.deepEqual(family.samples[0].labels, { path: 'C:\\dir\\x', q: '"', t: '\\t' });
  });

  test('HELP lines ... the backslash and the line-feed characters have to be escaped as \\\\ and \\n: a \\" stays as written, as does a final backslash', () => {
    const [a, b] = parsePrometheusText('# HELP a say \\"hi\\"\\nbye\n# HELP b ends with \\\n').families;
    assert.equal(a.help, 'say \\"hi\\"\nbye');
    assert.equal(b.help, 'ends with \\');
  });

  test('All remaining tokens are considered the docstring: one blank after the name separates, further blanks belong to the help text', () => {
    const [a, b, c] = parsePrometheusText('# HELP a   padded\n# HELP b\n# HELP c \n').families;
    assert.equal(a.help, '  padded');
    assert.equal(b.help, '');
    assert.equal(c.help, '');
  });

  test('Empty lines are ignored; other comments are ignored; tokens may be separated by blanks and tabs', () => {
    const parsed = parsePrometheusText('\n# a comment\n#\n# \tTYPE g gauge\n  g { a = "x" , }\t 1 \t 1000 \n');
    assert.deepEqual(parsed.families[0].samples[0], { name: 'g', labels: { a: 'x' }, value: 1, timestamp: 1, line: 5 });
    assert.equal(parsed.families[0].type, 'gauge');
  });

  test('values are not checked in text 0.0.4 (the format says nothing about them): a negative counter parses', () => {
    assert.equal(parsePrometheusText('# TYPE c counter\nc -1\n').families[0].samples[0].value, -1);
  });
});
