/** pino and OpenTelemetry stay behind promkit/logging and promkit/tracing: `import 'promkit'` loads neither. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));

/** The packages (pino, @opentelemetry/*) a fresh process has loaded after importing `entry`. */
function heavyPackagesLoadedBy(entry: string): string[] {
  const script = `
    import { createRequire } from 'node:module';
    await import(${JSON.stringify(root + entry)});
    const loaded = Object.keys(createRequire(import.meta.url).cache)
      .map((f) => /node_modules\\/((?:@opentelemetry\\/)?[^/]+)\\//.exec(f)?.[1])
      .filter((p) => p === 'pino' || p?.startsWith('@opentelemetry/'));
    console.log(JSON.stringify([...new Set(loaded)].sort()));`;
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', timeout: 30_000 });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as string[];
}

describe('subpath isolation', () => {
  test("the root import loads neither pino nor OpenTelemetry", () => {
    assert.deepEqual(heavyPackagesLoadedBy('src/index.ts'), []);
  });

  test('promkit/logging loads pino and only the OpenTelemetry API', () => {
    assert.deepEqual(heavyPackagesLoadedBy('src/logging/index.ts'), ['@opentelemetry/api', 'pino']);
  });

  test('promkit/tracing loads the SDK and the exporter', () => {
    const loaded = heavyPackagesLoadedBy('src/tracing/index.ts');
    for (const p of ['@opentelemetry/sdk-trace-node', '@opentelemetry/exporter-trace-otlp-http', '@opentelemetry/resources']) assert.ok(loaded.includes(p), `${p} in ${loaded.join(', ')}`);
  });

  test('package.json exports both subpaths', () => {
    const exports = (JSON.parse(readFileSync(root + 'package.json', 'utf8')) as { exports: Record<string, unknown> }).exports;
    assert.deepEqual(exports['./logging'], { types: './dist/logging/index.d.ts', default: './dist/logging/index.js' });
    assert.deepEqual(exports['./tracing'], { types: './dist/tracing/index.d.ts', default: './dist/tracing/index.js' });
  });
});
