import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ExpositionParseError, parseExposition, parseOpenMetrics, parsePrometheusText, seriesKey } from '../../src/exposition/parser.js';

/** Asserts that parsing fails on `line` with a reason matching `reason`. */
function assertRejects(text: string, format: 'prometheus' | 'openmetrics', line: number, reason: RegExp): void {
  assert.throws(
    () => parseExposition(text, format),
    (error: unknown) => {
      assert.ok(error instanceof ExpositionParseError, `expected ExpositionParseError, got ${String(error)}`);
      assert.equal(error.line, line, `wrong line in: ${error.message}`);
      assert.match(error.reason, reason);
      assert.match(error.message, new RegExp(`^line ${line}: `));
      return true;
    },
  );
}

describe('parser: Prometheus text 0.0.4', () => {
  test('families, types, help, labels, values and timestamps', () => {
    const parsed = parsePrometheusText(
      `${[
        '# HELP http_requests_total Requests served.\\nSecond line \\\\ done',
        '# TYPE http_requests_total counter',
        'http_requests_total{method="post",code="200"} 1027 1395066363000',
        'http_requests_total{method="post",code="400"}    3 1395066363000',
        '',
        '# A plain comment is ignored',
        '# TYPE temp gauge',
        'temp NaN',
        'temp_other +Inf',
        'neg{a="b",} -Inf',
        'exp 1.5e-3',
        '  spaced { a = "x" , b="y" }  7  ',
      ].join('\n')}\n`,
    );
    assert.equal(parsed.format, 'prometheus');
    assert.deepEqual(
      parsed.families.map((f) => [f.name, f.type, f.samples.length]),
      [
        ['http_requests_total', 'counter', 2],
        ['temp', 'gauge', 1],
        ['temp_other', 'untyped', 1],
        ['neg', 'untyped', 1],
        ['exp', 'untyped', 1],
        ['spaced', 'untyped', 1],
      ],
    );
    const [requests, temp, inf, neg, exp, spaced] = parsed.families;
    assert.equal(requests.help, 'Requests served.\nSecond line \\ done');
    assert.deepEqual(requests.samples[0], {
      name: 'http_requests_total',
      labels: { method: 'post', code: '200' },
      value: 1027,
      timestamp: 1395066363,
      line: 3,
    });
    assert.equal(requests.samples[1].value, 3);
    assert.ok(Number.isNaN(temp.samples[0].value));
    assert.equal(inf.samples[0].value, Infinity);
    assert.equal(neg.samples[0].value, -Infinity);
    assert.deepEqual(neg.samples[0].labels, { a: 'b' });
    assert.equal(exp.samples[0].value, 0.0015);
    assert.deepEqual(spaced.samples[0].labels, { a: 'x', b: 'y' });
    assert.equal(spaced.samples[0].value, 7);
  });

  test('label values are unescaped; unicode passes through', () => {
    const parsed = parsePrometheusText('m{a="q\\"uote",b="back\\\\slash",c="new\\nline",d="ünï😀",e=""} 1\n');
    assert.deepEqual(parsed.families[0].samples[0].labels, { a: 'q"uote', b: 'back\\slash', c: 'new\nline', d: 'ünï😀', e: '' });
  });

  test('histograms and summaries group their suffixed samples', () => {
    const parsed = parsePrometheusText(
      [
        '# TYPE lat histogram',
        'lat_bucket{le="0.1"} 1',
        'lat_bucket{le="+Inf"} 2',
        'lat_sum 0.3',
        'lat_count 2',
        '# TYPE rpc summary',
        'rpc{quantile="0.5"} 4',
        'rpc_sum 8',
        'rpc_count 2',
      ].join('\n'),
    );
    assert.deepEqual(
      parsed.families.map((f) => [f.name, f.type, f.samples.map((s) => s.name)]),
      [
        ['lat', 'histogram', ['lat_bucket', 'lat_bucket', 'lat_sum', 'lat_count']],
        ['rpc', 'summary', ['rpc', 'rpc_sum', 'rpc_count']],
      ],
    );
  });

  test('a label named __proto__ is an own property, not a prototype change', () => {
    const labels = parsePrometheusText('m{__proto__="x"} 1').families[0].samples[0].labels;
    assert.deepEqual(Object.keys(labels), ['__proto__']);
    assert.equal(Object.getPrototypeOf(labels), Object.prototype);
  });

  test('metadata without samples is a family with no samples', () => {
    const parsed = parsePrometheusText('# HELP idle Never touched.\n# TYPE idle counter\n');
    assert.deepEqual(parsed.families, [{ name: 'idle', type: 'counter', help: 'Never touched.', samples: [], line: 1 }]);
  });

  test('empty input has no families', () => {
    assert.deepEqual(parsePrometheusText('').families, []);
  });

  const malformed: Array<[string, string, number, RegExp]> = [
    ['bad metric name', 'ok 1\n1abc 2', 2, /metric name/],
    ['bad label name', 'm{1a="x"} 1', 1, /label name/],
    ['unterminated label value', 'm{a="x} 1', 1, /unterminated label value/],
    ['duplicate label', 'm{a="1",a="2"} 1', 1, /label 'a' appears twice/],
    ['missing value', 'm{a="1"}', 1, /whitespace before the sample value/],
    ['bad value', 'm 12abc', 1, /unexpected text after the sample/],
    ['word value', 'm up', 1, /expected the sample value/],
    ['float timestamp', 'm 1 1.5', 1, /unexpected text/],
    ['unknown type', '# TYPE m meter', 1, /unknown metric type 'meter'/],
    ['second TYPE', '# TYPE m gauge\n# TYPE m gauge', 2, /second TYPE line for 'm'/],
    ['second HELP', '# HELP m a\n# HELP m b', 2, /second HELP line for 'm'/],
    ['TYPE after samples', 'm 1\n# TYPE m gauge', 2, /TYPE for 'm' after its samples/],
    ['family split in two groups', '# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\na{x="y"} 2', 5, /family 'a' .* one group/],
    ['metadata for an ended family', '# TYPE a gauge\na 1\nb 1\n# HELP a late', 4, /family 'a', which ended earlier/],
    ['duplicate series', 'm{a="1",b="2"} 1\nm{b="2",a="1"} 2', 2, /duplicate series m\{a="1",b="2"\} \(first on line 1\)/],
    ['bucket without le', '# TYPE h histogram\nh_bucket{a="x"} 1', 2, /no 'le' label/],
    ['summary quantile without quantile', '# TYPE s summary\ns 1', 2, /no 'quantile' label/],
    ['unterminated label set', 'm{a="1" 2', 1, /expected ',' or '}'/],
  ];
  for (const [what, text, line, reason] of malformed) {
    test(`rejects ${what} with its line number`, () => assertRejects(text, 'prometheus', line, reason));
  }
});

describe('parser: OpenMetrics 1.0', () => {
  test('families with UNIT, _total/_created, exemplars and float timestamps', () => {
    const parsed = parseOpenMetrics(
      `${[
        '# HELP req Requests with a \\"quote\\".',
        '# TYPE req counter',
        'req_total{code="200"} 5 # {trace_id="abc"} 1 1700000000.5',
        'req_created{code="200"} 1700000000.25',
        '# TYPE lat_seconds histogram',
        '# UNIT lat_seconds seconds',
        '# HELP lat_seconds Latency.',
        'lat_seconds_bucket{le="1.0"} 1 # {span="x"} 0.5',
        'lat_seconds_bucket{le="+Inf"} 1',
        'lat_seconds_sum 0.5',
        'lat_seconds_count 1',
        'loose 1 1700000001',
        '# EOF',
      ].join('\n')}\n`,
    );
    assert.equal(parsed.format, 'openmetrics');
    const [req, lat, loose] = parsed.families;
    assert.equal(req.name, 'req');
    assert.equal(req.type, 'counter');
    assert.equal(req.help, 'Requests with a "quote".');
    assert.deepEqual(req.samples[0].exemplar, { labels: { trace_id: 'abc' }, value: 1, timestamp: 1700000000.5 });
    assert.equal(req.samples[1].name, 'req_created');
    assert.equal(req.samples[1].value, 1700000000.25);
    assert.equal(lat.unit, 'seconds');
    assert.equal(lat.help, 'Latency.');
    assert.deepEqual(lat.samples[0].exemplar, { labels: { span: 'x' }, value: 0.5 });
    assert.equal(loose.samples[0].timestamp, 1700000001);
    assert.deepEqual([loose.name, loose.type], ['loose', 'unknown']);
  });

  test('# EOF without a final line feed is accepted', () => {
    assert.equal(parseOpenMetrics('a 1\n# EOF').families.length, 1);
  });

  test('a help text may start with a space in OpenMetrics', () => {
    assert.equal(parseOpenMetrics('# HELP a  padded\n# EOF\n').families[0].help, ' padded');
  });

  const malformed: Array<[string, string, number, RegExp]> = [
    ['missing # EOF', 'a 1\nb 2\n', 2, /missing # EOF/],
    ['content after # EOF', 'a 1\n# EOF\nb 2\n', 3, /after # EOF/],
    ['blank line', 'a 1\n\nb 1\n# EOF\n', 2, /blank lines/],
    ['other comment', '# just a comment\n# EOF\n', 1, /OpenMetrics has no other comments/],
    ['double space', 'a  1\n# EOF\n', 1, /single space/],
    ['trailing comma', 'a{b="c",} 1\n# EOF\n', 1, /trailing comma/],
    ['counter sample without _total', '# TYPE c counter\nc 1\n# EOF\n', 2, /does not fit the counter family 'c'/],
    ['exemplar on a gauge', '# TYPE g gauge\ng 1 # {a="b"} 1\n# EOF\n', 2, /exemplars are allowed only/],
    ['exemplar on histogram _count', '# TYPE h histogram\nh_count 1 # {a="b"} 1\n# EOF\n', 2, /exemplars are allowed only/],
    ['exemplar label set over 128 characters', `# TYPE c counter\nc_total 1 # {a="${'x'.repeat(128)}"} 1\n# EOF\n`, 2, /129 characters long/],
    ['unit that is not a suffix', '# TYPE a_bytes gauge\n# UNIT a_bytes seconds\n# EOF\n', 2, /must end with the unit/],
    ['unknown type', '# TYPE a untyped\n# EOF\n', 1, /unknown metric type 'untyped'/],
    ['a backslash ending the HELP text', '# HELP a x\\\n# EOF\n', 1, /a backslash ends the HELP text/],
    ['metadata after samples', '# TYPE a gauge\na 1\n# HELP a late\n# EOF\n', 3, /HELP for 'a' after its samples/],
    ['interleaved families', '# TYPE a gauge\na{x="1"} 1\n# TYPE b gauge\nb 1\na{x="2"} 1\n# EOF\n', 5, /one group/],
    ['NaN timestamp', 'a 1 NaN\n# EOF\n', 1, /timestamp must be a finite number/],
    ['exemplar without labels', '# TYPE c counter\nc_total 1 # 1\n# EOF\n', 2, /exemplar's label set/],
    ['garbage after exemplar', '# TYPE c counter\nc_total 1 # {a="b"} 1 2 3\n# EOF\n', 2, /unexpected text after the exemplar/],
  ];
  for (const [what, text, line, reason] of malformed) {
    test(`rejects ${what} with its line number`, () => assertRejects(text, 'openmetrics', line, reason));
  }
});

test('seriesKey is independent of label order and quotes values', () => {
  assert.equal(seriesKey('m', { b: '2', a: 'x"y' }), 'm{a="x\\"y",b="2"}');
  assert.equal(seriesKey('m', { a: 'x"y', b: '2' }), seriesKey('m', { b: '2', a: 'x"y' }));
});
