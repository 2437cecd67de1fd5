/** End to end: a process configured only by DYN_* variables writes its log to stderr. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';

const fixture = fileURLToPath(new URL('./fixtures/log-lines.ts', import.meta.url));

function run(env: Record<string, string>): { stdout: string; stderr: string } {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('DYN_LOG')));
  const result = spawnSync(process.execPath, ['--import', 'tsx', fixture], { env: { ...clean, ...env }, encoding: 'utf8', timeout: 30_000 });
  assert.equal(result.status, 0, result.stderr);
  return { stdout: result.stdout, stderr: result.stderr };
}

describe('a process logging through the default logging', () => {
  test('DYN_LOGGING_JSONL, DYN_LOG and DYN_LOG_USE_LOCAL_TZ: JSON lines on stderr, filtered, in local time', () => {
    const { stdout, stderr } = run({ DYN_LOGGING_JSONL: 'true', DYN_LOG: 'warn,promkit::server=debug', DYN_LOG_USE_LOCAL_TZ: '1', TZ: 'Asia/Kolkata' });
    assert.equal(stdout, 'done\n');
    const records = stderr
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(
      records.map((r) => [r.level, r.target, r.message]),
      [
        ['DEBUG', 'promkit::server', 'debug line'],
        ['INFO', 'promkit::server', 'listening'],
        ['WARN', 'myapp', 'careful'],
      ],
    );
    assert.equal(records[1]!.port, 8081);
    for (const r of records) assert.match(String(r.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+05:30$/);
  });

  test('by default: readable lines at info, in UTC', () => {
    const { stderr } = run({});
    const lines = stderr.trim().split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[0]!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z {2}INFO promkit::server: listening port=8081$/);
    assert.match(lines[1]!, /Z {2}WARN myapp: careful$/);
  });

  test('a bad DYN_LOG: one warning, then info, and the process carries on', () => {
    const { stdout, stderr } = run({ DYN_LOGGING_JSONL: '1', DYN_LOG: 'debug,promkit::server=sometimes' });
    assert.equal(stdout, 'done\n');
    const records = stderr
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(
      records.map((r) => [r.level, r.target]),
      [
        ['WARN', 'promkit::logging'],
        ['INFO', 'promkit::server'],
        ['WARN', 'myapp'],
      ],
    );
    assert.match(String(records[0]!.message), /'sometimes' is not a level/);
  });
});
