#!/usr/bin/env node
// Builds the engine twice from one source: ESM (dist/esm) and CommonJS (dist/cjs), each
// with its own declarations, so `import` and `require` (jest's CommonJS runtime included)
// get native code and matching types. Run from packages/promkit.
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
rmSync('dist', { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.cjs.json'], { stdio: 'inherit' });
// The package is "type": "module"; this marks the CommonJS half as CommonJS.
writeFileSync('dist/cjs/package.json', '{ "type": "commonjs" }\n');
