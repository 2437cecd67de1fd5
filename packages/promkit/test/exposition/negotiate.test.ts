import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { acceptsGzip, negotiate, negotiateEncoding, parseAcceptHeader } from '../../src/exposition/index.js';
import { negotiate as negotiateFromRoot, acceptsGzip as acceptsGzipFromRoot } from '../../src/index.js';

const TEXT = { format: 'prometheus', contentType: 'text/plain; version=0.0.4; charset=utf-8' };
const OPENMETRICS = { format: 'openmetrics', contentType: 'application/openmetrics-text; version=1.0.0; charset=utf-8' };

/** The Accept header Prometheus 2.42 sends on every scrape. */
const PROMETHEUS_2_42 = 'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

describe('negotiate', () => {
  test('Prometheus 2.42’s Accept header gets OpenMetrics 1.0.0', () => {
    assert.deepEqual(negotiate(PROMETHEUS_2_42), OPENMETRICS);
  });

  test('with openMetrics disabled, the same header gets text 0.0.4', () => {
    assert.deepEqual(negotiate(PROMETHEUS_2_42, { openMetrics: false }), TEXT);
    assert.deepEqual(negotiate('application/openmetrics-text', { openMetrics: false }), TEXT);
  });

  test('Prometheus with OpenMetrics scraping turned off (text only) gets text', () => {
    assert.deepEqual(negotiate('text/plain;version=0.0.4;q=1,*/*;q=0.1'), TEXT);
  });

  test('no header, empty header, */* and unknown media types get text 0.0.4', () => {
    for (const header of [
      undefined,
      null,
      '',
      '*/*',
      'application/json',
      'text/html,application/xhtml+xml',
      'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited',
    ]) {
      assert.deepEqual(negotiate(header), TEXT, String(header));
    }
  });

  test('q-values decide, not order', () => {
    assert.deepEqual(negotiate('text/plain;version=0.0.4;q=0.9,application/openmetrics-text;version=1.0.0;q=0.5'), TEXT);
    assert.deepEqual(negotiate('text/plain;q=0.5,application/openmetrics-text;q=0.9'), OPENMETRICS);
    // Equal quality: the first listed wins.
    assert.deepEqual(negotiate('text/plain,application/openmetrics-text'), TEXT);
    assert.deepEqual(negotiate('application/openmetrics-text,text/plain'), OPENMETRICS);
  });

  test('q=0 means "not acceptable"', () => {
    assert.deepEqual(negotiate('application/openmetrics-text;q=0,text/plain;q=0.1'), TEXT);
    assert.deepEqual(negotiate('application/openmetrics-text;q=0.0'), TEXT);
  });

  test('versions we do not serve are skipped', () => {
    assert.deepEqual(negotiate('application/openmetrics-text;version=2.0.0,text/plain;q=0.1'), TEXT);
    assert.deepEqual(negotiate('text/plain;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.2'), OPENMETRICS);
    assert.deepEqual(negotiate('application/openmetrics-text; version=0.0.1'), OPENMETRICS);
  });

  test('case, whitespace and quoted parameters are tolerated', () => {
    assert.deepEqual(negotiate('  Application/OpenMetrics-Text ; Version="1.0.0" ; Q=1 '), OPENMETRICS);
    assert.deepEqual(negotiate('TEXT/PLAIN; version=0.0.4'), TEXT);
  });

  test('garbage never throws and falls back to text 0.0.4', () => {
    for (const header of [
      ';;;',
      ',,,',
      'q=1',
      '=;=,',
      'application/openmetrics-text;q=abc',
      'application/openmetrics-text;q=',
      '\u0000\uffff',
      'a'.repeat(10_000),
      ';version=1.0.0',
    ]) {
      assert.deepEqual(negotiate(header), TEXT, JSON.stringify(header.slice(0, 40)));
    }
  });

  test('out-of-range q-values are clamped', () => {
    assert.deepEqual(negotiate('text/plain;q=0.5,application/openmetrics-text;q=7'), OPENMETRICS);
    assert.deepEqual(negotiate('application/openmetrics-text;q=-1,text/plain;q=0.1'), TEXT);
  });

  test('exported from the root too', () => {
    assert.equal(negotiateFromRoot, negotiate);
    assert.equal(acceptsGzipFromRoot, acceptsGzip);
  });
});

describe('parseAcceptHeader', () => {
  test('sorted by quality, stable, q=0 dropped, parameters kept', () => {
    const ranges = parseAcceptHeader(PROMETHEUS_2_42);
    assert.deepEqual(
      ranges.map((r) => [r.type, r.params.get('version'), r.q]),
      [
        ['application/openmetrics-text', '1.0.0', 1],
        ['application/openmetrics-text', '0.0.1', 0.75],
        ['text/plain', '0.0.4', 0.5],
        ['*/*', undefined, 0.1],
      ],
    );
    assert.deepEqual(parseAcceptHeader('a;q=0,b'), [{ type: 'b', params: new Map(), q: 1, order: 1 }]);
  });
});

describe('acceptsGzip', () => {
  test('gzip listed (any case, with q > 0)', () => {
    for (const header of ['gzip', 'gzip, deflate, br', 'deflate, GZIP;q=0.5', 'br;q=1.0, gzip;q=0.8, *;q=0.1', 'gzip;q=1']) {
      assert.equal(acceptsGzip(header), true, header);
    }
  });

  test('through *', () => {
    assert.equal(acceptsGzip('*'), true);
    assert.equal(acceptsGzip('br, *;q=0.1'), true);
  });

  test('absent, refused or garbage', () => {
    for (const header of [undefined, null, '', 'identity', 'br, deflate', 'gzip;q=0', 'gzip;q=0.0, *', '*;q=0', 'x-gzip-not', ';;;', 'gzip;q=0.000,deflate']) {
      assert.equal(acceptsGzip(header), false, String(header));
    }
  });
});

describe('negotiateEncoding', () => {
  const offered = ['zstd', 'gzip'] as const;
  test('the highest quality the client gives an offered coding; ties go to the server order', () => {
    const cases: Array<[string | undefined, string | undefined]> = [
      ['gzip', 'gzip'],
      ['zstd', 'zstd'],
      ['gzip, zstd', 'zstd'],
      ['GZIP;q=0.9, zstd;q=0.4', 'gzip'],
      ['br, *;q=0.3', 'zstd'],
      ['zstd;q=0, *;q=0.3', 'gzip'],
      ['gzip;q=0.5, *', 'zstd'],
      [undefined, undefined],
      ['', undefined],
      ['identity', undefined],
      ['*;q=0', undefined],
      ['zstd;q=0, gzip;q=0.000', undefined],
      [';;;', undefined],
    ];
    for (const [header, expected] of cases) assert.equal(negotiateEncoding(header, offered), expected, String(header));
  });

  test('only what is offered', () => {
    assert.equal(negotiateEncoding('zstd', ['gzip']), undefined);
    assert.equal(negotiateEncoding('zstd, gzip;q=0.1', ['gzip']), 'gzip');
    assert.equal(negotiateEncoding('gzip', []), undefined);
  });
});
