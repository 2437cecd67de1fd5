/** Starts the dashboard preview for `promkit demo` once its Prometheus runs; never fails the demo. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { operatorKitCatalog } from '@promkit/catalogs';
import { isAddressInUse } from '../port-in-use.js';
import { MONITORING_DIR } from '../prometheus-config.js';
import { startDashboardPreview, type RunningDashboardPreview } from './server.js';

/** Grafana's usual port: where people look for dashboards. */
export const DEFAULT_PREVIEW_PORT = 3000;
/** The demo's prometheus.yml scrape interval (demoPrometheusConfig's default). */
const DEMO_SCRAPE_INTERVAL_SECONDS = 5;

export async function startDemoDashboards(input: {
  stateDir: string;
  prometheusUrl: string | undefined;
  host: string;
  /** 0 when the demo runs on free ports (tests); then the preview does too. */
  port: number;
}): Promise<{ preview?: RunningDashboardPreview; note?: string }> {
  if (!input.prometheusUrl) return { note: "not served: needs the demo's Prometheus" };
  const dashboardsDir = join(input.stateDir, MONITORING_DIR, 'dashboards');
  const start = (port: number) =>
    startDashboardPreview({
      dashboardsDir,
      prometheusUrl: input.prometheusUrl!,
      host: input.host,
      port,
      scrapeIntervalSeconds: DEMO_SCRAPE_INTERVAL_SECONDS,
    });
  try {
    await addKitDashboard(dashboardsDir);
    try {
      return { preview: await start(input.port) };
    } catch (err) {
      // Port 3000 is often a local Grafana: take any free port rather than fail.
      if (input.port !== 0 && isAddressInUse(err)) return { preview: await start(0) };
      throw err;
    }
  } catch (err) {
    return { note: `not served: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/**
 * The demo's Dynamo operator also exposes the kit's own families (inventory health, rejected
 * webhook requests): add the operator-kit self-monitoring dashboard to the generated ones.
 */
async function addKitDashboard(dir: string): Promise<void> {
  const { buildArtifacts } = await import('@promkit/monitoring');
  const file = buildArtifacts({ catalogs: [operatorKitCatalog] }).find((a) => a.path === `dashboards/${operatorKitCatalog.id}.json`);
  if (!file) throw new Error(`the generator wrote no dashboard for ${operatorKitCatalog.id}`);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, `${operatorKitCatalog.id}.json`), file.content);
}
