/**
 * The demo's `prometheus.yml`: one job per served endpoint, named after its catalog's scrape
 * job (so the generated alerts, e.g. `up{job="modal-operator"}`, match), and the rule files
 * the monitoring generator writes from the catalogs.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Catalog } from 'promkit/catalog';

export interface DemoScrapeTarget {
  catalog: Catalog;
  /** host:port as Prometheus reaches it. */
  address: string;
}

export interface PrometheusFiles {
  configPath: string;
  /** Rule files written (paths relative to the state dir), or empty with `rulesNote` saying why. */
  ruleFiles: string[];
  rulesNote?: string;
}

/** Where the monitoring generator's output goes, relative to the state dir. */
export const MONITORING_DIR = 'monitoring';
const RULES_GLOB = `${MONITORING_DIR}/prometheus/rules/*.rules.yml`;

export function demoPrometheusConfig(options: {
  targets: readonly DemoScrapeTarget[];
  ruleFiles: boolean;
  scrapeInterval?: string;
  self?: string;
}): Record<string, unknown> {
  const interval = options.scrapeInterval ?? '5s';
  return {
    global: { scrape_interval: interval, evaluation_interval: interval },
    // Relative paths are resolved against this file's directory.
    ...(options.ruleFiles ? { rule_files: [RULES_GLOB] } : {}),
    scrape_configs: [
      ...(options.self ? [{ job_name: 'prometheus', static_configs: [{ targets: [options.self] }] }] : []),
      ...options.targets.map((t) => ({
        job_name: t.catalog.scrape.job,
        metrics_path: t.catalog.scrape.path,
        static_configs: [{ targets: [t.address] }],
      })),
    ],
  };
}

/** Runs the monitoring generator into `<stateDir>/monitoring`; the rule files it wrote, relative to stateDir. */
async function generateRules(stateDir: string, catalogs: readonly Catalog[]): Promise<{ files: string[]; note?: string }> {
  try {
    const { generateAll } = await import('@promkit/monitoring');
    const outDir = join(stateDir, MONITORING_DIR);
    const written = await generateAll({ outDir, catalogs });
    const files = written.filter((p) => p.endsWith('.rules.yml')).map((p) => p.slice(stateDir.length + 1));
    return files.length > 0 ? { files } : { files, note: 'the monitoring generator wrote no rule files' };
  } catch (error) {
    return { files: [], note: `rule files not generated: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** Writes `<stateDir>/prometheus.yml` (and the generated rule files it references). */
export async function writePrometheusFiles(
  stateDir: string,
  targets: readonly DemoScrapeTarget[],
  options: { self?: string; scrapeInterval?: string } = {},
): Promise<PrometheusFiles> {
  await mkdir(stateDir, { recursive: true });
  const rules = await generateRules(stateDir, [...new Set(targets.map((t) => t.catalog))]);
  const config = demoPrometheusConfig({ targets, ruleFiles: rules.files.length > 0, ...options });
  const configPath = join(stateDir, 'prometheus.yml');
  await writeFile(configPath, `# Written by \`promkit demo\`; rewritten on every start.\n${stringify(config, { lineWidth: 0 })}`);
  return { configPath, ruleFiles: rules.files, ...(rules.note ? { rulesNote: rules.note } : {}) };
}
