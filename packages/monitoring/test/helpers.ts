import { allBundles } from '../src/bundles.js';
import { buildArtifacts } from '../src/artifacts.js';
import { knownSeries } from '../src/promql/known-metrics.js';
import { recordedSeries } from '../src/rules/rule-file.js';

/** The full generated tree, in memory. */
export const artifacts = buildArtifacts();

/** Catalog series, recording rule outputs and documented outside metrics. */
export const known = knownSeries(
  allBundles.map((b) => b.catalog),
  allBundles.flatMap((b) => (b.rules ? recordedSeries(b.rules) : [])),
);
