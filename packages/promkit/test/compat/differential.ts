/**
 * The differential layer: one scenario, written once against prom-client's API, runs
 * through prom-client 15 and through promkit; what a user can observe is normalised and
 * compared: whether it threw, the parsed exposition, getMetricsAsJSON() and the get() of
 * each metric.
 */
import { createRequire } from 'node:module';
import * as promkit from '../../src/index.js';
import { parseExposition, type ExpositionFormat } from '../../src/exposition/index.js';

/** Either library's root module, typed loosely on purpose: scenarios are library-agnostic. */
export type Lib = any;
// The CommonJS exports object itself: prom-client's root `contentType` is a getter, which
// an ESM namespace import does not carry over.
const promClient = createRequire(import.meta.url)('prom-client') as Lib;
export const libs = { 'prom-client': promClient, promkit: promkit as Lib } as const;
export type LibName = keyof typeof libs;

export interface Observed {
  threw: boolean;
  /** Families as [name, type, help] and samples as sorted [name, labels, value] (text 0.0.4 and OpenMetrics). */
  exposition?: unknown;
  json?: unknown;
  get?: unknown;
  extra?: unknown;
}

/** A scenario builds metrics on `registry` and may return extra values to compare. */
export type Scenario = (lib: Lib, registry: any) => unknown | Promise<unknown>;

/** Plain data: no class instances, undefined keys dropped, exemplar timestamps (wall clock) removed. */
export function plain(value: unknown): unknown {
  if (value === undefined) return undefined;
  return JSON.parse(JSON.stringify(value, (key, v) => (key === 'timestamp' ? undefined : typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)));
}

function exposition(text: string, format: ExpositionFormat): unknown {
  // prom-client spells NaN 'Nan', which no Prometheus parser reads as NaN; promkit writes 'NaN'.
  const parsed = parseExposition(text.replace(/ Nan$/gm, ' NaN'), format);
  return {
    families: parsed.families.map((f) => [f.name, f.type, f.help ?? null]),
    samples: parsed.families
      .flatMap((f) => f.samples)
      .map((s) => {
        // An empty label value is the absent label to Prometheus: {a} and {a, b: ''} are one
        // series in promkit (written as first created), two in prom-client; same ingestion.
        const labels = Object.fromEntries(Object.entries(s.labels).filter(([, v]) => v !== ''));
        // OpenMetrics: prom-client writes le="1", promkit the canonical le="1.0"; same number.
        for (const k of ['le', 'quantile'])
          if (format === 'openmetrics' && labels[k] !== undefined && labels[k] !== '+Inf') labels[k] = String(Number(labels[k]));
        return [
          s.name,
          Object.fromEntries(Object.entries(labels).sort()),
          Number.isNaN(s.value) ? 'NaN' : s.value,
          s.exemplar ? plain({ labels: s.exemplar.labels, value: s.exemplar.value }) : null,
        ];
      })
      .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)),
  };
}

/** Runs the scenario on a fresh registry of `lib` and records what a user would see. */
export async function observe(lib: Lib, scenario: Scenario, contentType?: string): Promise<Observed> {
  let registry: any;
  let extra: unknown;
  try {
    registry = contentType === undefined ? new lib.Registry() : new lib.Registry(contentType);
    extra = await scenario(lib, registry);
  } catch {
    return { threw: true };
  }
  const format: ExpositionFormat = registry.contentType === lib.Registry.OPENMETRICS_CONTENT_TYPE ? 'openmetrics' : 'prometheus';
  // This order keeps prom-client's own side effects out of the comparison: its
  // getMetricsAsJSON() writes the default labels into counters' and gauges' stored label
  // objects, and an OpenMetrics scrape renames counters (`jobs_total` becomes `jobs`).
  const get = plain(await Promise.all(registry.getMetricsAsArray().map((m: any) => m.get())));
  const json = plain(await registry.getMetricsAsJSON());
  const text: string = await registry.metrics();
  let exposed: unknown;
  try {
    exposed = exposition(text, format);
  } catch (error) {
    // An exposition Prometheus would reject is an observation too (prom-client's duplicate series).
    exposed = { invalid: (error as Error).message };
  }
  return { threw: false, exposition: exposed, json, get, extra: plain(extra) };
}

export async function observeBoth(scenario: Scenario, contentType?: string): Promise<Record<LibName, Observed>> {
  return { 'prom-client': await observe(libs['prom-client'], scenario, contentType), promkit: await observe(libs.promkit, scenario, contentType) };
}
