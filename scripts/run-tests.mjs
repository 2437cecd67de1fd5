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
import { fileURLToPath } from 'node:url';

function findTests(dir) {
  const out = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...findTests(path));
    else if (entry.endsWith('.test.ts')) out.push(relative(process.cwd(), path));
  }
  return out;
}

// Files start in the order given (run-in-order.mjs), three at a time: a long file started late
// runs alone at the end while the other slots sit empty (the packaging tests, last in path
// order, made a tail of minutes). So the longest files go first, longest first (seconds measured
// on Node 20, 2 cores, load 6-10); the rest follow in path order. npm-pack starts the build both
// packaging files wait for; consumers needs only its first tarball, ready when a slot frees.
const LONGEST_FIRST = [
  'test/package/npm-pack.test.ts', // 255
  'packages/demo/test/demo-cli.test.ts', // 127
  'packages/demo/test/dashboard-preview.test.ts', // 112
  'test/package/consumers.test.ts', // 117
  'packages/demo/test/signals.test.ts', // 65
  'packages/monitoring/test/user-catalog.test.ts', // 49
  'packages/monitoring/test/cli.test.ts', // 44
  'packages/promkit/test/workers/shared-metrics.test.ts', // 36
  'packages/monitoring/test/prometheus-eval.test.ts', // 35
  'packages/demo/test/demo-e2e.test.ts', // 35
  'packages/promkit/test/server/load.test.ts', // 33
  'packages/promkit/test/exposition/prometheus-roundtrip.test.ts', // 29
  'packages/demo/test/cluster-mode.test.ts', // 29
  'packages/promkit/test/exposition/chunked-writing.test.ts', // 26
  'packages/promkit/test/workers/shared-summary.test.ts', // 25
];

const filters = process.argv.slice(2);
const roots = [
  ...readdirSync('packages')
    .sort()
    .map((p) => join('packages', p, 'test')),
  'test',
].filter((dir) => existsSync(dir));
const all = roots.flatMap(findTests);
// A renamed or removed file must not drop silently out of the ordering.
const stale = LONGEST_FIRST.filter((f) => !all.includes(f));
if (stale.length > 0) {
  console.error(`scripts/run-tests.mjs: LONGEST_FIRST names missing test files: ${stale.join(' ')}`);
  process.exit(1);
}
const rank = (f) => (LONGEST_FIRST.includes(f) ? LONGEST_FIRST.indexOf(f) : LONGEST_FIRST.length);
const files = all.filter((f) => filters.length === 0 || filters.some((p) => f.startsWith(p.replace(/^\.\//, '')))).sort((a, b) => rank(a) - rank(b));
if (files.length === 0) {
  console.error(`no test files match ${filters.join(' ') || 'packages/*/test/**/*.test.ts'}`);
  process.exit(1);
}
const nodeOptions = [process.env.NODE_OPTIONS, '--conditions=@promkit/source'].filter(Boolean).join(' ');
const runner = fileURLToPath(new URL('run-in-order.mjs', import.meta.url));
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test-concurrency=3', '--test-timeout=600000', runner, ...files], {
  stdio: 'inherit',
  env: { ...process.env, NODE_OPTIONS: nodeOptions },
});
process.exit(result.status ?? 1);
