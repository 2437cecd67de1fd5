/**
 * Real consumers of prom-client (express-prom-bundle with its cluster mode, fastify-metrics,
 * @willsoto/nestjs-prometheus), installed from npm into one project where prom-client is
 * the promkit tarball, run the way their users run them. The tarball comes from the one
 * build of the run, shared with npm-pack.test.ts (tarballs.ts).
 */
import { after, before } from 'node:test';
import { consumerProject } from './consumers/consumer-project.js';
import { expressPromBundleSuite } from './consumers/express-prom-bundle.js';
import { fastifyMetricsSuite } from './consumers/fastify-metrics.js';
import { installationSuite } from './consumers/installation.js';
import { nestjsPrometheusSuite } from './consumers/nestjs-prometheus.js';
import { removeWork } from './tarballs.js';

// Needs promkit's tarball only, which the run's build packs before the other packages.
before(async () => {
  await consumerProject();
});

after(removeWork);

installationSuite();
expressPromBundleSuite();
fastifyMetricsSuite();
nestjsPrometheusSuite();
