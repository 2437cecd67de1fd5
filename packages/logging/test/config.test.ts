/** Logging settings from DYN_* variables and the DYN_LOGGING_CONFIG_PATH file. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { loadLoggingConfig, loggingConfigFromDocument } from '../src/index.js';
import { captureLogging } from './capture.js';

const dir = mkdtempSync(join(tmpdir(), 'promkit-logging-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('loadLoggingConfig', () => {
  test('defaults: readable, UTC, info', () => {
    const { config, problems } = loadLoggingConfig({});
    assert.deepEqual(problems, []);
    assert.equal(config.jsonl, false);
    assert.equal(config.localTimezone, false);
    assert.equal(config.filter.toString(), 'info');
  });

  test('booleans take true/1/on/yes and false/0/off/no in any case', () => {
    for (const word of ['true', '1', 'ON', 'yes']) assert.equal(loadLoggingConfig({ DYN_LOGGING_JSONL: word, DYN_LOG_USE_LOCAL_TZ: word }).config.jsonl, true);
    for (const word of ['false', '0', 'Off', 'no', '']) assert.equal(loadLoggingConfig({ DYN_LOGGING_JSONL: word }).config.jsonl, false);
    const bad = loadLoggingConfig({ DYN_LOG_USE_LOCAL_TZ: 'sometimes' });
    assert.equal(bad.config.localTimezone, false);
    assert.match(bad.problems[0]!, /DYN_LOG_USE_LOCAL_TZ="sometimes" is not a boolean/);
  });

  test('a YAML config file gives the level and per-target levels', () => {
    const path = file('logging.yaml', 'level: warn\ntargets:\n  promkit::server: debug\n  promkit::kube: error\n');
    const { config, problems } = loadLoggingConfig({ DYN_LOGGING_CONFIG_PATH: path });
    assert.deepEqual(problems, []);
    assert.equal(config.filter.toString(), 'warn,promkit::server=debug,promkit::kube=error');
  });

  test("a JSON file works too, with Dynamo's key names log_level and log_filters", () => {
    const path = file('logging.json', JSON.stringify({ log_level: 'error', log_filters: { 'promkit::kube::reconcile': 'trace' } }));
    assert.equal(loadLoggingConfig({ DYN_LOGGING_CONFIG_PATH: path }).config.filter.toString(), 'error,promkit::kube::reconcile=trace');
  });

  test('DYN_LOG wins over the file: its default level and its targets; the file keeps the rest', () => {
    const path = file('both.yaml', 'level: warn\ntargets: { "promkit::server": debug, "promkit::kube": error }\n');
    const { config } = loadLoggingConfig({ DYN_LOGGING_CONFIG_PATH: path, DYN_LOG: 'trace,promkit::kube=info' });
    assert.equal(config.filter.defaultLevel, 'trace');
    assert.equal(config.filter.levelFor('promkit::server'), 'debug');
    assert.equal(config.filter.levelFor('promkit::kube'), 'info');
    // DYN_LOG without a default level leaves the file's.
    assert.equal(loadLoggingConfig({ DYN_LOGGING_CONFIG_PATH: path, DYN_LOG: 'promkit::kube=info' }).config.filter.defaultLevel, 'warn');
  });

  test('a bad DYN_LOG is reported and ignored as a whole: info (or the file)', () => {
    const bad = loadLoggingConfig({ DYN_LOG: 'debug,promkit::server=chatty' });
    assert.equal(bad.config.filter.toString(), 'info');
    assert.equal(bad.problems.length, 1);
    assert.match(bad.problems[0]!, /DYN_LOG="debug,promkit::server=chatty" is invalid: 'promkit::server=chatty': 'chatty' is not a level .*; using info$/);
    const path = file('fallback.yaml', 'level: warn\n');
    assert.equal(loadLoggingConfig({ DYN_LOGGING_CONFIG_PATH: path, DYN_LOG: 'nonsense' }).config.filter.toString(), 'warn');
  });

  test('a missing, unparsable or wrong file is reported and ignored', () => {
    const missing = loadLoggingConfig({ DYN_LOGGING_CONFIG_PATH: join(dir, 'nope.yaml') });
    assert.equal(missing.config.filter.toString(), 'info');
    assert.match(missing.problems[0]!, /cannot read logging config .*nope\.yaml: no such file; ignoring the file/);
    const broken = loadLoggingConfig({ DYN_LOGGING_CONFIG_PATH: file('broken.yaml', 'level: [info\n') });
    assert.match(broken.problems[0]!, /cannot read logging config .*broken\.yaml/);
    const wrong = loadLoggingConfig({ DYN_LOGGING_CONFIG_PATH: file('wrong.yaml', 'level: loud\nfilters: {}\n') });
    assert.equal(wrong.config.filter.toString(), 'info');
    assert.match(wrong.problems[0]!, /level "loud" is not one of error, warn, info, debug, trace, off; .*unknown key 'filters' \(allowed: level, targets\)/);
  });

  test('loggingConfigFromDocument: an empty document is fine, a list is not', () => {
    assert.deepEqual(loggingConfigFromDocument(null, 'f').errors, []);
    assert.match(loggingConfigFromDocument(['info'], 'f').errors[0]!, /expected a mapping .* got a list/);
    assert.match(loggingConfigFromDocument({ targets: 'debug' }, 'f').errors[0]!, /targets must map target names to levels/);
  });
});

describe('a bad filter never crashes and is reported once', () => {
  test('two loggings from the same bad environment: one warning, both log at info', () => {
    const env = { DYN_LOG: 'debug,promkit::server=verbose-once' };
    const first = captureLogging({ env });
    const second = captureLogging({ env });
    const warnings = [...first.records(), ...second.records()].filter((r) => r.target === 'promkit::logging');
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0]!.level, 'WARN');
    assert.match(String(warnings[0]!.message), /DYN_LOG=.* is invalid/);
    for (const { logging, records } of [first, second]) {
      const log = logging.logger('promkit::server');
      log.debug('hidden');
      log.info('shown');
      assert.deepEqual(
        records()
          .filter((r) => r.target === 'promkit::server')
          .map((r) => r.message),
        ['shown'],
      );
    }
  });

  test('the warning is written even when the filter would silence it', () => {
    const { records } = captureLogging({ env: { DYN_LOGGING_CONFIG_PATH: join(dir, 'missing-and-silent.yaml') }, filter: 'off' });
    assert.equal(records().filter((r) => r.target === 'promkit::logging').length, 1);
  });

  test('a bad filter given in code also falls back to info', () => {
    const { logging, records } = captureLogging({ filter: 'promkit::server=debug,oops=' });
    assert.equal(logging.config.filter.toString(), 'info');
    assert.match(String(records()[0]!.message), /log filter .* is invalid/);
  });
});
