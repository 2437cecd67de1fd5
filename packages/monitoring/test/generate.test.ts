import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { checkDeployFresh, generateAll } from '../src/generate.js';
import { parseGenerateArgs, runGenerate } from '../src/generate-cli.js';

describe('promkit generate', () => {
  it('parses --out and --catalog', () => {
    assert.deepEqual(parseGenerateArgs([]), { catalogs: [], check: false, monitorLabels: {} });
    assert.deepEqual(parseGenerateArgs(['--out', 'x', '--catalog', 'modal', '--catalog=datamover', '--check']), {
      outDir: 'x',
      catalogs: ['modal', 'datamover'],
      check: true,
      monitorLabels: {},
    });
    assert.deepEqual(
      parseGenerateArgs(['--release', 'kps', '--monitor-label', 'team=ml', '--selector=app=x', '--namespace', 'mon', '--runbook-base', 'https://r']),
      {
        catalogs: [],
        check: false,
        release: 'kps',
        monitorLabels: { team: 'ml' },
        selector: { app: 'x' },
        namespace: 'mon',
        runbookBase: 'https://r',
      },
    );
    assert.throws(() => parseGenerateArgs(['--out']), /--out needs a value/);
    assert.throws(() => parseGenerateArgs(['--force']), { name: 'UsageError', message: "unknown argument '--force'" });
  });

  it('writes one catalog, and rejects unknown catalogs by name', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'promkit-gen-'));
    try {
      const lines: string[] = [];
      assert.equal(await runGenerate(['--out', dir, '--catalog', 'modal'], (l) => lines.push(l)), 0);
      assert.ok(lines.includes(`wrote ${join(dir, 'dashboards', 'modal.json')}`));
      assert.ok(!lines.some((l) => l.includes('datamover')));
      await assert.rejects(
        runGenerate(['--out', dir, '--catalog', 'nope']),
        /unknown catalog 'nope' \(catalogs: dynamo-operator, dynamo-runtime, datamover, modal, nodejs-process, promkit-http, operator-kit; or a module path/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('checkDeployFresh reports changed, missing and extra files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'promkit-gen-'));
    try {
      await generateAll({ outDir: dir });
      assert.deepEqual(await checkDeployFresh(dir), { fresh: true, missing: [], extra: [], changed: [] });
      const rules = join(dir, 'prometheus', 'rules', 'modal.rules.yml');
      await writeFile(rules, `${await readFile(rules, 'utf8')}# edited by hand\n`);
      await rm(join(dir, 'dashboards', 'modal.json'));
      await writeFile(join(dir, 'stale.yaml'), 'old: true\n');
      assert.deepEqual(await checkDeployFresh(dir), {
        fresh: false,
        missing: ['dashboards/modal.json'],
        extra: ['stale.yaml'],
        changed: ['prometheus/rules/modal.rules.yml'],
      });
      await assert.rejects(
        runGenerate(['--out', dir, '--check']),
        /is stale; run `promkit generate --out .*`:\n {2}changed: prometheus\/rules\/modal.rules.yml\n {2}missing: dashboards\/modal.json\n {2}not generated: stale.yaml$/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('the committed deploy/ tree is what the generator produces (run `promkit generate` after changing catalogs or generators)', async () => {
    const report = await checkDeployFresh(fileURLToPath(new URL('../../../deploy', import.meta.url)));
    assert.deepEqual(report, { fresh: true, missing: [], extra: [], changed: [] });
  });
});
