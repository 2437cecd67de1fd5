#!/usr/bin/env node
// Runs every packages/*/test/**/*.test.ts and test/**/*.test.ts through node:test with
// tsx, against the packages' TypeScript sources (the `@promkit/source` export condition,
// passed on to child processes through NODE_OPTIONS). Node 20's test runner does not
// expand globs itself, so the files are found here. Arguments narrow the run to files
// under the given paths: `npm test -- packages/kube`. A test file that runs past 10 minutes
// fails instead of hanging the run (the packaging test, which builds, packs and installs
// every package, takes minutes on a busy 2-core machine; one under load once took 3).
// Three files at a time on 2 cores: many tests wait on Prometheus scrapes, timers and
// child processes, so a third file fills idle CPU; the suite passed at load averages of 10+.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

function findTests(dir) {
  const out = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...findTests(path));
    else if (entry.endsWith('.test.ts')) out.push(relative(process.cwd(), path));
  }
  return out;
}

const filters = process.argv.slice(2);
const roots = [
  ...readdirSync('packages')
    .sort()
    .map((p) => join('packages', p, 'test')),
  'test',
].filter((dir) => existsSync(dir));
const files = roots.flatMap(findTests).filter((f) => filters.length === 0 || filters.some((p) => f.startsWith(p.replace(/^\.\//, ''))));
if (files.length === 0) {
  console.error(`no test files match ${filters.join(' ') || 'packages/*/test/**/*.test.ts'}`);
  process.exit(1);
}
const nodeOptions = [process.env.NODE_OPTIONS, '--conditions=@promkit/source'].filter(Boolean).join(' ');
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=3', '--test-timeout=600000', ...files], {
  stdio: 'inherit',
  env: { ...process.env, NODE_OPTIONS: nodeOptions },
});
process.exit(result.status ?? 1);
