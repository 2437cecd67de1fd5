#!/usr/bin/env node
// Runs the test files given, in the order given, for run-tests.mjs (which picks the order).
// `node --test` sorts its files by path (Node 20 and 24 alike); the run() API keeps them as
// given. Started with the flags the CLI would have had (--import tsx, --test-concurrency,
// --test-timeout): each file's process inherits them, as under `node --test`.
import { resolve } from 'node:path';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';

const flag = (name) => Number(process.execArgv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3));
// Absolute paths, as the CLI hands its files on.
run({ files: process.argv.slice(2).map((f) => resolve(f)), concurrency: flag('test-concurrency'), timeout: flag('test-timeout') })
  // As the CLI: a failure (not a todo) fails the run.
  .on('test:fail', (data) => {
    if (!data.todo) process.exitCode = 1;
  })
  .compose(spec)
  .pipe(process.stdout);
