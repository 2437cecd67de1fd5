import { allBundles } from '../../src/monitoring/bundles.js';
import { buildArtifacts } from '../../src/monitoring/artifacts.js';
import { knownSeries } from '../../src/monitoring/promql/known-metrics.js';
import { recordedSeries } from '../../src/monitoring/rules/rule-file.js';

/** The full generated tree, in memory. */
export const artifacts = buildArtifacts();

/** Catalog series, recording rule outputs and documented outside metrics. */
export const known = knownSeries(
  allBundles.map((b) => b.catalog),
  allBundles.flatMap((b) => (b.rules ? recordedSeries(b.rules) : [])),
);
