/**
 * One rule of OpenMetrics 1.0 per case, each named by the specification's own sentence
 * (specification/OpenMetrics.md). Every case has a valid exposition the parser accepts
 * and a minimal change of it that breaks exactly that rule, which it must reject on the
 * right line: so a case fails both when the rule is missing and when it over-reaches.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseOpenMetrics } from '../../src/exposition/parser.js';
import { testRules, type ParserRule } from './parser-rules.js';

const om = (lines: string[]): string => [...lines, '# EOF', ''].join('\n');

const rules: ParserRule[] = [
  // Values
  {
    spec: 'A Total is a non-NaN and MUST be monotonically non-decreasing over time, starting from 0.',
    valid: ['# TYPE c counter', 'c_total 0'],
    invalid: ['# TYPE c counter', 'c_total -1'],
    line: 2,
    reason: /counter total 'c_total' must not be NaN or negative, got -1/,
  },
  {
    spec: 'A Total is a non-NaN ...',
    valid: ['# TYPE c counter', 'c_total +Inf'],
    invalid: ['# TYPE c counter', 'c_total NaN'],
    line: 2,
    reason: /must not be NaN or negative, got NaN/,
  },
  {
    spec: 'Semantically, Sum, and buckets values are counters so MUST NOT be NaN or negative.',
    valid: ['# TYPE h histogram', 'h_bucket{le="1.0"} 0', 'h_bucket{le="+Inf"} 0'],
    invalid: ['# TYPE h histogram', 'h_bucket{le="1.0"} -1', 'h_bucket{le="+Inf"} 0'],
    line: 2,
    reason: /bucket 'h_bucket\{le="1.0"\}' must not be NaN or negative/,
  },
  {
    spec: 'Semantically, Sum, and buckets values are counters so MUST NOT be NaN or negative.',
    valid: ['# TYPE h histogram', 'h_bucket{le="+Inf"} 1', 'h_count 1', 'h_sum 0.5'],
    invalid: ['# TYPE h histogram', 'h_bucket{le="+Inf"} 1', 'h_count 1', 'h_sum NaN'],
    line: 4,
    reason: /histogram sum 'h_sum' must not be NaN/,
  },
  {
    // The letter forbids any sum beside negative thresholds; client libraries emit one and
    // Prometheus ingests it, so only a negative sum without them is refused (docs/api.md).
    spec: 'Semantically, Sum, and buckets values are counters so MUST NOT be NaN or negative. Negative threshold buckets MAY be used',
    valid: ['# TYPE h histogram', 'h_bucket{le="-1.0"} 1', 'h_bucket{le="+Inf"} 1', 'h_count 1', 'h_sum -2'],
    invalid: ['# TYPE h histogram', 'h_bucket{le="1.0"} 1', 'h_bucket{le="+Inf"} 1', 'h_count 1', 'h_sum -2'],
    line: 5,
    reason: /with no negative bucket threshold the sum must not be negative/,
  },
  {
    spec: 'Count and bucket values MUST be integers.',
    valid: ['# TYPE h histogram', 'h_bucket{le="+Inf"} 2.0', 'h_count 2', 'h_sum 1.5'],
    invalid: ['# TYPE h histogram', 'h_bucket{le="+Inf"} 2.5', 'h_count 2.5', 'h_sum 1.5'],
    line: 2,
    reason: /must be an integer, got 2.5/,
  },
  {
    spec: 'Count and bucket values MUST be integers.',
    valid: ['# TYPE h histogram', 'h_bucket{le="+Inf"} 2', 'h_count 2', 'h_sum 1'],
    invalid: ['# TYPE h histogram', 'h_bucket{le="+Inf"} 2', 'h_count -2', 'h_sum 1'],
    line: 3,
    reason: /histogram count 'h_count' must not be NaN or negative/,
  },
  {
    spec: 'Bucket thresholds MUST NOT equal NaN.',
    valid: ['# TYPE h histogram', 'h_bucket{le="0.5"} 0', 'h_bucket{le="+Inf"} 0'],
    invalid: ['# TYPE h histogram', 'h_bucket{le="NaN"} 0', 'h_bucket{le="+Inf"} 0'],
    line: 2,
    reason: /bucket thresholds must not be NaN/,
  },
  {
    spec: 'Every bucket MUST have a threshold and a value.',
    valid: ['# TYPE h histogram', 'h_bucket{le="1e-05"} 0', 'h_bucket{le="+Inf"} 0'],
    invalid: ['# TYPE h histogram', 'h_bucket{le="fast"} 0', 'h_bucket{le="+Inf"} 0'],
    line: 2,
    reason: /le="fast", which is not a number/,
  },
  {
    spec: 'The bucket and Gsum of a GaugeHistogram are conceptually gauges, however bucket values MUST NOT be negative or NaN.',
    valid: ['# TYPE g gaugehistogram', 'g_bucket{le="+Inf"} 0', 'g_gcount 0', 'g_gsum 0'],
    invalid: ['# TYPE g gaugehistogram', 'g_bucket{le="+Inf"} NaN', 'g_gcount 0', 'g_gsum 0'],
    line: 2,
    reason: /must not be NaN or negative, got NaN/,
  },
  {
    spec: 'Gsum MUST NOT be NaN.',
    valid: ['# TYPE g gaugehistogram', 'g_bucket{le="-1.0"} 0', 'g_bucket{le="+Inf"} 1', 'g_gcount 1', 'g_gsum -3'],
    invalid: ['# TYPE g gaugehistogram', 'g_bucket{le="-1.0"} 0', 'g_bucket{le="+Inf"} 1', 'g_gcount 1', 'g_gsum NaN'],
    line: 5,
    reason: /gauge histogram sum 'g_gsum' must not be NaN/,
  },
  {
    spec: 'If negative threshold buckets are present, then sum MAY be negative.',
    valid: ['# TYPE g gaugehistogram', 'g_bucket{le="-1.0"} 0', 'g_bucket{le="+Inf"} 1', 'g_gcount 1', 'g_gsum -3'],
    invalid: ['# TYPE g gaugehistogram', 'g_bucket{le="1.0"} 0', 'g_bucket{le="+Inf"} 1', 'g_gcount 1', 'g_gsum -3'],
    line: 5,
    reason: /sum 'g_gsum' is -3, but with no negative bucket threshold/,
  },
  {
    spec: 'Semantically, Count and Sum values are counters so MUST NOT be NaN or negative. Count MUST be an integer.',
    valid: ['# TYPE s summary', 's_count 3', 's_sum 1.5'],
    invalid: ['# TYPE s summary', 's_count 3', 's_sum -1.5'],
    line: 3,
    reason: /summary sum 's_sum' must not be NaN or negative/,
  },
  {
    spec: 'Semantically, Count and Sum values are counters so MUST NOT be NaN or negative. Count MUST be an integer.',
    valid: ['# TYPE s summary', 's_count 3', 's_sum 1.5'],
    invalid: ['# TYPE s summary', 's_count 3.5', 's_sum 1.5'],
    line: 2,
    reason: /summary count 's_count' must be an integer/,
  },
  {
    spec: 'Quantiles MUST be between 0 and 1 inclusive.',
    valid: ['# TYPE s summary', 's{quantile="0.0"} 1', 's{quantile="1.0"} 2'],
    invalid: ['# TYPE s summary', 's{quantile="0.0"} 1', 's{quantile="1.5"} 2'],
    line: 3,
    reason: /quantiles must be between 0 and 1 inclusive/,
  },
  {
    spec: 'Quantile values MUST NOT be negative.',
    valid: ['# TYPE s summary', 's{quantile="0.5"} NaN'],
    invalid: ['# TYPE s summary', 's{quantile="0.5"} -0.1'],
    line: 2,
    reason: /quantile value of 's\{quantile="0.5"\}' must not be negative/,
  },
  {
    spec: 'If present, the MetricPoint\'s Quantile Values MUST specify the quantile measured using a label with a label name of "quantile" and with a label value of the quantile measured.',
    valid: ['# TYPE s summary', 's{quantile="0.99"} 1'],
    invalid: ['# TYPE s summary', 's{quantile="p99"} 1'],
    line: 2,
    reason: /quantile="p99", which is not a number/,
  },
  {
    spec: 'A Quantile\'s Metric\'s LabelSet MUST NOT have "quantile" label name.',
    valid: ['# TYPE s summary', 's_count{a="x"} 1', 's_sum{a="x"} 1'],
    invalid: ['# TYPE s summary', 's_count{quantile="x"} 1', 's_sum{quantile="x"} 1'],
    line: 2,
    reason: /'s_count' has a 'quantile' label/,
  },
  {
    spec: 'A Histogram\'s Metric\'s LabelSet MUST NOT have a "le" label name.',
    valid: ['# TYPE h histogram', 'h_bucket{le="+Inf"} 1', 'h_count 1', 'h_sum 1'],
    invalid: ['# TYPE h histogram', 'h_bucket{le="+Inf"} 1', 'h_count{le="x"} 1', 'h_sum 1'],
    line: 3,
    reason: /'h_count' has a 'le' label/,
  },
  {
    spec: 'The Sample MetricName for the value of a MetricPoint for a MetricFamily of type Info MUST have the suffix "_info". The Sample value MUST always be 1.',
    valid: ['# TYPE i info', 'i_info{version="1.2"} 1'],
    invalid: ['# TYPE i info', 'i_info{version="1.2"} 2'],
    line: 2,
    reason: /info sample 'i_info' must have the value 1, got 2/,
  },
  {
    spec: "The State sample's value MUST be 1 if the State is true and MUST be 0 if the State is false.",
    valid: ['# TYPE st stateset', 'st{st="a"} 1', 'st{st="b"} 0'],
    invalid: ['# TYPE st stateset', 'st{st="a"} 1', 'st{st="b"} 0.5'],
    line: 3,
    reason: /stateset sample 'st' must be 0 or 1, got 0.5/,
  },
  {
    spec: "Each State's sample MUST have a label with the MetricFamily name as the label name and the State name as the label value.",
    valid: ['# TYPE st stateset', 'st{entity="x",st="a"} 1'],
    invalid: ['# TYPE st stateset', 'st{entity="x",state="a"} 1'],
    line: 2,
    reason: /stateset sample 'st' has no 'st' label naming its state/,
  },
  // Histogram structure
  {
    spec: 'Histogram MetricPoints MUST have one bucket with an +Inf threshold.',
    valid: ['# TYPE h histogram', 'h_bucket{le="1.0"} 1', 'h_bucket{le="+Inf"} 1'],
    invalid: ['# TYPE h histogram', 'h_bucket{le="1.0"} 1', 'h_bucket{le="2.0"} 1'],
    line: 3,
    reason: /has no \+Inf bucket/,
  },
  {
    spec: 'A Histogram MetricPoint MUST contain at least one bucket',
    valid: ['# TYPE h histogram', 'h_bucket{le="+Inf"} 0', 'h_count 0', 'h_sum 0'],
    invalid: ['# TYPE h histogram', 'h_count 0', 'h_sum 0'],
    line: 2,
    reason: /has no \+Inf bucket/,
  },
  {
    spec: 'Buckets MUST be sorted in number increasing order of "le"',
    valid: ['# TYPE h histogram', 'h_bucket{le="0.5"} 0', 'h_bucket{le="10.0"} 1', 'h_bucket{le="+Inf"} 1'],
    invalid: ['# TYPE h histogram', 'h_bucket{le="10.0"} 0', 'h_bucket{le="0.5"} 1', 'h_bucket{le="+Inf"} 1'],
    line: 3,
    reason: /le="0.5" of h\{\} follows le="10.0": buckets must be in increasing order/,
  },
  {
    spec: 'Bucket thresholds within a MetricPoint MUST be unique.',
    valid: ['# TYPE h histogram', 'h_bucket{le="1.0"} 0', 'h_bucket{le="+Inf"} 0'],
    invalid: ['# TYPE h histogram', 'h_bucket{le="1.0"} 0', 'h_bucket{le="1"} 0', 'h_bucket{le="+Inf"} 0'],
    line: 3,
    reason: /each threshold once/,
  },
  {
    spec: 'Buckets MUST be cumulative.',
    valid: ['# TYPE h histogram', 'h_bucket{le="1.0"} 3', 'h_bucket{le="2.0"} 3', 'h_bucket{le="+Inf"} 4'],
    invalid: ['# TYPE h histogram', 'h_bucket{le="1.0"} 3', 'h_bucket{le="2.0"} 2', 'h_bucket{le="+Inf"} 4'],
    line: 3,
    reason: /counts 2, less than 3 .*: buckets must be cumulative/,
  },
  {
    spec: 'If and only if a Sum Value is present in a MetricPoint, then the MetricPoint\'s +Inf Bucket value MUST also appear in a Sample with a MetricName with the suffix "_count".',
    valid: ['# TYPE h histogram', 'h_bucket{le="+Inf"} 4', 'h_count 4', 'h_sum 2'],
    invalid: ['# TYPE h histogram', 'h_bucket{le="+Inf"} 4', 'h_count 3', 'h_sum 2'],
    line: 3,
    reason: /'h_count' is 3 but the \+Inf bucket of h\{\} is 4/,
  },
  {
    spec: 'If and only if a Sum Value is present in a MetricPoint, then the MetricPoint\'s +Inf Bucket value MUST also appear in a Sample with a MetricName with the suffix "_count".',
    valid: ['# TYPE h histogram', 'h_bucket{le="+Inf"} 4'],
    invalid: ['# TYPE h histogram', 'h_bucket{le="+Inf"} 4', 'h_sum 2'],
    line: 3,
    reason: /has 'h_sum' without 'h_count'/,
  },
  {
    spec: 'If and only if a Sum Value is present in a MetricPoint, then the MetricPoint\'s +Inf Bucket value MUST also appear in a Sample with a MetricName with the suffix "_gcount".',
    valid: ['# TYPE g gaugehistogram', 'g_bucket{le="+Inf"} 4', 'g_gcount 4', 'g_gsum 2'],
    invalid: ['# TYPE g gaugehistogram', 'g_bucket{le="+Inf"} 4', 'g_gcount 4'],
    line: 3,
    reason: /has 'g_gcount' without 'g_gsum'/,
  },
  {
    spec: 'Each bucket covers the values less and or equal to it, and the value of the exemplar MUST be within this range.',
    valid: ['# TYPE h histogram', 'h_bucket{le="1.0"} 1 # {id="a"} 1.0', 'h_bucket{le="+Inf"} 1'],
    invalid: ['# TYPE h histogram', 'h_bucket{le="1.0"} 1 # {id="a"} 1.5', 'h_bucket{le="+Inf"} 1'],
    line: 2,
    reason: /exemplar value 1.5 is above its bucket le="1.0"/,
  },
  {
    spec: 'A MetricPoint in a Metric with the type Counter MUST have one value called Total.',
    valid: ['# TYPE c counter', 'c_total 1', 'c_created 1700000000'],
    invalid: ['# TYPE c counter', 'c_created 1700000000'],
    line: 2,
    reason: /has no 'c_total' sample/,
  },
  // Metadata
  {
    spec: 'metric-descriptor =/ HASH SP help SP metricname SP escaped-string LF',
    valid: ['# HELP a ', 'a 1'],
    invalid: ['# HELP a', 'a 1'],
    line: 1,
    reason: /expected a space after the metric name, before the help text/,
  },
  {
    spec: 'metric-descriptor =/ HASH SP unit SP metricname SP *metricname-char LF',
    valid: ['# UNIT a_seconds ', 'a_seconds 1'],
    invalid: ['# UNIT a_seconds', 'a_seconds 1'],
    line: 1,
    reason: /expected a space after the metric name, before the unit/,
  },
  {
    spec: 'MetricFamilies of type Info MUST have an empty Unit string.',
    valid: ['# TYPE i_bytes info', '# UNIT i_bytes ', 'i_bytes_info 1'],
    invalid: ['# TYPE i_bytes info', '# UNIT i_bytes bytes', 'i_bytes_info 1'],
    line: 2,
    reason: /info family 'i_bytes' has the unit 'bytes'/,
  },
  {
    spec: 'MetricFamilies of type StateSets MUST have an empty Unit string.',
    valid: ['# TYPE s_bytes stateset', 's_bytes{s_bytes="a"} 1'],
    invalid: ['# UNIT s_bytes bytes', '# TYPE s_bytes stateset', 's_bytes{s_bytes="a"} 1'],
    line: 2,
    reason: /stateset family 's_bytes' has the unit 'bytes'/,
  },
  {
    spec: 'The name of a MetricFamily MUST NOT result in a potential clash for sample metric names as per the ABNF with another MetricFamily in the Text Format within a MetricSet.',
    valid: ['# TYPE foo counter', 'foo_total 1', '# TYPE foo_created_at gauge', 'foo_created_at 1'],
    invalid: ['# TYPE foo counter', 'foo_total 1', '# TYPE foo_created gauge', 'foo_created 1'],
    line: 3,
    reason: /gauge family 'foo_created' clashes with counter family 'foo' \(line 1\): both may expose a sample named 'foo_created'/,
  },
  {
    spec: 'An example would be a gauge called "foo_created" as a counter called "foo" could create a "foo_created" in the text format.',
    valid: ['# TYPE x gauge', 'x 1', '# TYPE y counter', 'y_total 1'],
    invalid: ['# TYPE x_total gauge', 'x_total 1', '# TYPE x counter', 'x_total 1'],
    line: 3,
    reason: /counter family 'x' clashes with gauge family 'x_total'/,
  },
  {
    spec: "Info: '_info' (suffixes for the respective types)",
    valid: ['# TYPE build info', 'build_info 1', '# TYPE build_other gauge', 'build_other 1'],
    invalid: ['# TYPE build info', 'build_info 1', '# TYPE build_info gauge', 'build_info 1'],
    line: 3,
    reason: /gauge family 'build_info' clashes with info family 'build'/,
  },
  // Grouping and timestamps
  {
    spec: 'Metrics MUST NOT be interleaved.',
    valid: ['# TYPE s summary', 's_count{a="bb"} 0', 's_sum{a="bb"} 0', 's_count{a="ccc"} 0', 's_sum{a="ccc"} 0'],
    invalid: ['# TYPE s summary', 's_count{a="bb"} 0', 's_count{a="ccc"} 0', 's_sum{a="bb"} 0', 's_sum{a="ccc"} 0'],
    line: 4,
    reason: /metric s\{a="bb"\} \(started line 2\) continues after another metric of the family: metrics must not be interleaved/,
  },
  {
    spec: 'MetricPoints MUST NOT be interleaved.',
    valid: ['# TYPE s summary', 's_count{a="bb"} 0 123', 's_sum{a="bb"} 0 123', 's_count{a="bb"} 0 456', 's_sum{a="bb"} 0 456'],
    invalid: ['# TYPE s summary', 's_count{a="bb"} 0 123', 's_count{a="bb"} 0 456', 's_sum{a="bb"} 0 123', 's_sum{a="bb"} 0 456'],
    line: 4,
    reason: /metric point at timestamp 123 follows one at 456/,
  },
  {
    spec: 'If more than one MetricPoint is exposed for a Metric, then its MetricPoints MUST have monotonically increasing timestamps.',
    valid: ['# TYPE g gauge', 'g 17.0 123', 'g 18.0 456'],
    invalid: ['# TYPE g gauge', 'g 17.0 456', 'g 18.0 123'],
    line: 3,
    reason: /increasing timestamps/,
  },
  {
    spec: 'If more than one MetricPoint is exposed for a Metric, then its MetricPoints MUST have monotonically increasing timestamps.',
    valid: ['# TYPE g gauge', 'g 17.0 123', 'g 18.0 456'],
    invalid: ['# TYPE g gauge', 'g 17.0', 'g 18.0 456'],
    line: 3,
    reason: /a metric with several points needs one on each/,
  },
  {
    spec: 'Every Metric within a MetricFamily MUST have a unique LabelSet.',
    valid: ['# TYPE g gauge', 'g{a="1"} 1', 'g{a="2"} 1'],
    invalid: ['# TYPE g gauge', 'g{a="1"} 1', 'g{a="1"} 2'],
    line: 3,
    reason: /duplicate series g\{a="1"\} in one metric point \(first on line 2\)/,
  },
  // Escapes
  {
    spec: 'escaped-char =/ BS normal-char',
    valid: ['a{b="x\\\\y"} 1'],
    invalid: ['a{b="x\\"} 1'],
    line: 1,
    reason: /unterminated label value/,
  },
];

describe('OpenMetrics 1.0 rules, each quoted from the specification', () => testRules(rules, parseOpenMetrics, om));

describe('OpenMetrics 1.0: valid input that used to be refused', () => {
  test('escaped-char =/ BS normal-char: an unknown escape keeps its backslash, in label values and HELP', () => {
    const parsed = parseOpenMetrics(om(['# HELP a tab \\t, quote \\", backslash \\\\', 'a{path="C:\\dir\\n",x="\\q"} 1']));
    const [family] = parsed.families;
    assert.equal(family.help, 'tab \\t, quote ", backslash \\');
    assert.deepEqual(family.samples[0].labels, { path: 'C:\\dir\n', x: '\\q' });
  });

  test("several MetricPoints of one Metric, with increasing timestamps (the specification's own example)", () => {
    const parsed = parseOpenMetrics(
      om([
        '# TYPE foo_seconds summary',
        '# UNIT foo_seconds seconds',
        'foo_seconds_count{a="bb"} 0 123',
        'foo_seconds_sum{a="bb"} 0 123',
        'foo_seconds_count{a="bb"} 0 456',
        'foo_seconds_sum{a="bb"} 0 456',
        'foo_seconds_count{a="ccc"} 0 123',
        'foo_seconds_sum{a="ccc"} 0 123',
        'foo_seconds_count{a="ccc"} 0 456',
        'foo_seconds_sum{a="ccc"} 0 456',
      ]),
    );
    assert.deepEqual(
      parsed.families[0].samples.map((s) => s.timestamp),
      [123, 123, 456, 456, 123, 123, 456, 456],
    );
  });

  test("the specification's histogram and exemplar examples parse", () => {
    parseOpenMetrics(
      om([
        '# TYPE foo histogram',
        'foo_bucket{le="0.0"} 0',
        'foo_bucket{le="1e-05"} 0',
        'foo_bucket{le="0.0001"} 5',
        'foo_bucket{le="0.1"} 8',
        'foo_bucket{le="1.0"} 10',
        'foo_bucket{le="10.0"} 11',
        'foo_bucket{le="100000.0"} 11',
        'foo_bucket{le="1e+06"} 15',
        'foo_bucket{le="1e+23"} 16',
        'foo_bucket{le="1.1e+23"} 17',
        'foo_bucket{le="+Inf"} 17',
        'foo_count 17',
        'foo_sum 324789.3',
        'foo_created 1520430000.123',
        '# TYPE bar histogram',
        'bar_bucket{le="0.01"} 0',
        'bar_bucket{le="0.1"} 8 # {} 0.054',
        'bar_bucket{le="1"} 11 # {trace_id="KOO5S4vxi0o"} 0.67',
        'bar_bucket{le="10"} 17 # {trace_id="oHg5SJYRHA0"} 9.8 1520879607.789',
        'bar_bucket{le="+Inf"} 17',
        'bar_count 17',
        'bar_sum 324789.3',
        '# TYPE st stateset',
        'st{entity="controller",st="a"} 1.0',
        'st{entity="controller",st="bb"} 0.0',
        'st{entity="replica",st="a"} 1.0',
        'st{entity="replica",st="bb"} 0.0',
        '# TYPE inf info',
        'inf_info{entity="controller",name="pretty name",version="8.2.7"} 1.0',
        'inf_info{entity="replica",name="prettier name",version="8.1.9"} 1.0',
      ]),
    );
  });
});
