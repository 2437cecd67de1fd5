/** The consumers' project holds one prom-client, and it is promkit. */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { installedPackages } from '../tarballs.js';
import { CONSUMER_VERSIONS, consumerProject } from './consumer-project.js';

export function installationSuite(): void {
  describe('consumers of prom-client, installed from npm', () => {
    test('every consumer resolves prom-client to the one promkit copy, at the pinned versions', async () => {
      const dir = await consumerProject();
      const installed = await installedPackages(dir);
      assert.deepEqual(
        installed.filter((p) => p === 'prom-client' || p === 'promkit' || p === '@platformatic/prom-client'),
        ['prom-client'],
        'no second prom-client anywhere in the tree',
      );
      const manifest = JSON.parse(await readFile(join(dir, 'node_modules/prom-client/package.json'), 'utf8')) as { name: string };
      assert.equal(manifest.name, 'promkit');
      for (const [name, version] of Object.entries(CONSUMER_VERSIONS)) {
        const pkg = JSON.parse(await readFile(join(dir, 'node_modules', name, 'package.json'), 'utf8')) as { version: string };
        assert.equal(pkg.version, version, name);
      }
    });
  });
}
