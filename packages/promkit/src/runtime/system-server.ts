import { getLogger } from '../integration/logger.js';
import { loadSystemConfig, SYSTEM_ENV_VARS, type SystemServerConfig } from '../server/env-config.js';
import { createRequestMetrics } from '../server/request-metrics.js';
import { startMetricsServer, type MetricsServerOptions, type RunningMetricsServer } from '../server/status-server.js';
import type { DistributedRuntime } from './distributed-runtime.js';

type ServerTuning = Omit<
  MetricsServerOptions,
  'registry' | 'scope' | 'port' | 'host' | 'metricsPath' | 'health' | 'healthPath' | 'livePath' | 'requestMetrics' | 'requestMetricsPrefix'
>;

/** `DYN_SYSTEM_*` settings (options win over the environment) plus the server's tuning. */
export interface SystemServerOptions extends Partial<SystemServerConfig>, ServerTuning {
  /** Environment to read; default process.env. */
  env?: NodeJS.ProcessEnv;
}

const CONFIG_KEYS = Object.keys(SYSTEM_ENV_VARS) as Array<keyof SystemServerConfig>;

function splitOptions(options: SystemServerOptions): { overrides: Partial<SystemServerConfig>; tuning: ServerTuning } {
  const overrides: Record<string, unknown> = {};
  const tuning: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (key === 'env') continue;
    (CONFIG_KEYS.includes(key as keyof SystemServerConfig) ? overrides : tuning)[key] = value;
  }
  return { overrides: overrides as Partial<SystemServerConfig>, tuning: tuning as ServerTuning };
}

const withUptime = new WeakSet<DistributedRuntime>();

/** `<prefix>_system_uptime_seconds{namespace="<system namespace>"}`, brought up to date before each scrape. */
function installUptimeMetric(runtime: DistributedRuntime): void {
  if (withUptime.has(runtime)) return;
  withUptime.add(runtime);
  const ns = runtime.namespace(runtime.systemNamespace);
  const uptime = ns.createCounter('system_uptime_seconds', 'System uptime');
  const update = (): void => uptime.inc(Math.max(0, runtime.uptimeSeconds() - uptime.get()));
  update();
  ns.addUpdateCallback(update);
}

export async function startRuntimeSystemServer(runtime: DistributedRuntime, options: SystemServerOptions): Promise<RunningMetricsServer | null> {
  const { overrides, tuning } = splitOptions(options);
  const config = loadSystemConfig(options.env ?? process.env, overrides);
  if (!config.enabled) return null;
  runtime.health.configure({ startingStatus: config.startingHealthStatus, useEndpointHealthStatus: config.useEndpointHealthStatus });
  installUptimeMetric(runtime);
  // Without a logger of the user's, the status server logs under promkit::server as any other.
  const logger = tuning.logger ?? runtime.customLogger ?? getLogger('promkit::server');
  let server: RunningMetricsServer;
  try {
    server = await startMetricsServer({
      ...tuning,
      logger,
      scope: runtime,
      port: config.port,
      host: config.host,
      health: runtime.health,
      healthPath: config.healthPath,
      livePath: config.livePath,
      requestMetrics: createRequestMetrics(runtime, 'system_http'),
    });
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('cannot listen')) {
      throw new Error(
        `system status server: ${error.message} (set ${SYSTEM_ENV_VARS.port} / ${SYSTEM_ENV_VARS.host}, or ${SYSTEM_ENV_VARS.port}=0 for a random free port)`,
        { cause: error },
      );
    }
    throw error;
  }
  logger.info(
    `promkit: system status server listening on ${server.url} (metrics /metrics, health ${config.healthPath}, live ${config.livePath}, port ${server.port})`,
  );
  return server;
}
