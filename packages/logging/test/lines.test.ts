/** What a line looks like: JSON lines, the readable format, per-target levels. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readableLine } from '../src/index.js';
import { captureLogging } from './capture.js';

const NOW = Date.UTC(2025, 8, 2, 15, 53, 31, 943);

describe('JSON lines', () => {
  test('carry time, level, target, message and the fields given, one object per line', () => {
    const { logging, raw, records } = captureLogging({ now: () => NOW });
    logging.logger('promkit::server').info({ port: 8081, path: '/metrics' }, 'listening');
    assert.equal(raw.length, 1);
    assert.ok(raw[0]!.endsWith('}\n') && !raw[0]!.slice(0, -1).includes('\n'));
    assert.deepEqual(records()[0], {
      level: 'INFO',
      time: '2025-09-02T15:53:31.943Z',
      target: 'promkit::server',
      port: 8081,
      path: '/metrics',
      message: 'listening',
    });
  });

  test('levels are written upper-case; outside a span there is no trace_id or span_id', () => {
    const { logging, records } = captureLogging({ filter: 'trace' });
    const log = logging.logger('t');
    log.trace('a');
    log.debug('b');
    log.info('c');
    log.warn('d');
    log.error('e');
    assert.deepEqual(
      records().map((r) => r.level),
      ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'],
    );
    for (const r of records()) assert.ok(!('trace_id' in r) && !('span_id' in r));
  });

  test('errors are serialised with type, message and stack', () => {
    const { logging, records } = captureLogging();
    logging.logger('promkit::kube::reconcile').error({ err: new TypeError('bad spec') }, 'reconcile failed');
    const err = records()[0]!.err as Record<string, string>;
    assert.equal(err.type, 'TypeError');
    assert.equal(err.message, 'bad spec');
    assert.match(err.stack!, /TypeError: bad spec\n\s+at /);
  });

  test('each target logs at the level the filter gives it', () => {
    const { logging, records } = captureLogging({ filter: 'warn,promkit::server=debug,promkit::kube::reconcile=off' });
    for (const target of ['promkit::server', 'promkit::server::request', 'promkit::kube::reconcile', 'promkit::kube', 'myapp']) {
      const log = logging.logger(target);
      log.debug('d');
      log.info('i');
      log.warn('w');
      log.error('e');
    }
    const seen = records().map((r) => `${r.target as string}:${r.message as string}`);
    assert.deepEqual(seen, [
      'promkit::server:d',
      'promkit::server:i',
      'promkit::server:w',
      'promkit::server:e',
      'promkit::server::request:d',
      'promkit::server::request:i',
      'promkit::server::request:w',
      'promkit::server::request:e',
      'promkit::kube:w',
      'promkit::kube:e',
      'myapp:w',
      'myapp:e',
    ]);
  });

  test('a target asked for twice is the same logger', () => {
    const { logging } = captureLogging();
    assert.equal(logging.logger('promkit::server'), logging.logger('promkit::server'));
  });
});

describe('the readable format', () => {
  test('time, right-aligned level, target: message, then key=value fields', () => {
    const { logging, raw } = captureLogging({ jsonl: false, now: () => NOW });
    logging.logger('promkit::server').info({ port: 8081, note: 'two words' }, 'listening');
    logging.logger('promkit::server').error('failed');
    assert.deepEqual(raw, [
      '2025-09-02T15:53:31.943Z  INFO promkit::server: listening port=8081 note="two words"\n',
      '2025-09-02T15:53:31.943Z ERROR promkit::server: failed\n',
    ]);
  });

  test('readableLine quotes what needs quoting and shows an error by its stack', () => {
    const line = readableLine({
      time: 't',
      level: 'WARN',
      target: 'x',
      message: 'm',
      trace_id: 'abc',
      err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at f' },
      ok: true,
    });
    assert.equal(line, 't  WARN x: m trace_id=abc err="Error: boom\\n    at f" ok=true\n');
  });
});
