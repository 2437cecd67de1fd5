/** DYN_LOGGING_CONFIG_PATH in TOML, as Dynamo writes it, beside YAML and JSON. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { loadLoggingConfig } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'promkit-logging-toml-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

// Dynamo's own example: log_level plus a [log_filters] table of target = level.
const DYNAMO_TOML = `# written by the Dynamo deployment
log_level = "warn"

[log_filters]
"promkit::server" = "debug"
"promkit::kube::reconcile" = "trace"
`;

describe('logging config in TOML', () => {
  test("a .toml file in Dynamo's layout sets the default level and the targets", () => {
    const { config, problems } = loadLoggingConfig({ DYN_LOGGING_CONFIG_PATH: file('logging.toml', DYNAMO_TOML) });
    assert.deepEqual(problems, []);
    assert.equal(config.filter.toString(), 'warn,promkit::server=debug,promkit::kube::reconcile=trace');
  });

  test('a file without an extension is read as TOML when it is TOML, as YAML otherwise', () => {
    assert.equal(
      loadLoggingConfig({ DYN_LOGGING_CONFIG_PATH: file('dynamo-logging', DYNAMO_TOML) }).config.filter.toString(),
      'warn,promkit::server=debug,promkit::kube::reconcile=trace',
    );
    assert.equal(loadLoggingConfig({ DYN_LOGGING_CONFIG_PATH: file('yaml-logging', 'level: error\n') }).config.filter.toString(), 'error');
    assert.equal(loadLoggingConfig({ DYN_LOGGING_CONFIG_PATH: file('json-logging', '{"log_level": "debug"}') }).config.filter.toString(), 'debug');
  });

  test('TOML keys and levels are checked as YAML ones are', () => {
    const wrong = loadLoggingConfig({ DYN_LOGGING_CONFIG_PATH: file('wrong.toml', 'log_level = "loud"\nverbosity = 3\n') });
    assert.equal(wrong.config.filter.toString(), 'info');
    assert.match(wrong.problems[0]!, /level "loud" is not one of .*unknown key 'verbosity'/);
  });

  test('a broken .toml file is reported with the file and the line, and ignored', () => {
    const broken = loadLoggingConfig({ DYN_LOGGING_CONFIG_PATH: file('broken.toml', 'log_level = "info"\n[log_filters\n') });
    assert.equal(broken.config.filter.toString(), 'info');
    assert.match(broken.problems[0]!, /cannot read logging config .*broken\.toml: .*TOML.*line 2/i);
  });
});
