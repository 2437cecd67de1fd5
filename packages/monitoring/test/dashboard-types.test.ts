import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { allBundles } from '../src/bundles.js';
import { artifacts } from './helpers.js';
import { check, DIR, literal } from './sdk-types.js';

describe('dashboard JSON against the Foundation SDK types', () => {
  it('every generated dashboard type-checks, and a corrupted one does not', () => {
    const dashboards = artifacts.filter((a) => a.path.startsWith('dashboards/'));
    assert.equal(dashboards.length, allBundles.length);
    const sources: Record<string, string> = {};
    for (const d of dashboards) sources[join(DIR, `__${d.path.replace(/\W/g, '_')}__.ts`)] = literal(JSON.parse(d.content));
    // The check must bite: an unknown legend mode, a misspelt key, a target without expr.
    const broken = JSON.parse(dashboards[0]!.content) as { panels: Record<string, any>[] };
    const ts0 = broken.panels.find((p) => p.type === 'timeseries')!;
    ts0.options.legend.displayMode = 'lists';
    ts0.fieldConfig.defaults.units = 's';
    delete broken.panels.find((p) => p.type === 'stat' || p.type === 'gauge')!.targets[0].expr;
    const brokenFile = join(DIR, '__broken__.ts');
    sources[brokenFile] = literal(broken);

    const diagnostics = check(sources);
    const brokenErrors = diagnostics.get(brokenFile) ?? [];
    diagnostics.delete(brokenFile);
    assert.deepEqual(Object.fromEntries(diagnostics), {});
    assert.ok(brokenErrors.length >= 1, 'the corrupted dashboard is rejected');
    const all = brokenErrors.join('\n');
    for (const needle of ['"lists"', '"units"', "'expr'"]) assert.ok(all.includes(needle), `reports ${needle}:\n${all}`);
  });
});
