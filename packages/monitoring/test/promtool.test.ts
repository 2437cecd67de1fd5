import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { allBundles } from '../src/bundles.js';
import { generateAll } from '../src/generate.js';
import { checkConfig, checkRules, testRules } from '@promkit/testing';

/** The generated tree, checked by the real promtool the way CI and users run it. */
const withRules = allBundles.filter((b) => b.rules).length;

describe('generated rules and config under promtool', () => {
  let dir = '';
  let files: string[] = [];
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'promkit-monitoring-'));
    files = await generateAll({ outDir: dir });
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('promtool check rules passes on every rule file', async () => {
    const rules = files.filter((f) => f.endsWith('.rules.yml'));
    assert.equal(rules.length, withRules);
    const result = await checkRules(rules);
    assert.ok(result.ok, result.output);
    assert.match(result.stdout, /SUCCESS: 4 rules found/);
  });

  it('promtool test rules: every alert fires on its history and stays quiet on the other; recording rules give the expected values', async () => {
    const tests = files.filter((f) => f.endsWith('.test.yml'));
    assert.equal(tests.length, withRules);
    // Rule files named in a test file resolve against the test file's directory.
    const result = await testRules(tests, { cwd: join(dir, 'prometheus', 'tests') });
    assert.ok(result.ok, result.output);
  });

  it('promtool check config accepts the local prometheus.yml and the rule files it globs', async () => {
    const result = await checkConfig(join(dir, 'prometheus', 'prometheus.yml'));
    assert.ok(result.ok, result.output);
    assert.match(result.output, new RegExp(`SUCCESS: ${withRules} rule files found`));
  });
});
