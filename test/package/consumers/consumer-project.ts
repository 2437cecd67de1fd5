/**
 * One project holding every consumer, installed with one `npm install` the way a
 * prom-client user switches: `prom-client` itself is the promkit tarball
 * (`"prom-client": "file:promkit-x.tgz"`), and `overrides` hands that same copy to the
 * packages that depend on prom-client (fastify-metrics) or take it as a peer
 * (express-prom-bundle, @willsoto/nestjs-prometheus). Versions are pinned so a consumer's
 * release cannot change CI's verdict overnight; each one's `engines` allows Node 20 and
 * 24, and `--engine-strict` makes the install fail on the running Node if any does not.
 */
import assert from 'node:assert/strict';
import { cp, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeRun, npm, packPromkit, run } from '../tarballs.js';

export const CONSUMER_VERSIONS = {
  express: '5.1.0',
  'express-prom-bundle': '8.0.0',
  fastify: '5.6.1',
  // 13.2.1: the last release whose engines allow Node 20 (14 needs Node >= 22.19).
  'fastify-metrics': '13.2.1',
  '@willsoto/nestjs-prometheus': '6.1.1',
  '@nestjs/common': '11.1.6',
  '@nestjs/core': '11.1.6',
  '@nestjs/platform-express': '11.1.6',
  'reflect-metadata': '0.2.2',
  rxjs: '7.8.2',
} as const;

const apps = fileURLToPath(new URL('./apps/', import.meta.url));

let installing: Promise<string> | undefined;

/** Starts the install once; every caller gets the project folder (or the install's failure). */
export function consumerProject(): Promise<string> {
  if (installing === undefined) {
    installing = install();
    // Started ahead of its suite: a failure is reported when the suite awaits it, not as an unhandled rejection.
    installing.catch(() => {});
  }
  return installing;
}

async function install(): Promise<string> {
  const { work, tarball } = await packPromkit();
  const dir = join(work, 'consumers');
  await mkdir(dir);
  await writeFile(
    join(dir, 'package.json'),
    JSON.stringify({
      name: 'consumers',
      version: '1.0.0',
      private: true,
      type: 'commonjs',
      dependencies: { 'prom-client': `file:${tarball}`, ...CONSUMER_VERSIONS },
      overrides: {
        'prom-client': '$prom-client',
        // fastify's light-my-request 6.8 brings cookie 2, whose engines want Node >= 22.
        'light-my-request': '6.6.0',
      },
    }),
  );
  await cp(apps, dir, { recursive: true });
  const started = Date.now();
  const r = await run(npm, ['install', '--engine-strict', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'], dir);
  assert.equal(r.code, 0, describeRun('npm install (consumers)', r));
  console.log(`# consumers installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return dir;
}
