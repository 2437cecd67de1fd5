/** The DYN_LOG filter syntax: `<default level>,<target>=<level>,...`. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LogFilter, parseLogFilter, parseLogLevel } from '../src/index.js';

function filterOf(text: string): LogFilter {
  const { filter, errors } = parseLogFilter(text);
  assert.deepEqual(errors, []);
  return new LogFilter().overriddenBy(filter);
}

describe('DYN_LOG filter syntax', () => {
  test('a bare level sets the default; target=level sets a target', () => {
    const f = filterOf('warn,promkit::server=debug,promkit::kube=error');
    assert.equal(f.defaultLevel, 'warn');
    assert.equal(f.levelFor('promkit::server'), 'debug');
    assert.equal(f.levelFor('promkit::kube'), 'error');
    assert.equal(f.levelFor('myapp'), 'warn');
    assert.equal(f.toString(), 'warn,promkit::server=debug,promkit::kube=error');
  });

  test('without a default level the default is info', () => {
    const f = filterOf('promkit::server=trace');
    assert.equal(f.defaultLevel, 'info');
    assert.equal(f.levelFor('other'), 'info');
  });

  test('a target covers its children on :: boundaries, the longest match wins', () => {
    const f = filterOf('error,promkit=warn,promkit::kube=debug,promkit::kube::reconcile=trace');
    assert.equal(f.levelFor('promkit::server'), 'warn');
    assert.equal(f.levelFor('promkit::kube::webhook'), 'debug');
    assert.equal(f.levelFor('promkit::kube::reconcile'), 'trace');
    assert.equal(f.levelFor('promkit::kube::reconcile::inner'), 'trace');
    // A prefix that is not on a :: boundary is another target.
    assert.equal(f.levelFor('promkitx'), 'error');
    assert.equal(f.levelFor('promkit::kubelet'), 'warn');
  });

  test('levels in any case, off, spaces and empty directives are accepted', () => {
    const f = filterOf(' DEBUG , promkit::server = Off ,, promkit::kube=WARN ');
    assert.equal(f.defaultLevel, 'debug');
    assert.equal(f.levelFor('promkit::server'), 'off');
    assert.equal(f.levelFor('promkit::kube'), 'warn');
  });

  test('a bare word must be a level (a typo is not taken for a target)', () => {
    assert.match(parseLogFilter('inf').errors[0]!, /'inf' is not a level .*target=level/);
    assert.match(parseLogFilter('info,promkit::server').errors[0]!, /'promkit::server' is not a level/);
  });

  test("Dynamo's documented target:level form (one colon) is read like target=level", () => {
    const f = filterOf('info,dynamo_runtime::system_status_server:trace');
    assert.equal(f.levelFor('dynamo_runtime::system_status_server'), 'trace');
    assert.equal(f.levelFor('dynamo_runtime'), 'info');
  });

  test('the last default level and the last directive for a target win', () => {
    const f = filterOf('debug,promkit::server=info,error,promkit::server=warn');
    assert.equal(f.defaultLevel, 'error');
    assert.equal(f.levelFor('promkit::server'), 'warn');
  });

  test('bad directives are each named with what is allowed', () => {
    const { errors } = parseLogFilter('verbose,promkit::server=loud,=debug,bad target=info,info');
    assert.equal(errors.length, 4);
    assert.match(errors[0]!, /'verbose' is not a level \(error, warn, info, debug, trace, off\)/);
    assert.match(errors[1]!, /'promkit::server=loud': 'loud' is not a level/);
    assert.match(errors[2]!, /'=debug': '' is not a target name/);
    assert.match(errors[3]!, /'bad target=info'/);
  });

  test('parseLogLevel', () => {
    assert.equal(parseLogLevel('TRACE'), 'trace');
    assert.equal(parseLogLevel(' off '), 'off');
    assert.equal(parseLogLevel('warning'), undefined);
    assert.equal(parseLogLevel('fatal'), undefined);
  });

  test('overriddenBy: the overriding default and targets win, other targets stay', () => {
    const base = new LogFilter('warn', [
      ['a', 'debug'],
      ['b', 'error'],
    ]);
    const merged = base.overriddenBy({ targets: new Map([['b', 'trace' as const]]) });
    assert.equal(merged.defaultLevel, 'warn');
    assert.equal(merged.levelFor('a'), 'debug');
    assert.equal(merged.levelFor('b'), 'trace');
  });
});
