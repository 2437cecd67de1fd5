/** The `promkit` command's conventions, as a user meets them in a shell. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

function promkit(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
}

describe('promkit command conventions', () => {
  it('--version prints the package version, --help the usage, on stdout with exit 0', () => {
    const version = promkit('--version');
    assert.equal(version.status, 0, version.stderr);
    assert.equal(version.stdout, `${VERSION}\n`);
    const help = promkit('--help');
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /^usage: promkit <command>/);
  });

  it("a subcommand's --help is the subcommand's", () => {
    const help = promkit('generate', '--help');
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /^usage: promkit generate .*\n[\s\S]*--catalog NAME\|MODULE/);
  });

  it('usage errors print the message and the usage on stderr and exit 2', () => {
    for (const [args, message] of [
      [[], /^promkit: a command is required\n\nusage: promkit <command>/],
      [['bogus'], /^promkit: unknown command 'bogus'\n\nusage: promkit <command>/],
      [['generate', '--bogus'], /^promkit generate: unknown argument '--bogus'\n\nusage: promkit generate/],
      [['generate', '--out'], /^promkit generate: --out needs a value\n\nusage: promkit generate/],
    ] as const) {
      const r = promkit(...args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '');
    }
  });
});
