/**
 * The demo's Prometheus: @promkit/testing's launcher run on the demo's own prometheus.yml,
 * with its data under the state dir and its log in `<state dir>/prometheus.log`. The
 * demo handles its own signals, so the launcher installs none.
 */
import { join } from 'node:path';
import {
  findPrometheusBinary,
  isPortFree,
  PrometheusBinaryNotFoundError,
  PrometheusStartError,
  startPrometheus,
  type RunningPrometheus,
} from '@promkit/testing';
import { PortInUseError } from './port-in-use.js';

/** The prometheus binary (PROMETHEUS_BIN, else PATH), or undefined when there is none. */
export function findPrometheus(): string | undefined {
  try {
    return findPrometheusBinary('prometheus');
  } catch (error) {
    if (error instanceof PrometheusBinaryNotFoundError) return undefined;
    throw error;
  }
}

export interface DemoPrometheus {
  readonly prometheus: RunningPrometheus;
  readonly logFile: string;
}

export async function startDemoPrometheus(options: {
  binary: string;
  configPath: string;
  stateDir: string;
  host: string;
  port: number;
}): Promise<DemoPrometheus> {
  const { host, port } = options;
  if (port !== 0 && !(await isPortFree(port, host))) throw new PortInUseError(port, '--prometheus-port');
  const logFile = join(options.stateDir, 'prometheus.log');
  try {
    const prometheus = await startPrometheus({
      binary: options.binary,
      configFile: options.configPath,
      dataDir: join(options.stateDir, 'prometheus-data'),
      logFile,
      host,
      // 0: the launcher picks a free port and retries if it is taken meanwhile.
      ...(port !== 0 ? { port } : {}),
      extraArgs: ['--storage.tsdb.retention.time=2d'],
      killOnSignals: false,
    });
    return { prometheus, logFile };
  } catch (error) {
    if (error instanceof PrometheusStartError && error.addressInUse) throw new PortInUseError(port, '--prometheus-port');
    throw error;
  }
}
